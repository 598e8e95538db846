"""Importers for the national source systems: numbers officers would otherwise re-type.

Three file layouts (CSV or XLSX, one row per desa and period; docs/sources.md has them in
full, with examples):

* **e-PPGBM** service counts → coverage numerators and the denominators e-PPGBM counts
  (balita gizi kurang/buruk, ibu hamil KEK). The prevalence columns of the same file
  (`balita_diukur`, `pendek`, `sangat_pendek`) go to `aksi prevalence import`; both read the file
  with `aksi.prevalence.readers`.
* **BKKBN** family data (Pendataan Keluarga, Elsimil) → numerators and denominators of the
  family indicators (BKB, kehamilan tidak diinginkan, KRS didampingi, catin didampingi).
* **Dukcapil** population by desa, age band and sex → target-group counts (data sasaran),
  summed into every target group whose age range the bands cover exactly.

Every value goes through the same services as manual entry — `values_exchange` (scope, locks,
validation, history, rollups, audit) or `target_group_counts_import` — all or nothing: any row
error or conflict stores nothing, and a dry run only reports.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aksi.catalogue.models import TargetGroup
from aksi.core.models import AuditEventType
from aksi.lib.numbers import NumberError, parse_count
from aksi.lib.tabular import SheetError, read_sheet
from aksi.prevalence.readers import (
    ADMINISTRATIVE_COLUMNS,
    RowError,
    _columns,
    _missing,
    _period,
    _village_code,
    read_desa_counts,
)
from aksi.reporting.count_imports import CountRow, target_group_counts_import
from aksi.reporting.exchange import E_VALUE, Conflict, Incoming, values_exchange
from aksi.reporting.models import CountSource, Origin


@dataclass(frozen=True)
class Column:
    header: str  # the documented header; English aliases follow
    aliases: tuple[str, ...]
    indicator: str
    side: str  # "numerator" | "denominator"


@dataclass(frozen=True)
class Layout:
    key: str
    name: Any
    columns: tuple[Column, ...] = ()


EPPGBM = Layout(
    "eppgbm",
    gettext_lazy("e-PPGBM service counts"),
    (
        Column("balita_dipantau", ("monitored_under_five",), "BL-01", "numerator"),
        Column("bayi_asi_eksklusif", ("exclusive_breastfeeding",), "BD-02", "numerator"),
        Column("anak_6_23_mpasi", ("complementary_feeding",), "BD-03", "numerator"),
        Column("bayi_imunisasi_dasar_lengkap", ("full_immunisation",), "BL-02", "numerator"),
        Column("balita_gizi_kurang", ("wasted",), "BL-03", "denominator"),
        Column("balita_gizi_kurang_pmt", ("wasted_fed",), "BL-03", "numerator"),
        Column("balita_gizi_buruk", ("severely_wasted",), "BL-04", "denominator"),
        Column("balita_gizi_buruk_tatalaksana", ("severely_wasted_treated",), "BL-04", "numerator"),
        Column("bumil_kek", ("pregnant_ced",), "IB-03", "denominator"),
        Column("bumil_kek_pmt", ("pregnant_ced_fed",), "IB-03", "numerator"),
    ),
)
BKKBN = Layout(
    "bkkbn",
    gettext_lazy("BKKBN family data"),
    (
        Column("keluarga_balita", ("families_with_under_five",), "BL-05", "denominator"),
        Column("keluarga_balita_bkb", ("families_in_bkb",), "BL-05", "numerator"),
        Column("pus_hamil", ("pregnant_eligible_women",), "KL-01", "denominator"),
        Column("pus_hamil_tidak_diinginkan", ("unwanted_pregnancies",), "KL-01", "numerator"),
        Column("krs", ("at_risk_families",), "KL-02", "denominator"),
        Column("krs_didampingi", ("at_risk_families_accompanied",), "KL-02", "numerator"),
        Column("catin_terdaftar", ("engaged_couples",), "CT-02", "denominator"),
        Column("catin_didampingi", ("engaged_couples_accompanied",), "CT-02", "numerator"),
    ),
)
DUKCAPIL = Layout("dukcapil", gettext_lazy("Dukcapil population by age and sex"))
LAYOUTS = {layout.key: layout for layout in (EPPGBM, BKKBN, DUKCAPIL)}
DUKCAPIL_COLUMNS = {
    "from_months": ("umur_dari_bulan", "age_from_months"),
    "to_months": ("umur_sampai_bulan", "age_to_months"),
    "age_years": ("umur_tahun", "age_years"),
    "sex": ("jenis_kelamin", "sex"),
    "count": ("jumlah", "count"),
}
SEXES = {"l": "male", "laki-laki": "male", "m": "male", "p": "female", "perempuan": "female"}
SEXES |= {"f": "female", "": "any", "semua": "any", "all": "any"}


@dataclass
class SourceReport:
    """What an import found: file errors, the rows read, and the outcome of storing them."""

    layout: str
    dry_run: bool
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    stored: bool = False
    note: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.conflicts


# --- e-PPGBM and BKKBN: counts that are numerators and denominators ---------------------


def _value_rows(layout: Layout, upload: IO[bytes], name: str) -> tuple[list, list[RowError]]:
    counts = {column.header: (column.header, *column.aliases) for column in layout.columns}
    read = read_desa_counts(upload, name=name, counts=counts)
    return read.rows, read.errors


def _incoming(layout: Layout, rows: list) -> list[Incoming]:
    by_header = {column.header: column for column in layout.columns}
    items = []
    for row in rows:
        # Both sides of one indicator in one Incoming, so the pair is checked together.
        pairs: dict[str, dict[str, int]] = defaultdict(dict)
        for header, count in row.counts.items():
            if count is not None:
                column = by_header[header]
                pairs[column.indicator][column.side] = count
        for indicator, sides in pairs.items():
            items.append(
                Incoming(
                    index=row.row,
                    object=indicator,
                    indicator_code=indicator,
                    region_code=row.region_code,
                    period=row.period,
                    numerator=sides.get("numerator"),
                    denominator=sides.get("denominator"),
                    sides=tuple(sides),
                )
            )
    return items


def source_values_import(
    *, actor: Any, layout: Layout, upload: IO[bytes], name: str, dry_run: bool
) -> SourceReport:
    report = SourceReport(layout=layout.key, dry_run=dry_run)
    rows, report.errors = _value_rows(layout, upload, name)
    report.rows = len(rows)
    if report.errors:
        return report
    summary = values_exchange(
        actor=actor,
        incoming=_incoming(layout, rows),
        dry_run=dry_run,
        via=Origin.IMPORTED,
        atomic=True,
        event_type=AuditEventType.SOURCE_IMPORTED,
        audit_data={"source": layout.key, "file": name, "rows": len(rows)},
    )
    report.imported, report.updated = summary.imported, summary.updated
    report.unchanged = summary.ignored - summary.conflict_count
    report.conflicts = summary.conflicts
    report.stored = bool(summary.written) and not dry_run
    return report


# --- Dukcapil: population by age band and sex → target-group counts ----------------------


@dataclass(frozen=True)
class Band:
    row: int
    region_code: str
    period: str
    from_months: int
    to_months: int
    sex: str
    count: int


def _bands(upload: IO[bytes], name: str) -> tuple[list[Band], list[RowError]]:
    aliases = {key: ADMINISTRATIVE_COLUMNS[key] for key in ("region_code", "period", "year")}
    aliases |= {"month": ADMINISTRATIVE_COLUMNS["month"]} | DUKCAPIL_COLUMNS
    try:
        sheet = read_sheet(upload, name=name)
    except SheetError as error:
        return [], [RowError(0, "", str(error))]
    columns = _columns(sheet, aliases)
    errors = _missing(columns, ["region_code", "count"], aliases)
    if "period" not in columns and "year" not in columns:
        errors += _missing(columns, ["period"], aliases)
    if "age_years" not in columns and not {"from_months", "to_months"} <= set(columns):
        errors += _missing(columns, ["from_months", "to_months"], aliases)
    if errors:
        return [], errors
    bands = []
    for number, values in zip(sheet.row_numbers, sheet.rows, strict=True):
        row_errors: list[RowError] = []
        code, code_error = _village_code(values, columns["region_code"], number)
        period, period_error = _period(values, columns, number)
        row_errors += [e for e in (code_error, period_error) if e]
        numbers = {}
        for key in ("from_months", "to_months", "age_years", "count"):
            if key not in columns:
                continue
            try:
                numbers[key] = parse_count(values.get(columns[key], ""))
            except NumberError as error:
                row_errors.append(RowError(number, columns[key], str(error)))
        if "age_years" in numbers and numbers["age_years"] is not None:
            low, high = numbers["age_years"] * 12, numbers["age_years"] * 12 + 11
        else:
            low, high = numbers.get("from_months"), numbers.get("to_months")
        if not row_errors and (low is None or high is None or low > high):
            column = columns.get("from_months") or columns.get("age_years", "")
            row_errors.append(RowError(number, column, _("the age band is missing or reversed")))
        sex_raw = values.get(columns.get("sex", ""), "").strip().lower()
        if sex_raw not in SEXES:
            row_errors.append(
                RowError(number, columns.get("sex", ""), _("the sex is L, P or empty"))
            )
        if not row_errors and numbers.get("count") is None:
            row_errors.append(RowError(number, columns["count"], _("a number is required")))
        if row_errors:
            errors += row_errors
            continue
        bands.append(
            Band(number, code, period, low, high, SEXES[sex_raw], numbers["count"])  # type: ignore[arg-type]
        )
    return bands, errors


def _covers(bands: list[Band], low: int, high: int) -> bool:
    """Whether the bands tile [low, high] exactly, without gaps (overlaps are double counts)."""
    position = low
    for band in sorted(bands, key=lambda b: b.from_months):
        if band.from_months != position:
            return False
        position = band.to_months + 1
    return position == high + 1


def dukcapil_count_rows(bands: list[Band]) -> tuple[list[CountRow], list[str]]:
    """Target-group counts from population bands; the groups no band set covers are named."""
    groups = [
        group
        for group in TargetGroup.objects.filter(age_min_months__isnull=False).order_by("order")
        if group.age_max_months is not None
    ]
    by_place: dict[tuple[str, str], list[Band]] = defaultdict(list)
    for band in bands:
        by_place[(band.region_code, band.period)].append(band)
    rows, uncovered = [], set()
    for (code, period), place_bands in by_place.items():
        for group in groups:
            wanted = [
                b
                for b in place_bands
                if b.from_months >= group.age_min_months
                and b.to_months <= group.age_max_months
                and (group.sex == "any" or b.sex in (group.sex, "any"))
            ]
            if group.sex == "any":
                # A band without sex, or a male and a female band of the same ages, counts.
                chosen = [b for b in wanted if b.sex == "any"]
                sexed: dict[tuple[int, int], dict[str, Band]] = defaultdict(dict)
                for b in wanted:
                    if b.sex != "any":
                        sexed[(b.from_months, b.to_months)][b.sex] = b
                for (low, high), pair in sexed.items():
                    if len(pair) == 2:
                        total = pair["male"].count + pair["female"].count
                        chosen.append(Band(pair["male"].row, code, period, low, high, "any", total))
            else:
                chosen = [b for b in wanted if b.sex == group.sex]
            if not _covers(chosen, group.age_min_months, group.age_max_months):
                uncovered.add(group.name)
                continue
            rows.append(
                CountRow(
                    region_code=code,
                    target_group_code=group.code,
                    period=period,
                    count=sum(b.count for b in chosen),
                    line=min(b.row for b in chosen),
                )
            )
    return rows, sorted(uncovered)


def source_counts_import(
    *, actor: Any, upload: IO[bytes], name: str, dry_run: bool
) -> SourceReport:
    report = SourceReport(layout=DUKCAPIL.key, dry_run=dry_run)
    bands, report.errors = _bands(upload, name)
    report.rows = len(bands)
    if report.errors:
        return report
    rows, uncovered = dukcapil_count_rows(bands)
    if uncovered:
        report.note = _("Not derivable from these age bands: %(groups)s.") % {
            "groups": ", ".join(uncovered)
        }
    result = target_group_counts_import(
        actor=actor, rows=rows, source=CountSource.DUKCAPIL, dry_run=dry_run
    )
    report.imported, report.updated, report.unchanged = result.new, result.changed, result.unchanged
    report.conflicts = [
        Conflict(
            error.target_group_code,
            f"{error.region_code} {error.period}: {error.message}",
            E_VALUE,
            "value",
            (error.line,),
        )
        for error in result.errors
    ]
    report.stored = result.applied
    return report


def source_import(
    *, actor: Any, layout: str, upload: IO[bytes], name: str, dry_run: bool
) -> SourceReport:
    """Read a source-system file and store it (unless `dry_run`) through the entry services."""
    if layout == DUKCAPIL.key:
        return source_counts_import(actor=actor, upload=upload, name=name, dry_run=dry_run)
    return source_values_import(
        actor=actor, layout=LAYOUTS[layout], upload=upload, name=name, dry_run=dry_run
    )
