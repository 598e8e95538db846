from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from aksi.accounts.models import User
from aksi.reporting.models import CoverageValue


@pytest.mark.parametrize(
    ("template_args", "page_args"),
    [
        (["2025", "35.19.02"], ["2025", "35.19.01"]),  # another kecamatan
        (["2025S1", "35.19.01"], ["2025", "35.19.01"]),  # another period
    ],
)
def test_a_template_of_another_kecamatan_or_period_is_refused(
    client: Client, district_operator: User, template_args: list[str], page_args: list[str]
) -> None:
    client.force_login(district_operator)
    data = client.get(reverse("reporting:excel_template", args=template_args)).content
    response = client.post(
        reverse("reporting:excel_upload", args=page_args),
        {"file": SimpleUploadedFile("isian.xlsx", data)},
    )
    assert response.status_code == 200
    assert "report" not in response.context
    errors = response.context["form"].errors["file"]
    assert f"{template_args[1]}, periode {template_args[0]}" in errors[0]
    assert not CoverageValue.objects.exists()


def test_a_workbook_that_is_not_an_aksi_template_is_refused(
    client: Client, district_operator: User
) -> None:
    workbook = Workbook()
    workbook.active.append(["kode_desa", "BL-01 pembilang"])
    out = io.BytesIO()
    workbook.save(out)
    client.force_login(district_operator)
    response = client.post(
        reverse("reporting:excel_upload", args=["2025", "35.19.01"]),
        {"file": SimpleUploadedFile("lain.xlsx", out.getvalue())},
    )
    assert "bukan templat Aksi" in response.context["form"].errors["file"][0]
