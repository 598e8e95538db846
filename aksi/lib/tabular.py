"""Read an uploaded CSV or XLSX sheet into rows of text, safely.

Values only: formulas are never evaluated (openpyxl returns the cached value or the formula
text), the file size is capped, and the workbook is opened read-only (streaming), so a
decompression bomb cannot exhaust memory.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from typing import IO


class SheetError(Exception):
    """The file cannot be read as a table; the message says why."""


@dataclass(frozen=True)
class Sheet:
    header: list[str]
    rows: list[dict[str, str]]  # keyed by normalised header
    row_numbers: list[int]  # the spreadsheet row of each entry, for messages


MAX_BYTES = 2 * 1024 * 1024
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_ROWS = 5000


def normalise(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(raw_rows: list[list[object]]) -> Sheet:
    rows_iter = iter(enumerate(raw_rows, start=1))
    for _number, first in rows_iter:
        if any(_cell(v) for v in first):
            header = [normalise(_cell(v)) for v in first]
            break
    else:
        raise SheetError("The file is empty.")
    rows: list[dict[str, str]] = []
    numbers: list[int] = []
    for number, raw in rows_iter:
        values = [_cell(v) for v in raw]
        if not any(values):
            continue
        rows.append({h: (values[i] if i < len(values) else "") for i, h in enumerate(header) if h})
        numbers.append(number)
        if len(rows) > MAX_ROWS:
            raise SheetError(f"The file has more than {MAX_ROWS:,} rows; split it.")
    return Sheet(header=[h for h in header if h], rows=rows, row_numbers=numbers)


def read_sheet(upload: IO[bytes], *, name: str, max_bytes: int = MAX_BYTES) -> Sheet:
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SheetError(f"The file is larger than {max_bytes // 1024:,} KB.")
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        return _read_xlsx(data)
    if lowered.endswith(".csv"):
        return _read_csv(data)
    raise SheetError("Upload an .xlsx or .csv file.")


def _read_csv(data: bytes) -> Sheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetError("The CSV file is not UTF-8 text; save it again as CSV UTF-8.") from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return _table([list(row) for row in csv.reader(io.StringIO(text), dialect)])


def _read_xlsx(data: bytes) -> Sheet:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
                raise SheetError("The workbook unpacks to too much data to be a plain table.")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except SheetError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise SheetError("The file is not a valid .xlsx workbook.") from None
    try:
        sheet = workbook.worksheets[0]
        return _table([list(row) for row in sheet.iter_rows(values_only=True)])
    finally:
        workbook.close()
