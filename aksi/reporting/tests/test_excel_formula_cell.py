from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from aksi.accounts.models import User
from aksi.reporting.models import CoverageValue

DESA = "35.19.01.2001"


def test_a_formula_is_an_invalid_cell_and_is_never_evaluated(
    client: Client, district_operator: User
) -> None:
    client.force_login(district_operator)
    data = client.get(reverse("reporting:excel_template", args=["2025", "35.19.01"])).content
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Data"]
    columns = {cell.value: cell.column for cell in sheet[2]}
    row = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == DESA)
    sheet.cell(row, columns["BL-01 pembilang"], "=2+3")  # saved with no cached value
    sheet.cell(row, columns["BL-01 penyebut"], 10)
    out = io.BytesIO()
    workbook.save(out)
    response = client.post(
        reverse("reporting:excel_upload", args=["2025", "35.19.01"]),
        {"file": SimpleUploadedFile("isian.xlsx", out.getvalue())},
    )
    report = response.context["report"]
    assert report.counts["invalid"] == 1
    (invalid,) = [o for o in report.outcomes if o.kind == "invalid"]
    assert (invalid.region_code, invalid.indicator_code, invalid.side) == (
        DESA,
        "BL-01",
        "numerator",
    )
    assert "rumus" in invalid.reason  # "a formula: type the number itself"
    assert not CoverageValue.objects.exists()
