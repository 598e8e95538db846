"""Read and check the shipped catalogue data files (`aksi/catalogue/data/`).

Plain parsing, no database: every problem becomes one `CatalogueDataError` sentence naming the
file, the row and the field, so `aksi catalogue load` can refuse a bad file before it writes.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from aksi.catalogue.models import (
    Action,
    Indicator,
    IndicatorCatalogue,
    Pillar,
    ReportingYear,
    SupportingItem,
    TargetGroup,
)
from aksi.regions.models import Level
from aksi.reporting.models import Sector

DATA_DIR = Path(__file__).resolve().parent / "data"
# Part of the fingerprint: a change in how files are read reloads them even if they are equal.
FORMAT_VERSION = "2"

FRAMEWORKS_FILE = "frameworks.toml"
PILLARS_FILE = "pillars.toml"
TARGET_GROUPS_FILE = "target_groups.toml"
TARGETS_FILE = "targets.toml"
TOML_FILES = (FRAMEWORKS_FILE, PILLARS_FILE, TARGET_GROUPS_FILE, TARGETS_FILE)
CATALOGUE_FILE = re.compile(r"^indicators_(\d{4})\.csv$")
SUPPORTING_FILE = re.compile(r"^supporting_(\d{4})\.csv$")
SUPPORTING_COLUMNS = ("kode", "nama", "sektor", "satuan", "tingkat_isian", "sumber", "keterangan")

STEP_LEVELS = (Level.PROVINCE.value, Level.DISTRICT.value, Level.SUBDISTRICT.value)
UNITS = ("percent", "count")
CATALOGUE_HEADER_KEYS = ("name", "status", "source", "year")
CSV_REQUIRED = (
    "kode",
    "sasaran",
    "nama",
    "jenis",
    "sektor",
    "kepastian",
    "arah",
    "satuan",
    "pembilang",
    "penyebut",
    "sumber_penyebut",
    "kode_sasaran",
    "tingkat_isian",
    "biner",
    "pilar",
)
CSV_OPTIONAL = ("kelas", "catatan_target")
TARGET_COLUMN = re.compile(r"^target_(\d{4})$")
INDICATOR_CODE = re.compile(r"^[A-Z0-9]{1,6}-[0-9]{1,3}$")
SLUG = re.compile(r"^[a-z0-9_]+$")
MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


class CatalogueDataError(Exception):
    """A data file that cannot be loaded; the message is one sentence naming file, row, field."""


@dataclass(frozen=True)
class ActionRow:
    code: str
    kind: str
    name: str
    lead: str
    description: str
    successor_codes: list[str]
    successor_note: str
    order: int


@dataclass(frozen=True)
class StepRow:
    code: str
    action: str
    name: str
    description: str
    deliverable: str
    levels: list[str]
    opens_on: str
    due_on: str
    due_year_offset: int
    is_continuous: bool
    pillars: list[str]
    order: int


@dataclass(frozen=True)
class FrameworkRow:
    code: str
    name: str
    short_name: str
    legal_basis: str
    description: str
    first_year: int
    last_year: int | None
    successor: str | None
    actions: list[ActionRow]
    steps: list[StepRow]


@dataclass(frozen=True)
class PillarRow:
    code: str
    kind: str
    number: int
    name: str
    short_name: str
    description: str


@dataclass(frozen=True)
class TargetGroupRow:
    code: str
    name: str
    parent: str | None
    age_min_months: int | None
    age_max_months: int | None
    sex: str
    description: str
    order: int


@dataclass(frozen=True)
class NationalTargetRow:
    metric: str
    year: int
    value: Decimal
    unit: str
    source: str
    note: str


@dataclass(frozen=True)
class ReportingYearRow:
    year: int
    framework: str
    status: str
    catalogue: int | None


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    target_group_label: str
    name: str
    intervention_type: str
    sectors: list[str]
    certainty: str
    national_target: Decimal | None
    target_year: int
    direction: str
    unit: str
    numerator_definition: str
    denominator_definition: str
    denominator_source: str
    target_group: str
    entry_level: str
    is_binary: bool
    pillars: list[str]
    indicator_class: str
    target_note: str
    order: int


@dataclass(frozen=True)
class SupportingItemRow:
    code: str
    name: str
    sector: str
    unit: str
    entry_level: str
    source: str
    help_text: str
    order: int


@dataclass(frozen=True)
class CatalogueFile:
    filename: str
    year: int
    name: str
    status: str
    source: str
    fingerprint: str
    indicators: list[IndicatorRow]
    supporting_items: list[SupportingItemRow] = field(default_factory=list)


@dataclass
class CatalogueData:
    data_dir: Path
    fingerprint: str
    frameworks: list[FrameworkRow] = field(default_factory=list)
    pillars: list[PillarRow] = field(default_factory=list)
    target_groups: list[TargetGroupRow] = field(default_factory=list)
    national_targets: list[NationalTargetRow] = field(default_factory=list)
    reporting_years: list[ReportingYearRow] = field(default_factory=list)
    catalogues: list[CatalogueFile] = field(default_factory=list)


# --- files and fingerprint ---------------------------------------------------------------


def data_files(data_dir: Path) -> list[Path]:
    """The files a load reads, in a stable order; a missing TOML file is an error."""
    if not data_dir.is_dir():
        raise CatalogueDataError(f"The catalogue data folder {data_dir} does not exist.")
    files = []
    for name in TOML_FILES:
        path = data_dir / name
        if not path.is_file():
            raise CatalogueDataError(
                f"{name} is missing from the catalogue data folder {data_dir}."
            )
        files.append(path)
    files += sorted(
        p
        for p in data_dir.iterdir()
        if p.is_file() and (CATALOGUE_FILE.match(p.name) or SUPPORTING_FILE.match(p.name))
    )
    return files


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def fingerprint(data_dir: Path) -> str:
    """SHA-256 over the names and contents of the data files (and the format version)."""
    digest = hashlib.sha256(f"aksi-catalogue-{FORMAT_VERSION}\n".encode())
    for path in data_files(data_dir):
        digest.update(f"{path.name}\n{_digest(path.read_bytes())}\n".encode())
    return digest.hexdigest()


def catalogue_years(data_dir: Path) -> list[int]:
    """Years of the catalogue files in the folder, without reading them."""
    years = []
    for path in data_files(data_dir):
        match = CATALOGUE_FILE.match(path.name)
        if match:
            years.append(int(match.group(1)))
    return years


# --- TOML tables -------------------------------------------------------------------------


def _choices(values: Iterable[str]) -> str:
    return ", ".join(values)


class _Entry:
    """One table of a TOML array, read field by field; errors name the file and the entry."""

    def __init__(self, filename: str, where: str, table: Any) -> None:
        self.filename = filename
        self.where = where
        if not isinstance(table, dict):
            self.fail(None, "expected a table of fields")
        self.table: dict[str, Any] = table
        self.used: set[str] = set()

    def fail(self, key: str | None, problem: str) -> None:
        field_part = f", field '{key}'" if key else ""
        raise CatalogueDataError(f"{self.filename}, {self.where}{field_part}: {problem}.")

    def _get(self, key: str, required: bool) -> Any:
        self.used.add(key)
        value = self.table.get(key)
        if value is None and required:
            self.fail(key, "missing")
        return value

    def text(self, key: str, *, required: bool = True, max_length: int = 0) -> str:
        value = self._get(key, required)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.fail(key, f"expected text, found {value!r}")
        value = value.strip()
        if required and not value:
            self.fail(key, "empty")
        if max_length and len(value) > max_length:
            self.fail(key, f"longer than {max_length} characters")
        return value

    def code(self, key: str, *, max_length: int, slug: bool = False) -> str:
        value = self.text(key, max_length=max_length)
        if slug and not SLUG.match(value):
            self.fail(key, f"'{value}' may only hold lower-case letters, digits and _")
        if not slug and (" " in value):
            self.fail(key, f"'{value}' may not contain spaces")
        return value

    def integer(
        self, key: str, *, required: bool = True, low: int = 0, high: int = 9999
    ) -> int | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"expected a whole number, found {value!r}")
        if not low <= value <= high:
            self.fail(key, f"{value} is outside {low}–{high}")
        return value

    def number(self, key: str) -> Decimal:
        value = self._get(key, True)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(key, f"expected a number, found {value!r}")
        number = Decimal(str(value))
        if not Decimal(0) <= number <= Decimal("9999.99"):
            self.fail(key, f"{value} is outside 0–9999.99")
        return number

    def boolean(self, key: str) -> bool:
        value = self._get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.fail(key, f"expected true or false, found {value!r}")
        return value

    def choice(self, key: str, choices: Iterable[str], *, default: str | None = None) -> str:
        allowed = list(choices)
        value = self.text(key, required=default is None)
        if not value and default is not None:
            return default
        if value not in allowed:
            self.fail(key, f"'{value}' is not one of {_choices(allowed)}")
        return value

    def text_list(self, key: str, *, choices: Iterable[str] | None = None) -> list[str]:
        value = self._get(key, False)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(key, f"expected a list of text values, found {value!r}")
        allowed = list(choices) if choices is not None else None
        for item in value:
            if allowed is not None and item not in allowed:
                self.fail(key, f"'{item}' is not one of {_choices(allowed)}")
        if len(set(value)) != len(value):
            self.fail(key, "a value is listed twice")
        return list(value)

    def month_day(self, key: str) -> str:
        value = self.text(key, required=False)
        if not value:
            return ""
        match = MONTH_DAY.match(value)
        if not match:
            self.fail(key, f"'{value}' is not a month and day written MM-DD")
        month, day = int(match.group(1)), int(match.group(2))
        try:
            # A non-leap year: 02-29 would not exist in most reporting years.
            datetime.date(2025, month, day)
        except ValueError:
            self.fail(key, f"'{value}' is not a day of the year")
        return value

    def done(self) -> None:
        unknown = sorted(set(self.table) - self.used)
        if unknown:
            self.fail(unknown[0], "unknown field (a typo?)")


def _read_toml(data_dir: Path, filename: str) -> dict[str, Any]:
    path = data_dir / filename
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise CatalogueDataError(f"{filename} is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueDataError(f"{filename} is not valid TOML: {exc}.") from None


def _only(filename: str, document: dict[str, Any], *keys: str) -> None:
    unknown = sorted(set(document) - set(keys))
    if unknown:
        raise CatalogueDataError(f"{filename}: unknown table '{unknown[0]}' (a typo?).")
    for key in keys[:1]:
        if not document.get(key):
            raise CatalogueDataError(f"{filename}: there is no [[{key}]] entry.")


def _array(filename: str, document: dict[str, Any], key: str, where: str = "") -> list[Any]:
    value = document.get(key, [])
    if not isinstance(value, list):
        place = f"{where}, " if where else ""
        raise CatalogueDataError(
            f"{filename}, {place}'{key}' must be an array of tables [[{key}]]."
        )
    return value


def _no_duplicate(entry: _Entry, seen: dict[Any, str], key: Any, label: str, what: str) -> None:
    """Refuse a key seen before; `label` names this entry for a later duplicate's message."""
    if key in seen:
        shown = " ".join(str(k) for k in key) if isinstance(key, tuple) else key
        raise CatalogueDataError(
            f"{entry.filename}, {entry.where}: {what} '{shown}' is already used by {seen[key]}."
        )
    seen[key] = label


def _read_pillars(data_dir: Path) -> list[PillarRow]:
    document = _read_toml(data_dir, PILLARS_FILE)
    _only(PILLARS_FILE, document, "pillars")
    rows: list[PillarRow] = []
    seen: dict[Any, str] = {}
    for number, table in enumerate(_array(PILLARS_FILE, document, "pillars"), start=1):
        entry = _Entry(PILLARS_FILE, f"pillar entry {number}", table)
        code = entry.code("code", max_length=10)
        entry.where = f"pillar '{code}'"
        _no_duplicate(entry, seen, code, f"pillar entry {number}", "code")
        row = PillarRow(
            code=code,
            kind=entry.choice("kind", Pillar.Kind.values),
            number=entry.integer("number", low=1, high=99) or 0,
            name=entry.text("name", max_length=300),
            short_name=entry.text("short_name", required=False, max_length=80),
            description=entry.text("description", required=False),
        )
        entry.done()
        rows.append(row)
    return rows


def _read_target_groups(data_dir: Path) -> list[TargetGroupRow]:
    document = _read_toml(data_dir, TARGET_GROUPS_FILE)
    _only(TARGET_GROUPS_FILE, document, "target_groups")
    rows: list[TargetGroupRow] = []
    seen: dict[Any, str] = {}
    tables = _array(TARGET_GROUPS_FILE, document, "target_groups")
    for order, table in enumerate(tables, start=1):
        entry = _Entry(TARGET_GROUPS_FILE, f"target group entry {order}", table)
        code = entry.code("code", max_length=40, slug=True)
        entry.where = f"target group '{code}'"
        _no_duplicate(entry, seen, code, f"target group entry {order}", "code")
        age_min = entry.integer("age_min_months", required=False, high=1200)
        age_max = entry.integer("age_max_months", required=False, high=1200)
        if age_min is not None and age_max is not None and age_min > age_max:
            entry.fail("age_max_months", f"{age_max} is below age_min_months {age_min}")
        row = TargetGroupRow(
            code=code,
            name=entry.text("name", max_length=200),
            parent=entry.text("parent", required=False) or None,
            age_min_months=age_min,
            age_max_months=age_max,
            sex=entry.choice("sex", TargetGroup.Sex.values, default=TargetGroup.Sex.ANY),
            description=entry.text("description", required=False),
            order=order,
        )
        entry.done()
        rows.append(row)
    by_code = {row.code: row for row in rows}
    for row in rows:
        if row.parent is not None and row.parent not in by_code:
            raise CatalogueDataError(
                f"{TARGET_GROUPS_FILE}, target group '{row.code}', field 'parent': "
                f"'{row.parent}' is not a target group code in this file."
            )
        chain, parent = {row.code}, row.parent
        while parent is not None:
            if parent in chain:
                raise CatalogueDataError(
                    f"{TARGET_GROUPS_FILE}, target group '{row.code}', field 'parent': "
                    "the groups form a loop."
                )
            chain.add(parent)
            parent = by_code[parent].parent
    return rows


def _read_frameworks(data_dir: Path, pillar_codes: set[str]) -> list[FrameworkRow]:
    document = _read_toml(data_dir, FRAMEWORKS_FILE)
    _only(FRAMEWORKS_FILE, document, "frameworks")
    raw: list[tuple[_Entry, dict[str, Any]]] = []
    seen: dict[Any, str] = {}
    rows: list[FrameworkRow] = []
    for number, table in enumerate(_array(FRAMEWORKS_FILE, document, "frameworks"), start=1):
        entry = _Entry(FRAMEWORKS_FILE, f"framework entry {number}", table)
        code = entry.code("code", max_length=30, slug=True)
        entry.where = f"framework '{code}'"
        _no_duplicate(entry, seen, code, f"framework entry {number}", "code")
        first_year = entry.integer("first_year", low=2000, high=2100) or 0
        last_year = entry.integer("last_year", required=False, low=2000, high=2100)
        if last_year is not None and last_year < first_year:
            entry.fail("last_year", f"{last_year} is before first_year {first_year}")
        fields = {
            "code": code,
            "name": entry.text("name", max_length=200),
            "short_name": entry.text("short_name", max_length=60),
            "legal_basis": entry.text("legal_basis", required=False, max_length=300),
            "description": entry.text("description", required=False),
            "first_year": first_year,
            "last_year": last_year,
            "successor": entry.text("successor", required=False) or None,
        }
        raw.append((entry, fields))
    first_years = {fields["code"]: fields["first_year"] for _, fields in raw}
    for entry, fields in raw:
        successor = fields["successor"]
        if successor is None:
            continue
        if successor not in first_years or successor == fields["code"]:
            entry.fail("successor", f"'{successor}' is not another framework in this file")
        # A successor starts later; this also rules out loops.
        if first_years[successor] <= fields["first_year"]:
            entry.fail("successor", f"'{successor}' does not start after {fields['first_year']}")
    action_codes = {
        fields["code"]: {
            a.get("code")
            for a in _array(FRAMEWORKS_FILE, entry.table, "actions", entry.where)
            if isinstance(a, dict)
        }
        for entry, fields in raw
    }
    for entry, fields in raw:
        successor_actions = action_codes.get(fields["successor"] or "", set())
        actions = _read_actions(entry, fields, successor_actions)
        steps = _read_steps(entry, {a.code for a in actions}, pillar_codes)
        entry.used.update({"actions", "steps"})
        entry.done()
        rows.append(FrameworkRow(**fields, actions=actions, steps=steps))
    return rows


def _read_actions(
    framework: _Entry, fields: dict[str, Any], successor_actions: set[str]
) -> list[ActionRow]:
    rows: list[ActionRow] = []
    seen: dict[Any, str] = {}
    tables = _array(FRAMEWORKS_FILE, framework.table, "actions", framework.where)
    for order, table in enumerate(tables, start=1):
        entry = _Entry(FRAMEWORKS_FILE, f"{framework.where}, action entry {order}", table)
        code = entry.code("code", max_length=10)
        entry.where = f"{framework.where}, action '{code}'"
        _no_duplicate(entry, seen, code, f"action entry {order}", "action code")
        successor_codes = entry.text_list("successor_codes")
        for successor_code in successor_codes:
            if not fields["successor"]:
                entry.fail("successor_codes", "the framework names no successor framework")
            if successor_code not in successor_actions:
                entry.fail(
                    "successor_codes",
                    f"'{successor_code}' is not an action of framework '{fields['successor']}'",
                )
        row = ActionRow(
            code=code,
            kind=entry.choice("kind", Action.Kind.values),
            name=entry.text("name", max_length=200),
            lead=entry.text("lead", required=False, max_length=200),
            description=entry.text("description", required=False),
            successor_codes=successor_codes,
            successor_note=entry.text("successor_note", required=False, max_length=300),
            order=order,
        )
        entry.done()
        rows.append(row)
    return rows


def _read_steps(framework: _Entry, action_codes: set[str], pillar_codes: set[str]) -> list[StepRow]:
    rows: list[StepRow] = []
    seen: dict[Any, str] = {}
    tables = _array(FRAMEWORKS_FILE, framework.table, "steps", framework.where)
    for order, table in enumerate(tables, start=1):
        entry = _Entry(FRAMEWORKS_FILE, f"{framework.where}, step entry {order}", table)
        code = entry.code("code", max_length=10)
        entry.where = f"{framework.where}, step '{code}'"
        _no_duplicate(entry, seen, code, f"step entry {order}", "step code")
        action = entry.choice("action", sorted(action_codes))
        levels = entry.text_list("levels", choices=STEP_LEVELS)
        if not levels:
            entry.fail("levels", f"name at least one of {_choices(STEP_LEVELS)}")
        opens_on, due_on = entry.month_day("opens_on"), entry.month_day("due_on")
        if bool(opens_on) != bool(due_on):
            entry.fail("due_on" if opens_on else "opens_on", "give both opens_on and due_on")
        offset = entry.integer("due_year_offset", required=False, high=1) or 0
        if opens_on and offset == 0 and due_on < opens_on:
            entry.fail(
                "due_on",
                f"{due_on} is before opens_on {opens_on} (set due_year_offset = 1 when the "
                "window ends in the next year)",
            )
        row = StepRow(
            code=code,
            action=action,
            name=entry.text("name", max_length=200),
            description=entry.text("description", required=False),
            deliverable=entry.text("deliverable", required=False, max_length=300),
            levels=levels,
            opens_on=opens_on,
            due_on=due_on,
            due_year_offset=offset,
            is_continuous=entry.boolean("is_continuous"),
            pillars=entry.text_list("pillars", choices=sorted(pillar_codes)),
            order=order,
        )
        entry.done()
        rows.append(row)
    return rows


def _read_targets(
    data_dir: Path, framework_codes: set[str], catalogue_years: set[int]
) -> tuple[list[NationalTargetRow], list[ReportingYearRow]]:
    document = _read_toml(data_dir, TARGETS_FILE)
    _only(TARGETS_FILE, document, "national_targets", "reporting_years")
    targets: list[NationalTargetRow] = []
    seen: dict[Any, str] = {}
    for number, table in enumerate(_array(TARGETS_FILE, document, "national_targets"), start=1):
        entry = _Entry(TARGETS_FILE, f"national target entry {number}", table)
        metric = entry.code("metric", max_length=40, slug=True)
        year = entry.integer("year", low=2000, high=2100) or 0
        entry.where = f"national target '{metric}' {year}"
        _no_duplicate(entry, seen, (metric, year), f"national target entry {number}", "target")
        row = NationalTargetRow(
            metric=metric,
            year=year,
            value=entry.number("value"),
            unit=entry.choice("unit", UNITS, default="percent"),
            source=entry.text("source", max_length=300),
            note=entry.text("note", required=False, max_length=300),
        )
        entry.done()
        targets.append(row)
    years: list[ReportingYearRow] = []
    seen = {}
    for number, table in enumerate(_array(TARGETS_FILE, document, "reporting_years"), start=1):
        entry = _Entry(TARGETS_FILE, f"reporting year entry {number}", table)
        year = entry.integer("year", low=2000, high=2100) or 0
        entry.where = f"reporting year {year}"
        _no_duplicate(entry, seen, year, f"reporting year entry {number}", "year")
        catalogue = entry.integer("catalogue", required=False, low=2000, high=2100)
        if catalogue is not None and catalogue not in catalogue_years:
            entry.fail("catalogue", f"there is no indicators_{catalogue}.csv in the data folder")
        years.append(
            ReportingYearRow(
                year=year,
                framework=entry.choice("framework", sorted(framework_codes)),
                status=entry.choice("status", ReportingYear.Status.values),
                catalogue=catalogue,
            )
        )
        entry.done()
    return targets, years


# --- indicator CSV -----------------------------------------------------------------------


class _Row:
    """One CSV row; errors name the file, the line and the indicator code."""

    def __init__(self, filename: str, line: int, values: dict[str, str]) -> None:
        self.filename = filename
        self.line = line
        self.values = values
        code = values.get("kode", "").strip()
        self.where = f"line {line}" + (f" ({code})" if code else "")

    def fail(self, column: str, problem: str) -> None:
        raise CatalogueDataError(f"{self.filename}, {self.where}, column '{column}': {problem}.")

    def text(self, column: str, *, required: bool = True, max_length: int = 0) -> str:
        value = self.values.get(column, "").strip()
        if required and not value:
            self.fail(column, "empty")
        if max_length and len(value) > max_length:
            self.fail(column, f"longer than {max_length} characters")
        return value

    def choice(self, column: str, choices: Iterable[str], *, default: str | None = None) -> str:
        allowed = list(choices)
        value = self.text(column, required=default is None)
        if not value and default is not None:
            return default
        if value not in allowed:
            self.fail(column, f"'{value}' is not one of {_choices(allowed)}")
        return value

    def codes(self, column: str, choices: Iterable[str], *, required: bool) -> list[str]:
        allowed = list(choices)
        raw = self.text(column, required=required)
        items = [item.strip() for item in raw.split(";") if item.strip()]
        for item in items:
            if item not in allowed:
                self.fail(column, f"'{item}' is not one of {_choices(allowed)}")
        if len(set(items)) != len(items):
            self.fail(column, "a value is listed twice")
        return items

    def decimal(self, column: str) -> Decimal | None:
        raw = self.text(column, required=False)
        if not raw:
            return None
        if "," in raw:
            self.fail(column, f"'{raw}' uses a comma; write decimals with a dot (15.5)")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            self.fail(column, f"'{raw}' is not a number")
        if not value.is_finite() or not Decimal(0) <= value <= Decimal("9999.99"):
            self.fail(column, f"{raw} is outside 0–9999.99")
        if value.as_tuple().exponent < -2:  # type: ignore[operator]
            self.fail(column, f"{raw} has more than two decimals")
        return value


def _coded_rows(
    filename: str, reader: Any, offset: int, columns: list[str], *, example: str
) -> Iterator[tuple[_Row, str]]:
    """The non-blank rows of a CSV reader with their checked, unique `kode`."""
    seen: dict[str, str] = {}
    for values in reader:
        line = offset + reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(columns):
            raise CatalogueDataError(
                f"{filename}, line {line}: expected {len(columns)} values, found {len(values)}."
            )
        row = _Row(filename, line, dict(zip(columns, values, strict=True)))
        code = row.text("kode", max_length=10)
        if not INDICATOR_CODE.match(code):
            row.fail("kode", f"'{code}' is not a code like {example}")
        if code in seen:
            row.fail("kode", f"'{code}' is already used on {seen[code]}")
        seen[code] = f"line {line}"
        yield row, code


def _split_header(filename: str, text: str) -> tuple[dict[str, str], str, int]:
    """The `# key: value` lines at the top, the CSV text after them, and its first line number."""
    header: dict[str, str] = {}
    lines = text.splitlines(keepends=True)
    skipped = 0
    for line in lines:
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            break
        skipped += 1
        match = re.match(r"^#\s*([a-z_]+):\s*(.*)$", stripped)
        if match and match.group(1) in CATALOGUE_HEADER_KEYS:
            key = match.group(1)
            if key in header:
                raise CatalogueDataError(
                    f"{filename}, line {skipped}: the header line '{key}' is given twice."
                )
            header[key] = match.group(2).strip()
    return header, "".join(lines[skipped:]), skipped


def _read_catalogue(
    path: Path, year: int, target_group_codes: set[str], pillar_codes: set[str]
) -> CatalogueFile:
    filename = path.name
    content = path.read_bytes()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CatalogueDataError(f"{filename} is not UTF-8 text.") from None
    header, body, offset = _split_header(filename, text)
    for key in ("name", "status", "source"):
        if not header.get(key):
            raise CatalogueDataError(
                f"{filename}, header: the line '# {key}: …' is missing or empty."
            )
    status = header["status"]
    if status not in IndicatorCatalogue.Status.values:
        raise CatalogueDataError(
            f"{filename}, header, field 'status': '{status}' is not one of "
            f"{_choices(IndicatorCatalogue.Status.values)}."
        )
    if "year" in header and header["year"] != str(year):
        raise CatalogueDataError(
            f"{filename}, header, field 'year': '{header['year']}' does not match the file name."
        )
    if len(header["name"]) > 200:
        raise CatalogueDataError(f"{filename}, header, field 'name': longer than 200 characters.")

    reader = csv.reader(io.StringIO(body, newline=""))
    try:
        columns = [c.strip() for c in next(reader)]
    except StopIteration:
        raise CatalogueDataError(f"{filename}: the column header line is missing.") from None
    header_line = offset + 1
    target_columns = [c for c in columns if TARGET_COLUMN.match(c)]
    for column in CSV_REQUIRED:
        if column not in columns:
            raise CatalogueDataError(
                f"{filename}, line {header_line} (column header): column '{column}' is missing."
            )
    if len(target_columns) != 1:
        raise CatalogueDataError(
            f"{filename}, line {header_line} (column header): expected one target column named "
            f"target_<year> (e.g. target_2024), found {len(target_columns)}."
        )
    target_column = target_columns[0]
    known = set(CSV_REQUIRED) | set(CSV_OPTIONAL) | {target_column}
    for column in columns:
        if column not in known:
            raise CatalogueDataError(
                f"{filename}, line {header_line} (column header): unknown column '{column}'."
            )
        if columns.count(column) > 1:
            raise CatalogueDataError(
                f"{filename}, line {header_line} (column header): column '{column}' appears twice."
            )
    target_year = int(TARGET_COLUMN.match(target_column).group(1))  # type: ignore[union-attr]

    indicators: list[IndicatorRow] = []
    try:
        for row, code in _coded_rows(filename, reader, offset, columns, example="RP-01"):
            binary = row.choice("biner", ("0", "1"))
            indicators.append(
                IndicatorRow(
                    code=code,
                    target_group_label=row.text("sasaran", max_length=120),
                    name=row.text("nama", max_length=300),
                    intervention_type=row.choice("jenis", Indicator.InterventionType.values),
                    sectors=row.codes("sektor", Sector.values, required=True),
                    certainty=row.choice("kepastian", Indicator.Certainty.values),
                    national_target=row.decimal(target_column),
                    target_year=target_year,
                    direction=row.choice("arah", Indicator.Direction.values),
                    unit=row.choice("satuan", UNITS),
                    numerator_definition=row.text("pembilang"),
                    denominator_definition=row.text("penyebut"),
                    denominator_source=row.choice(
                        "sumber_penyebut", Indicator.DenominatorSource.values
                    ),
                    target_group=row.choice("kode_sasaran", sorted(target_group_codes)),
                    entry_level=row.choice("tingkat_isian", Indicator.EntryLevel.values),
                    is_binary=binary == "1",
                    pillars=row.codes("pilar", sorted(pillar_codes), required=False),
                    indicator_class=row.choice(
                        "kelas",
                        Indicator.IndicatorClass.values,
                        default=Indicator.IndicatorClass.ESSENTIAL,
                    ),
                    target_note=row.text("catatan_target", required=False, max_length=300),
                    order=len(indicators) + 1,
                )
            )
    except csv.Error as exc:
        raise CatalogueDataError(
            f"{filename}, line {offset + reader.line_num}: not readable as CSV ({exc})."
        ) from None
    return CatalogueFile(
        filename=filename,
        year=year,
        name=header["name"],
        status=status,
        source=header["source"],
        fingerprint=_digest(content),
        indicators=indicators,
    )


def _read_supporting(path: Path, years: set[int]) -> tuple[int, list[SupportingItemRow]]:
    """Supporting-data items of one catalogue year (`supporting_<year>.csv`)."""
    filename = path.name
    year = int(SUPPORTING_FILE.match(filename).group(1))  # type: ignore[union-attr]
    if year not in years:
        raise CatalogueDataError(
            f"{filename}: there is no indicators_{year}.csv for the items to belong to."
        )
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CatalogueDataError(f"{filename} is not UTF-8 text.") from None
    _header, body, offset = _split_header(filename, text)
    reader = csv.reader(io.StringIO(body, newline=""))
    try:
        columns = [c.strip() for c in next(reader)]
    except StopIteration:
        raise CatalogueDataError(f"{filename}: the column header line is missing.") from None
    if columns != list(SUPPORTING_COLUMNS):
        raise CatalogueDataError(
            f"{filename}, line {offset + 1} (column header): expected the columns "
            f"{', '.join(SUPPORTING_COLUMNS)}."
        )
    rows: list[SupportingItemRow] = []
    try:
        for row, code in _coded_rows(filename, reader, offset, columns, example="DP-01"):
            rows.append(
                SupportingItemRow(
                    code=code,
                    name=row.text("nama", max_length=300),
                    sector=row.choice("sektor", Sector.values),
                    unit=row.choice("satuan", SupportingItem.Unit.values),
                    entry_level=row.choice("tingkat_isian", SupportingItem.EntryLevel.values),
                    source=row.text("sumber", required=False, max_length=200),
                    help_text=row.text("keterangan", required=False),
                    order=len(rows) + 1,
                )
            )
    except csv.Error as exc:
        raise CatalogueDataError(
            f"{filename}, line {offset + reader.line_num}: not readable as CSV ({exc})."
        ) from None
    return year, rows


def read_data(data_dir: Path | None = None) -> CatalogueData:
    """Read and check every data file; raises CatalogueDataError at the first problem."""
    data_dir = data_dir or DATA_DIR
    data = CatalogueData(data_dir=data_dir, fingerprint=fingerprint(data_dir))
    data.pillars = _read_pillars(data_dir)
    pillar_codes = {p.code for p in data.pillars}
    data.target_groups = _read_target_groups(data_dir)
    data.frameworks = _read_frameworks(data_dir, pillar_codes)
    years = set(catalogue_years(data_dir))
    data.national_targets, data.reporting_years = _read_targets(
        data_dir, {f.code for f in data.frameworks}, years
    )
    target_group_codes = {g.code for g in data.target_groups}
    for path in data_files(data_dir):
        match = CATALOGUE_FILE.match(path.name)
        if match:
            data.catalogues.append(
                _read_catalogue(path, int(match.group(1)), target_group_codes, pillar_codes)
            )
    by_year = {c.year: c for c in data.catalogues}
    for path in data_files(data_dir):
        if SUPPORTING_FILE.match(path.name):
            year, items = _read_supporting(path, set(by_year))
            by_year[year].supporting_items.extend(items)
    return data
