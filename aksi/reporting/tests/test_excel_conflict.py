from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from aksi.accounts.models import User
from aksi.catalogue.models import Indicator
from aksi.regions.models import Region
from aksi.reporting.models import CoverageValue
from aksi.reporting.services import coverage_value_save

DESA = "35.19.01.2001"


def test_a_value_saved_by_someone_else_after_the_preview_stops_the_apply(
    client: Client, district_operator: User
) -> None:
    client.force_login(district_operator)
    data = client.get(reverse("reporting:excel_template", args=["2025", "35.19.01"])).content
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Data"]
    columns = {cell.value: cell.column for cell in sheet[2]}
    rows = {sheet.cell(r, 1).value: r for r in range(3, sheet.max_row + 1)}
    sheet.cell(rows[DESA], columns["BL-01 pembilang"], 3)
    sheet.cell(rows[DESA], columns["BL-01 penyebut"], 9)
    sheet.cell(rows["35.19.01.2002"], columns["BL-01 pembilang"], 1)
    out = io.BytesIO()
    workbook.save(out)
    preview = client.post(
        reverse("reporting:excel_upload", args=["2025", "35.19.01"]),
        {"file": SimpleUploadedFile("isian.xlsx", out.getvalue())},
    )
    coverage_value_save(  # a colleague saves in the grid meanwhile
        actor=district_operator,
        indicator=Indicator.objects.get(catalogue__year=2025, code="BL-01"),
        region=Region.objects.get(code=DESA),
        period="2025",
        numerator=5,
        denominator=9,
    )
    response = client.post(
        reverse("reporting:excel_apply", args=["2025", "35.19.01"]),
        {"token": preview.context["token"]},
    )
    assert "setelah pratinjau Anda" in response.context["failure"]  # "after your preview"
    assert CoverageValue.objects.get().numerator == 5  # theirs stays; the other desa not written
