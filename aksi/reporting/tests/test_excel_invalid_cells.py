from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.reporting.models import CoverageValue, CoverageValueChange

KECAMATAN = "35.19.01"  # Kebonsari, Kab. Madiun
DESA = "35.19.01.2001"


@pytest.fixture
def operator(db: None) -> User:
    return user_with_role("op_kebonsari", Role.OPERATOR, KECAMATAN)


def _filled(client: Client, values: dict[tuple[str, str], object]) -> SimpleUploadedFile:
    data = client.get(reverse("reporting:excel_template", args=["2025", KECAMATAN])).content
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Data"]
    columns = {cell.value: cell.column for cell in sheet[2]}
    rows = {sheet.cell(r, 1).value: r for r in range(3, sheet.max_row + 1)}
    for (desa, column), value in values.items():
        sheet.cell(rows[desa], columns[column], value)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("isian.xlsx", out.getvalue())


def test_one_invalid_cell_blocks_the_whole_file_and_names_desa_indicator_and_reason(
    client: Client, operator: User
) -> None:
    client.force_login(operator)
    upload = _filled(
        client,
        {
            ("35.19.01.2002", "BL-01 pembilang"): 30,  # valid on its own
            ("35.19.01.2002", "BL-01 penyebut"): 40,
            (DESA, "BL-01 pembilang"): "1,5",  # a fraction
            (DESA, "BL-03 pembilang"): 12,  # more cases treated than found (a register)
            (DESA, "BL-03 penyebut"): 10,
            (DESA, "CT-01 penyebut"): "banyak",  # text
        },
    )
    url = reverse("reporting:excel_upload", args=["2025", KECAMATAN])
    response = client.post(url, {"file": upload})
    report = response.context["report"]
    assert report.counts["invalid"] == 3
    assert "token" not in response.context  # no apply button, nothing stored to apply
    invalid = {(o.region_code, o.indicator_code, o.side): o for o in report.listed[:3]}
    assert set(invalid) == {
        (DESA, "BL-01", "numerator"),
        (DESA, "BL-03", "numerator"),
        (DESA, "CT-01", "denominator"),
    }
    assert invalid[(DESA, "BL-03", "numerator")].region_name == "Tambakmas"
    body = response.content.decode()
    assert "Tambakmas" in body
    assert DESA in body
    assert "pecahan" in body  # the comma marks a fraction (Indonesian, the default language)
    assert "lebih besar" in body  # numerator larger than the denominator
    assert "Terapkan" not in body
    assert "Apply" not in body

    # An apply forced with a made-up token saves nothing either.
    response = client.post(
        reverse("reporting:excel_apply", args=["2025", KECAMATAN]), {"token": "x"}
    )
    assert response.status_code == 302
    assert not CoverageValue.objects.exists()
    assert not CoverageValueChange.objects.exists()
