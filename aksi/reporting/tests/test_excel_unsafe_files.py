from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import User
from aksi.reporting import excel


def _refusal(client: Client, user: User, upload: SimpleUploadedFile) -> str:
    client.force_login(user)
    response = client.post(
        reverse("reporting:excel_upload", args=["2025", "35.19.01"]), {"file": upload}
    )
    assert response.status_code == 200
    assert "report" not in response.context
    return response.context["form"].errors["file"][0]


def test_a_file_that_is_not_xlsx_is_refused(client: Client, district_operator: User) -> None:
    upload = SimpleUploadedFile("isian.csv", b"kode_desa;BL-01 pembilang\n35.19.01.2001;5\n")
    assert ".xlsx" in _refusal(client, district_operator, upload)


def test_a_file_named_xlsx_that_is_no_workbook_is_refused(
    client: Client, district_operator: User
) -> None:
    upload = SimpleUploadedFile("isian.xlsx", b"PK\x03\x04 not really a zip")
    assert "bukan berkas kerja .xlsx" in _refusal(client, district_operator, upload)


def test_an_oversize_file_is_refused_before_it_is_opened(
    client: Client, district_operator: User
) -> None:
    upload = SimpleUploadedFile("isian.xlsx", b"0" * (excel.MAX_UPLOAD_BYTES + 1))
    assert "lebih besar dari" in _refusal(client, district_operator, upload)


@pytest.mark.parametrize("entry", ["xl/worksheets/sheet1.xml"])
def test_a_zip_bomb_is_refused_without_unpacking_it(
    client: Client, district_operator: User, entry: str
) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(entry, b"\0" * (60 * 1024 * 1024))  # 60 MB of zeros, ~60 KB packed
    upload = SimpleUploadedFile("isian.xlsx", out.getvalue())
    assert "terlalu besar" in _refusal(client, district_operator, upload)
