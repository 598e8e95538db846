"""Downloads of the dashboard tables: CSV for machines, XLSX for people.

CSV is machine format: UTF-8, comma-separated, a header of stable keys, numbers with a point
and no grouping (80.5, 12345), empty for no value. It streams row by row
(StreamingHttpResponse).

XLSX is for people and opens in Indonesian number format. Excel number-format codes are stored
locale-independently — "," always means the thousands separator and "." the decimal mark in
the file — and Excel shows them with the separators of the reader's locale. So the codes below
are the canonical '#,##0' and '0.0%' (never '#.##0', which Excel would read as a literal
pattern), and an Indonesian Excel or LibreOffice shows 1.234 and 80,5%. Values are real
numbers, so sums and sorting work. The workbook is written with XlsxWriter's constant_memory
mode (each row flushed to a temporary file as written) into a temporary file that is then
streamed (FileResponse): a desa-level export of a whole province never sits in memory.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from aksi.analytics.legend import Band

TEXT, INT, PERCENT, POINTS = "text", "int", "percent", "points"
XLSX_FORMATS = {INT: "#,##0", PERCENT: "0.0%", POINTS: "+0.0;-0.0;0.0"}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str  # CSV header: stable, machine-readable
    label: str  # XLSX header: for people, translated
    kind: str = TEXT  # PERCENT values are percentages (80.5), written as 0.805 in XLSX
    width: int = 12


@dataclass(frozen=True)
class Banded:
    """A percentage cell coloured by its legend band in XLSX (the value alone in CSV)."""

    value: float | None
    band: Band


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: Iterable[list[Any]]  # may be a generator: read once, in order
    as_of: Any = None  # datetime of the data
    as_of_label: str = ""  # the same, as people read it ("2 Mei 2026 11:30 WIB")
    notes: list[str] = field(default_factory=list)


def _plain(value: Any) -> Any:
    value = value.value if isinstance(value, Banded) else value
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(round(value, 4))
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(table: Table) -> Iterator[str]:
    writer = csv.writer(_Echo(), lineterminator="\n")
    yield writer.writerow([c.key for c in table.columns])
    for row in table.rows:
        yield writer.writerow([_plain(v) for v in row])


def csv_response(table: Table, *, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _as_of_text(table: Table) -> str:
    if table.as_of is None:
        return _("No data entered yet for this period.")
    return _("Data as of %(time)s") % {"time": table.as_of_label or table.as_of.isoformat()}


def write_xlsx(table: Table, handle: Any) -> None:
    """Write the table as a one-sheet workbook into an open binary file."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        handle,
        {"constant_memory": True, "in_memory": False, "tmpdir": tempfile.gettempdir()},
    )
    workbook.set_properties({"title": table.title, "company": "Aksi"})
    # Excel refuses these characters and more than 31 in a sheet name.
    sheet = workbook.add_worksheet(re.sub(r"[\[\]:*?/\\]", "-", table.title)[:31] or "Aksi")
    title = workbook.add_format({"bold": True, "font_size": 14})
    header = workbook.add_format(
        {"bold": True, "bg_color": "#e6f2ed", "bottom": 1, "text_wrap": True, "valign": "top"}
    )
    kinds = {kind: workbook.add_format({"num_format": code}) for kind, code in XLSX_FORMATS.items()}
    banded: dict[str, Any] = {}

    def band_format(band: Band) -> Any:
        if band.key not in banded:
            banded[band.key] = workbook.add_format(
                {
                    "num_format": XLSX_FORMATS[PERCENT],
                    "bg_color": band.background,
                    "font_color": band.text,
                }
            )
        return banded[band.key]

    for index, column in enumerate(table.columns):
        sheet.set_column(index, index, column.width)
    sheet.write_string(0, 0, table.title, title)
    sheet.write_string(1, 0, _as_of_text(table))
    row_number = 2
    for note in table.notes:
        sheet.write_string(row_number, 0, note)
        row_number += 1
    row_number += 1
    header_row = row_number
    for index, column in enumerate(table.columns):
        sheet.write_string(header_row, index, column.label, header)
    sheet.freeze_panes(header_row + 1, 0)
    for values in table.rows:
        row_number += 1
        for index, (column, value) in enumerate(zip(table.columns, values, strict=False)):
            fmt = None
            if isinstance(value, Banded):
                fmt, value = band_format(value.band), value.value
            if value is None or value == "":
                if fmt is not None:
                    sheet.write_blank(row_number, index, None, fmt)
                continue
            if column.kind == TEXT:
                sheet.write_string(row_number, index, str(value))
            elif column.kind == PERCENT:
                sheet.write_number(row_number, index, float(value) / 100, fmt or kinds[PERCENT])
            else:
                sheet.write_number(row_number, index, value, fmt or kinds[column.kind])
    sheet.autofilter(header_row, 0, max(row_number, header_row), len(table.columns) - 1)
    workbook.close()


def xlsx_response(table: Table, *, filename: str) -> FileResponse:
    # A temporary file, not BytesIO: the finished workbook is streamed from disk.
    handle = tempfile.TemporaryFile()
    write_xlsx(table, handle)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_CONTENT_TYPE
    )
