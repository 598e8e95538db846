"""Read prevalence files (CSV or XLSX) into typed rows and row errors, without the database.

Two layouts, one row per figure:

* e-PPGBM-style counts (`read_administrative_file`): `kode_wilayah` (desa code, dotted or plain
  digits), `periode` (2024, 2024S2 or a weighing month 202408; or `tahun` with optional
  `bulan`), `balita_sasaran` (optional), `balita_diukur`, `pendek`, `sangat_pendek`. English
  headers work too (`region_code`, `period`, `targeted`, `measured`, `stunted`,
  `severely_stunted`). Reused for other e-PPGBM service counts: keep it free of models.
* desa counts of any other layout (`read_desa_counts`): the code and period columns above plus
  the count columns the caller names — the e-PPGBM service counts and BKKBN family data read
  with it (`aksi.reporting.sources`), so one e-PPGBM file feeds both importers.
* survey figures (`read_survey_file`): `kode_wilayah` (or `kode_provinsi`/`kode_kabupaten`;
  empty or `ID` for Indonesia), `tahun`, `survei` (SSGI, SKI, Riskesdas, SSGBI),
  `prevalensi_persen`, optional `n_sampel`, `sumber_url`, `catatan`.

Checks here are those the file alone can answer (types, ranges, pendek ≤ diukur, duplicates);
whether a code is a real desa, and whether the user may write it, is for the service.
Every problem is one `RowError` with the spreadsheet row, the column and the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Generic, TypeVar

from django.utils.translation import gettext as _

from aksi.lib.numbers import NumberError, parse_count
from aksi.lib.periods import PeriodError, parse_period
from aksi.lib.tabular import Sheet, SheetError, read_sheet
from aksi.prevalence.models import SurveySource
from aksi.regions.sources import normalize_code

_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_PERCENT = re.compile(r"^\d{1,3}([.,]\d)?$")
NATIONAL_CODES = frozenset({"", "id", "0", "00"})


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet row (1 is the header), 0 for the file as a whole
    column: str  # the normalised header, "" for the row or the file
    reason: str


@dataclass(frozen=True)
class AdministrativeRow:
    row: int
    region_code: str
    period: str
    targeted: int | None
    measured: int
    stunted: int  # pendek only
    severely_stunted: int  # sangat pendek


@dataclass(frozen=True)
class SurveyRow:
    row: int
    region_code: str  # "" is Indonesia
    source: str
    year: int
    prevalence: Decimal
    sample_size: int | None = None
    source_url: str = ""
    note: str = ""


RowT = TypeVar("RowT")


@dataclass
class ReadResult(Generic[RowT]):
    rows: list[RowT] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return len(self.rows) + len({e.row for e in self.errors if e.row})


ADMINISTRATIVE_COLUMNS = {
    "region_code": ("kode_wilayah", "kode_desa", "kode", "region_code"),
    "period": ("periode", "period"),
    "year": ("tahun", "year"),
    "month": ("bulan", "month"),
    "targeted": ("balita_sasaran", "sasaran", "targeted"),
    "measured": ("balita_diukur", "diukur", "jumlah_diukur", "measured"),
    "stunted": ("pendek", "stunted"),
    "severely_stunted": ("sangat_pendek", "severely_stunted"),
}

SURVEY_COLUMNS = {
    "region_code": ("kode_wilayah", "kode_provinsi", "kode_kabupaten", "kode", "region_code"),
    "name": ("nama", "nama_wilayah", "name"),
    "year": ("tahun", "year"),
    "source": ("survei", "survey", "source"),
    "prevalence": ("prevalensi_persen", "prevalensi", "prevalence"),
    "sample_size": ("n_sampel", "sampel", "sample_size"),
    "source_url": ("sumber_url", "url", "source_url"),
    "note": ("catatan", "note"),
}


def _columns(sheet: Sheet, aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Our field name → the header the file uses for it."""
    found: dict[str, str] = {}
    for name, options in aliases.items():
        for option in options:
            if option in sheet.header:
                found[name] = option
                break
    return found


def _read(upload: IO[bytes], name: str) -> tuple[Sheet | None, list[RowError]]:
    try:
        return read_sheet(upload, name=name), []
    except SheetError as error:
        return None, [RowError(row=0, column="", reason=str(error))]


def _missing(columns: dict[str, str], required: list[str], aliases: dict) -> list[RowError]:
    return [
        RowError(
            row=1,
            column=aliases[name][0],
            reason=_("The column is missing (expected header: %(header)s).")
            % {"header": aliases[name][0]},
        )
        for name in required
        if name not in columns
    ]


def _count(
    values: dict[str, str],
    columns: dict[str, str],
    name: str,
    row: int,
    errors: list[RowError],
    *,
    required: bool,
) -> int | None:
    header = columns.get(name)
    raw = values.get(header, "") if header else ""
    try:
        value = parse_count(raw)
    except NumberError as error:
        errors.append(RowError(row=row, column=header or name, reason=str(error)))
        return None
    if value is None and required:
        errors.append(RowError(row=row, column=header or name, reason=_("a number is required")))
    return value


def _period(
    values: dict[str, str], columns: dict[str, str], row: int
) -> tuple[str, RowError | None]:
    if "period" in columns:
        raw, column = values.get(columns["period"], ""), columns["period"]
    else:
        year = values.get(columns.get("year", ""), "")
        month = values.get(columns.get("month", ""), "")
        raw = f"{year}{int(month):02d}" if year and month.isdigit() else year
        column = columns.get("year", "periode")
    if not raw:
        return "", RowError(row=row, column=column, reason=_("a period is required"))
    try:
        return parse_period(raw).code, None
    except PeriodError:
        return "", RowError(
            row=row,
            column=column,
            reason=_("'%(value)s' is not a period (2024, 2024S2 or 202408)") % {"value": raw},
        )


def read_administrative_file(upload: IO[bytes], *, name: str) -> ReadResult[AdministrativeRow]:
    """Typed e-PPGBM counts and every row error of a CSV/XLSX file."""
    result: ReadResult[AdministrativeRow] = ReadResult()
    sheet, result.errors = _read(upload, name)
    if sheet is None:
        return result
    columns = _columns(sheet, ADMINISTRATIVE_COLUMNS)
    required = ["region_code", "measured", "stunted", "severely_stunted"]
    result.errors += _missing(columns, required, ADMINISTRATIVE_COLUMNS)
    if "period" not in columns and "year" not in columns:
        result.errors += _missing(columns, ["period"], ADMINISTRATIVE_COLUMNS)
    if result.errors:
        return result
    seen: dict[tuple[str, str], int] = {}
    for number, values in zip(sheet.row_numbers, sheet.rows, strict=True):
        errors: list[RowError] = []
        code_column = columns["region_code"]
        code = normalize_code(values.get(code_column, ""))
        if not code:
            errors.append(RowError(number, code_column, _("a region code is required")))
        elif not _CODE.match(code) or code.count(".") != 3:
            errors.append(
                RowError(
                    number,
                    code_column,
                    _("'%(code)s' is not a village code (like 52.03.07.2001)") % {"code": code},
                )
            )
        period, period_error = _period(values, columns, number)
        if period_error:
            errors.append(period_error)
        targeted = _count(values, columns, "targeted", number, errors, required=False)
        measured = _count(values, columns, "measured", number, errors, required=True)
        stunted = _count(values, columns, "stunted", number, errors, required=True)
        severe = _count(values, columns, "severely_stunted", number, errors, required=True)
        if measured is not None:
            for key, value in (("stunted", stunted), ("severely_stunted", severe)):
                if value is not None and value > measured:
                    errors.append(
                        RowError(
                            number,
                            columns[key],
                            _("%(value)s is more than the %(measured)s children measured")
                            % {"value": value, "measured": measured},
                        )
                    )
            if (
                stunted is not None
                and severe is not None
                and stunted <= measured
                and severe <= measured
                and stunted + severe > measured
            ):
                errors.append(
                    RowError(
                        number,
                        columns["stunted"],
                        _(
                            "stunted plus severely stunted (%(total)s) is more than the "
                            "%(measured)s children measured; pendek and sangat pendek do not "
                            "overlap"
                        )
                        % {"total": stunted + severe, "measured": measured},
                    )
                )
        if code and period:
            first = seen.setdefault((code, period), number)
            if first != number:
                errors.append(
                    RowError(
                        number,
                        code_column,
                        _("%(code)s, %(period)s is already in row %(row)s")
                        % {"code": code, "period": period, "row": first},
                    )
                )
        if errors:
            result.errors += errors
            continue
        assert measured is not None
        assert stunted is not None
        assert severe is not None
        result.rows.append(
            AdministrativeRow(
                row=number,
                region_code=code,
                period=period,
                targeted=targeted,
                measured=measured,
                stunted=stunted,
                severely_stunted=severe,
            )
        )
    return result


@dataclass(frozen=True)
class DesaCountsRow:
    row: int
    region_code: str
    period: str
    counts: dict[str, int | None]  # field → count; None where the cell is empty


def _village_code(values: dict[str, str], column: str, number: int) -> tuple[str, RowError | None]:
    code = normalize_code(values.get(column, ""))
    if not code:
        return "", RowError(number, column, _("a region code is required"))
    if not _CODE.match(code) or code.count(".") != 3:
        return "", RowError(
            number,
            column,
            _("'%(code)s' is not a village code (like 52.03.07.2001)") % {"code": code},
        )
    return code, None


def read_desa_counts(
    upload: IO[bytes], *, name: str, counts: dict[str, tuple[str, ...]]
) -> ReadResult[DesaCountsRow]:
    """Counts per desa and period: `counts` maps our field names to the headers that may hold
    them (the first is the documented one). Columns that are absent are simply not read; at
    least one must be there. Every cell that is not a whole number is a row error."""
    aliases = {name: ADMINISTRATIVE_COLUMNS[name] for name in ("region_code", "period", "year")}
    aliases |= {"month": ADMINISTRATIVE_COLUMNS["month"]} | counts
    result: ReadResult[DesaCountsRow] = ReadResult()
    sheet, result.errors = _read(upload, name)
    if sheet is None:
        return result
    columns = _columns(sheet, aliases)
    result.errors += _missing(columns, ["region_code"], aliases)
    if "period" not in columns and "year" not in columns:
        result.errors += _missing(columns, ["period"], aliases)
    present = [field_name for field_name in counts if field_name in columns]
    if not present:
        result.errors.append(
            RowError(
                1,
                "",
                _("None of the count columns is there (expected e.g. %(headers)s).")
                % {"headers": ", ".join(options[0] for options in list(counts.values())[:3])},
            )
        )
    if result.errors:
        return result
    seen: dict[tuple[str, str], int] = {}
    for number, values in zip(sheet.row_numbers, sheet.rows, strict=True):
        errors: list[RowError] = []
        code, code_error = _village_code(values, columns["region_code"], number)
        if code_error:
            errors.append(code_error)
        period, period_error = _period(values, columns, number)
        if period_error:
            errors.append(period_error)
        found = {
            field_name: _count(values, columns, field_name, number, errors, required=False)
            for field_name in present
        }
        if code and period:
            first = seen.setdefault((code, period), number)
            if first != number:
                errors.append(
                    RowError(
                        number,
                        columns["region_code"],
                        _("%(code)s, %(period)s is already in row %(row)s")
                        % {"code": code, "period": period, "row": first},
                    )
                )
        if errors:
            result.errors += errors
            continue
        result.rows.append(DesaCountsRow(number, code, period, found))
    return result


def _percent(raw: str) -> Decimal | None:
    text = raw.strip().replace(" ", "")
    if not _PERCENT.match(text):
        return None
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return value if value <= 100 else None


def read_survey_file(upload: IO[bytes], *, name: str) -> ReadResult[SurveyRow]:
    """Typed survey prevalence figures and every row error of a CSV/XLSX file."""
    result: ReadResult[SurveyRow] = ReadResult()
    sheet, result.errors = _read(upload, name)
    if sheet is None:
        return result
    columns = _columns(sheet, SURVEY_COLUMNS)
    result.errors += _missing(columns, ["year", "source", "prevalence"], SURVEY_COLUMNS)
    if "region_code" not in columns and "name" not in columns:
        result.errors += _missing(columns, ["region_code"], SURVEY_COLUMNS)
    if result.errors:
        return result
    sources = {choice.label.lower(): choice.value for choice in SurveySource}
    seen: dict[tuple[str, str, int], int] = {}
    for number, values in zip(sheet.row_numbers, sheet.rows, strict=True):
        errors: list[RowError] = []
        code_column = columns.get("region_code", "kode_wilayah")
        raw_code = values.get(code_column, "").strip()
        name_value = values.get(columns.get("name", ""), "").strip()
        code = "" if raw_code.lower() in NATIONAL_CODES else normalize_code(raw_code)
        if code == "" and raw_code == "" and name_value.lower() not in {"", "indonesia"}:
            errors.append(RowError(number, code_column, _("a region code is required")))
        elif code and (not _CODE.match(code) or code.count(".") > 1):
            errors.append(
                RowError(
                    number,
                    code_column,
                    _("'%(code)s' is not a province or kab/kota code (like 52 or 52.03)")
                    % {"code": raw_code},
                )
            )
        year_raw = values.get(columns["year"], "").strip()
        year = int(year_raw) if year_raw.isdigit() else None
        if year is None or not 2000 <= year <= 2100:
            errors.append(
                RowError(
                    number, columns["year"], _("'%(value)s' is not a year") % {"value": year_raw}
                )
            )
        source_raw = values.get(columns["source"], "").strip()
        source = sources.get(source_raw.lower(), "")
        if not source:
            errors.append(
                RowError(
                    number,
                    columns["source"],
                    _("'%(value)s' is not a known survey (%(known)s)")
                    % {"value": source_raw, "known": ", ".join(SurveySource.labels)},
                )
            )
        percent_raw = values.get(columns["prevalence"], "")
        prevalence = _percent(percent_raw)
        if prevalence is None:
            errors.append(
                RowError(
                    number,
                    columns["prevalence"],
                    _("'%(value)s' is not a percentage between 0 and 100 with one decimal")
                    % {"value": percent_raw},
                )
            )
        sample = _count(values, columns, "sample_size", number, errors, required=False)
        url = values.get(columns.get("source_url", ""), "").strip()
        if url and not url.startswith(("https://", "http://")):
            errors.append(
                RowError(number, columns["source_url"], _("a web address starts with https://"))
            )
        if year is not None and source:
            first = seen.setdefault((code, source, year), number)
            if first != number:
                errors.append(
                    RowError(
                        number,
                        code_column,
                        _("this region, survey and year is already in row %(row)s")
                        % {"row": first},
                    )
                )
        if errors:
            result.errors += errors
            continue
        assert year is not None
        assert prevalence is not None
        result.rows.append(
            SurveyRow(
                row=number,
                region_code=code,
                source=source,
                year=year,
                prevalence=prevalence,
                sample_size=sample,
                source_url=url[:500],
                note=values.get(columns.get("note", ""), "").strip(),
            )
        )
    return result
