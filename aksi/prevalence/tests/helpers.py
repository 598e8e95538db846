"""Small builders for prevalence tests: files in memory, in the layouts the readers take."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

ADMIN_HEADER = "kode_wilayah,periode,balita_sasaran,balita_diukur,pendek,sangat_pendek"
SURVEY_HEADER = "kode_wilayah,tahun,survei,prevalensi_persen,sumber_url,catatan"

# Kab. Madiun (35.19), kecamatan Kebonsari (35.19.01): real codes from the region tree.
DESA_A, DESA_B, DESA_C = "35.19.01.2001", "35.19.01.2002", "35.19.01.2003"


def csv_bytes(header: str, *lines: str) -> io.BytesIO:
    return io.BytesIO(("\n".join([header, *lines]) + "\n").encode())


def csv_upload(name: str, header: str, *lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(header, *lines).getvalue(), content_type="text/csv")


def xlsx_bytes(rows: list[list[object]]) -> io.BytesIO:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out
