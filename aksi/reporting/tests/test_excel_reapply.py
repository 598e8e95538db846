from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from aksi.accounts.models import User
from aksi.reporting.models import CoverageValue, CoverageValueChange


def _upload_and_apply(client: Client, data: bytes) -> tuple[dict[str, int], int]:
    url = reverse("reporting:excel_upload", args=["2025", "35.19.01"])
    preview = client.post(url, {"file": SimpleUploadedFile("isian.xlsx", data)})
    applied = client.post(
        reverse("reporting:excel_apply", args=["2025", "35.19.01"]),
        {"token": preview.context["token"]},
    )
    return preview.context["report"].counts, applied.context["report"].written


def test_applying_the_same_file_twice_changes_nothing_the_second_time(
    client: Client, district_operator: User
) -> None:
    client.force_login(district_operator)
    data = client.get(reverse("reporting:excel_template", args=["2025", "35.19.01"])).content
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Data"]
    for row in range(3, sheet.max_row + 1):
        sheet.cell(row, 3, 4)  # first indicator: 4 of 8 in every desa
        sheet.cell(row, 4, 8)
    out = io.BytesIO()
    workbook.save(out)
    villages = sheet.max_row - 2

    counts, written = _upload_and_apply(client, out.getvalue())
    assert counts == {"new": 2 * villages, "changed": 0, "unchanged": 0, "invalid": 0}
    assert written == villages
    versions = list(CoverageValue.objects.values_list("version", flat=True))

    counts, written = _upload_and_apply(client, out.getvalue())
    assert counts == {"new": 0, "changed": 0, "unchanged": 2 * villages, "invalid": 0}
    assert written == 0
    assert (
        list(CoverageValue.objects.values_list("version", flat=True)) == versions == [1] * villages
    )
    assert CoverageValueChange.objects.count() == villages
