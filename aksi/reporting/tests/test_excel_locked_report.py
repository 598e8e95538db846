from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from aksi.accounts.models import User
from aksi.catalogue.models import Indicator
from aksi.regions.models import Region
from aksi.reporting.imports import CellPair, coverage_values_import
from aksi.reporting.models import CoverageValue

pytest.importorskip("aksi.review.locks")


@pytest.fixture
def submitted(db: None) -> Region:
    from aksi.review.measures import coverage_step
    from aksi.review.models import Submission

    kecamatan = Region.objects.get(code="35.19.01")
    Submission.objects.create(
        step=coverage_step(2025),
        region=kecamatan,
        period="2025",
        status=Submission.Status.SUBMITTED,
    )
    return kecamatan


def test_a_submitted_report_refuses_the_upload_and_the_service(
    client: Client, district_operator: User, submitted: Region
) -> None:
    client.force_login(district_operator)
    data = client.get(reverse("reporting:excel_template", args=["2025", submitted.code])).content
    workbook = load_workbook(io.BytesIO(data))
    workbook["Data"].cell(3, 3, 1)
    workbook["Data"].cell(3, 4, 2)
    out = io.BytesIO()
    workbook.save(out)
    response = client.post(
        reverse("reporting:excel_upload", args=["2025", submitted.code]),
        {"file": SimpleUploadedFile("isian.xlsx", out.getvalue())},
    )
    assert "report" not in response.context
    assert "dikunci" in response.context["form"].errors["file"][0]  # "locked", in Indonesian

    indicator = Indicator.objects.get(catalogue__year=2025, code="BL-01")
    cell = CellPair(
        region_code="35.19.01.2001", indicator_id=indicator.pk, numerator=1, denominator=2
    )
    with pytest.raises(PermissionDenied):  # review.locks.ValuesLocked
        coverage_values_import(
            actor=district_operator,
            subdistrict=submitted,
            period="2025",
            cells=[cell],
            apply=True,
        )
    assert not CoverageValue.objects.exists()
