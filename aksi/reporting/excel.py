"""The Excel entry template of one kecamatan and period: write it, and read a filled one back.

The template is a plain workbook (openpyxl writes it; LibreOffice or Excel may re-save it): a
data sheet with one row per desa and two columns per indicator, a sheet of supporting data
(data pendukung: a row per desa and one for the kecamatan, a column per item), and a hidden
sheet `_aksi` naming the kecamatan, period, indicators and items, so a file of another
kecamatan or period is refused. Reading never evaluates anything: a formula cell is an
invalid cell.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from aksi.catalogue.models import Indicator, SupportingItem
from aksi.lib.numbers import NumberError, parse_count
from aksi.lib.tabular import MAX_UNCOMPRESSED
from aksi.regions.models import Region
from aksi.reporting.imports import CellPair
from aksi.reporting.selectors import GridRow
from aksi.reporting.supporting.bulk import SupportingCell
from aksi.reporting.supporting.grid import SupportingRow
from aksi.reporting.supporting.values import parse_supporting

META_SHEET = "_aksi"
DATA_SHEET = "Data"
SUPPORTING_SHEET = "Pendukung"
KIND = "aksi-coverage-template"
HEADER_ROW = 2  # row 1: indicator names; row 2: column keys; desa from row 3
FIRST_DATA_ROW = 3
SIDES = {"numerator": "pembilang", "denominator": "penyebut"}
# 313 desa × 30 indicators of the largest kabupaten stay far below this.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_DATA_ROWS = 2000
# In a number format code the comma is the grouping mark; Excel and LibreOffice display it with
# the locale's separator, so an Indonesian machine shows 1.234.
COUNT_FORMAT = "#,##0"
RUPIAH_FORMAT = '"Rp "#,##0'
YES, NO = "Ya", "Tidak"


class TemplateError(Exception):
    """The upload is not a readable Aksi template for this page; the message says why."""


@dataclass(frozen=True)
class TemplateUpload:
    subdistrict_code: str
    period: str
    catalogue_year: int
    pairs: list[CellPair]
    supporting: list[SupportingCell] = field(default_factory=list)


def template_filename(*, subdistrict: Region, period: str) -> str:
    return f"aksi-{subdistrict.code}-{period}.xlsx"


def _headers(sheet, labels: tuple[str, str], keys: tuple[str, str]):  # noqa: ANN001, ANN202
    """The two fixed columns (code, name): a label row, a key row; returns the bold font."""
    from openpyxl.styles import Font

    bold = Font(bold=True)
    for column, (label, key) in enumerate(zip(labels, keys, strict=True), start=1):
        sheet.cell(1, column, label).font = bold
        sheet.cell(HEADER_ROW, column, key).font = bold
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 24
    return bold


def _rules(sheet, yes_no_list: str):  # noqa: ANN001, ANN202
    """The sheet's data validations: whole numbers ≥ 0, and a yes/no list (`"1,0"`)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    whole = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Whole number"),
        error=_("Enter a whole number of 0 or more."),
    )
    yes_no = DataValidation(
        type="list",
        formula1=yes_no_list,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Yes/no"),
        error=_("Enter 1 (yes) or 0 (no).") if yes_no_list == '"1,0"' else _("Choose Ya or Tidak."),
    )
    sheet.add_data_validation(whole)
    sheet.add_data_validation(yes_no)
    return whole, yes_no


def _protect(sheet) -> None:  # noqa: ANN001
    """Locked cells (codes, names, headers) are protected; no password, it guards mistakes
    only. Open cells stay editable, columns and rows resizable."""
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, 3)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def template_build(
    *,
    subdistrict: Region,
    period: str,
    indicators: list[Indicator],
    rows: list[GridRow],
    generated_at: dt.datetime | None = None,
    items: list[SupportingItem] | None = None,
    supporting_rows: list[SupportingRow] | None = None,
    subdistrict_names: dict[str, str] | None = None,
) -> bytes:
    """The workbook for `rows` (entry_grid) with the saved values pre-filled; with `items`, a
    sheet of supporting data for `supporting_rows` (supporting_grid: desa rows, then the
    kecamatan's own row)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, PatternFill, Protection
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    grey = PatternFill("solid", fgColor="EEEEEE")
    wrap = Alignment(wrap_text=True, vertical="top")
    open_cell = Protection(locked=False)

    bold = _headers(sheet, (_("Village code"), _("Village")), ("kode_desa", "nama_desa"))
    last_row = FIRST_DATA_ROW + len(rows) - 1
    whole, yes_no = _rules(sheet, '"1,0"')
    for index, indicator in enumerate(indicators):
        column = 3 + 2 * index
        first, second = get_column_letter(column), get_column_letter(column + 1)
        title = sheet.cell(1, column, f"{indicator.code} — {indicator.name}")
        title.font, title.alignment = bold, wrap
        sheet.merge_cells(start_row=1, start_column=column, end_row=1, end_column=column + 1)
        for offset, side in enumerate(SIDES.values()):
            key = sheet.cell(HEADER_ROW, column + offset, f"{indicator.code} {side}")
            key.font = bold
        sheet.column_dimensions[first].width = 14
        sheet.column_dimensions[second].width = 14
        if rows:
            if indicator.is_binary:
                # The denominator of a yes/no indicator is always 1: entered by nobody.
                yes_no.add(f"{first}{FIRST_DATA_ROW}:{first}{last_row}")
            else:
                whole.add(f"{first}{FIRST_DATA_ROW}:{second}{last_row}")
    sheet.row_dimensions[1].height = 60

    for row_index, row in enumerate(rows, start=FIRST_DATA_ROW):
        code_cell = sheet.cell(row_index, 1, row.village.code)
        name = row.village.name
        if subdistrict_names:  # a kab/kota's file: which kecamatan the desa lies in
            name = f"{name} — {subdistrict_names.get(row.village.parent_id or '', '')}"
        name_cell = sheet.cell(row_index, 2, name)
        code_cell.fill = name_cell.fill = grey
        for index, (indicator, value) in enumerate(row.cells):
            column = 3 + 2 * index
            numerator = sheet.cell(row_index, column, value.numerator if value else None)
            denominator = sheet.cell(row_index, column + 1, value.denominator if value else None)
            numerator.number_format = denominator.number_format = COUNT_FORMAT
            numerator.protection = open_cell
            if indicator.is_binary:
                denominator.fill = grey
            else:
                denominator.protection = open_cell
    _protect(sheet)

    if items:
        _supporting_sheet(workbook, items, supporting_rows or [])

    meta = workbook.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    year = indicators[0].catalogue.year if indicators else int(period[:4])
    moment = (generated_at or timezone.now()).astimezone(dt.UTC).replace(microsecond=0)
    for line in (
        ("kind", KIND),
        # The region of the file: a kecamatan, or a kab/kota for its OPD (the key is historic).
        ("kecamatan", subdistrict.code),
        ("level", subdistrict.level),
        ("period", period),
        ("catalogue_year", year),
        ("generated_at", moment.isoformat()),
    ):
        meta.append(line)
    for indicator in indicators:
        meta.append(("indicator", indicator.pk, indicator.code))
    for item in items or []:
        meta.append(("supporting", item.pk, item.code))
    meta.protection.sheet = True

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _supporting_sheet(workbook, items: list[SupportingItem], rows: list[SupportingRow]) -> None:  # noqa: ANN001
    """Data pendukung: a column per item; a desa row opens the village items, the kecamatan's
    row its own items; every other cell is grey and protected."""
    from openpyxl.styles import Alignment, PatternFill, Protection
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(SUPPORTING_SHEET)
    grey = PatternFill("solid", fgColor="EEEEEE")
    bold = _headers(
        sheet, (_("Region code"), _("Village / subdistrict")), ("kode_wilayah", "nama_wilayah")
    )
    last_row = FIRST_DATA_ROW + len(rows) - 1
    whole, yes_no = _rules(sheet, f'"{YES},{NO}"')
    for index, item in enumerate(items):
        column = 3 + index
        letter = get_column_letter(column)
        title = sheet.cell(1, column, f"{item.code} — {item.name}")
        title.font, title.alignment = bold, Alignment(wrap_text=True, vertical="top")
        sheet.cell(HEADER_ROW, column, item.code).font = bold
        sheet.column_dimensions[letter].width = 16 if item.unit == "rupiah" else 12
        if rows:
            rule = yes_no if item.unit == SupportingItem.Unit.YES_NO else whole
            rule.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
    sheet.row_dimensions[1].height = 75
    for row_index, row in enumerate(rows, start=FIRST_DATA_ROW):
        code_cell = sheet.cell(row_index, 1, row.region.code)
        name_cell = sheet.cell(row_index, 2, row.region.name)
        code_cell.fill = name_cell.fill = grey
        values = {item.pk: value for item, value in row.cells}
        for index, item in enumerate(items):
            cell = sheet.cell(row_index, 3 + index)
            if item.pk not in values:
                cell.fill = grey  # not an item of this row's level
                continue
            value = values[item.pk]
            number = value.value if value is not None else None
            if item.unit == SupportingItem.Unit.YES_NO:
                cell.value = None if number is None else (YES if number else NO)
            else:
                cell.value = number
                cell.number_format = (
                    RUPIAH_FORMAT if item.unit == SupportingItem.Unit.RUPIAH else COUNT_FORMAT
                )
            cell.protection = Protection(locked=False)
    _protect(sheet)


def _open(data: bytes, *, name: str):  # noqa: ANN202 - an openpyxl workbook
    from openpyxl import load_workbook

    if not name.lower().endswith(".xlsx"):
        raise TemplateError(_("Upload the .xlsx file downloaded from this page."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise TemplateError(
            _("The file is larger than %(size)s KB.") % {"size": MAX_UPLOAD_BYTES // 1024}
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
                raise TemplateError(_("The workbook unpacks to too much data to be a template."))
        # read_only streams the sheets; formulas come back as formulas (data_type "f"), never
        # evaluated, so they can be refused cell by cell.
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except TemplateError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise TemplateError(_("The file is not a valid .xlsx workbook.")) from None


def _meta(workbook) -> tuple[dict[str, str], dict[str, int], dict[str, int]]:  # noqa: ANN001
    if META_SHEET not in workbook.sheetnames or DATA_SHEET not in workbook.sheetnames:
        raise TemplateError(
            _("This is not an Aksi template: download the template from this page and fill it.")
        )
    meta: dict[str, str] = {}
    indicator_ids: dict[str, int] = {}
    item_ids: dict[str, int] = {}
    for row in workbook[META_SHEET].iter_rows(values_only=True):
        if not row or row[0] is None:
            continue
        key = str(row[0]).strip()
        if key in ("indicator", "supporting") and len(row) >= 3:
            if row[1] is None or row[2] is None:
                continue
            try:
                target = indicator_ids if key == "indicator" else item_ids
                target[str(row[2]).strip()] = int(row[1])
            except (TypeError, ValueError):
                raise TemplateError(_("The hidden sheet of the template was changed.")) from None
        elif len(row) >= 2 and row[1] is not None:
            meta[key] = str(row[1]).strip()
    if meta.get("kind") != KIND:
        raise TemplateError(
            _("This is not an Aksi template: download the template from this page and fill it.")
        )
    return meta, indicator_ids, item_ids


def _number(cell) -> tuple[int | None, str]:  # noqa: ANN001 - an openpyxl read-only cell
    """The count in a cell and, if it is not one, why."""
    value = cell.value
    if cell.data_type == "f":
        return None, _("a formula: type the number itself")
    if value is None:
        return None, ""
    if isinstance(value, bool):
        return None, _("not a number")
    if isinstance(value, float):
        if not value.is_integer():
            return None, _("a count is a whole number")
        value = int(value)
    if isinstance(value, int | str):
        try:
            return parse_count(value), ""
        except NumberError as error:
            return None, str(error)
    return None, _("not a number")


def template_read(data: bytes, *, name: str) -> TemplateUpload:
    """The pairs of a filled template; cells that are not counts carry their reason."""
    workbook = _open(data, name=name)
    try:
        meta, indicator_ids, item_ids = _meta(workbook)
        try:
            year = int(meta.get("catalogue_year", ""))
        except ValueError:
            raise TemplateError(_("The hidden sheet of the template was changed.")) from None
        pairs: list[CellPair] = []
        columns: dict[int, tuple[int, str]] = {}  # column index → (indicator id, side)
        sides = {label: side for side, label in SIDES.items()}
        for number, row in enumerate(workbook[DATA_SHEET].iter_rows(), start=1):
            if number < HEADER_ROW:
                continue
            if number == HEADER_ROW:
                for index, cell in enumerate(row):
                    code, _space, label = str(cell.value or "").strip().rpartition(" ")
                    if code in indicator_ids and label in sides:
                        columns[index] = (indicator_ids[code], sides[label])
                if not columns:
                    raise TemplateError(_("The column headers of the template were changed."))
                continue
            if number - FIRST_DATA_ROW >= MAX_DATA_ROWS:
                raise TemplateError(_("The sheet has more rows than a kecamatan has villages."))
            village = str(row[0].value or "").strip() if row else ""
            if not village:
                continue
            found: dict[int, dict[str, tuple[int | None, str]]] = {}
            for index, (indicator_id, side) in columns.items():
                if index < len(row):
                    found.setdefault(indicator_id, {})[side] = _number(row[index])
            for indicator_id, sides_found in found.items():
                numerator, numerator_error = sides_found.get("numerator", (None, ""))
                denominator, denominator_error = sides_found.get("denominator", (None, ""))
                pairs.append(
                    CellPair(
                        region_code=village,
                        indicator_id=indicator_id,
                        numerator=numerator,
                        denominator=denominator,
                        numerator_error=numerator_error,
                        denominator_error=denominator_error,
                    )
                )
        supporting = _read_supporting(workbook, item_ids) if item_ids else []
    finally:
        workbook.close()
    return TemplateUpload(
        subdistrict_code=meta.get("kecamatan", ""),
        period=meta.get("period", ""),
        catalogue_year=year,
        pairs=pairs,
        supporting=supporting,
    )


def _supporting_value(item: SupportingItem, cell) -> tuple[int | None, str]:  # noqa: ANN001
    """The stored number of a supporting cell and, if it is not one, why."""
    value = cell.value
    if cell.data_type == "f":
        return None, _("a formula: type the value itself")
    if value is None or isinstance(value, bool):
        return (None, "") if value is None else (None, _("not a number"))
    if isinstance(value, float):
        if not value.is_integer():
            return None, _("a whole number is expected")
        value = int(value)
    if not isinstance(value, int | str):
        return None, _("not a number")
    try:
        return parse_supporting(item, value), ""
    except NumberError as error:
        return None, str(error)


def _read_supporting(workbook, item_ids: dict[str, int]) -> list[SupportingCell]:  # noqa: ANN001
    if SUPPORTING_SHEET not in workbook.sheetnames:
        raise TemplateError(_("The sheet %(name)s is missing.") % {"name": SUPPORTING_SHEET})
    items = {i.pk: i for i in SupportingItem.objects.filter(pk__in=item_ids.values())}
    columns: dict[int, SupportingItem] = {}
    cells: list[SupportingCell] = []
    for number, row in enumerate(workbook[SUPPORTING_SHEET].iter_rows(), start=1):
        if number < HEADER_ROW:
            continue
        if number == HEADER_ROW:
            for index, cell in enumerate(row):
                code = str(cell.value or "").strip()
                if code in item_ids and item_ids[code] in items:
                    columns[index] = items[item_ids[code]]
            if not columns:
                raise TemplateError(
                    _("The column headers of the sheet %(name)s were changed.")
                    % {"name": SUPPORTING_SHEET}
                )
            continue
        if number - FIRST_DATA_ROW >= MAX_DATA_ROWS:
            raise TemplateError(_("The sheet has more rows than a kecamatan has villages."))
        region = str(row[0].value or "").strip() if row else ""
        if not region:
            continue
        for index, item in columns.items():
            if index >= len(row):
                continue
            value, error = _supporting_value(item, row[index])
            if value is None and not error:
                continue  # blank: the saved value stays
            cells.append(SupportingCell(region, item.pk, value, error))
    return cells
