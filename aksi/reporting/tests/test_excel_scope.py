from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import User
from aksi.catalogue.models import Indicator
from aksi.regions.models import Region
from aksi.reporting.imports import CellPair, coverage_values_import
from aksi.reporting.models import CoverageValue


@pytest.mark.parametrize(
    ("method", "name"),
    [("get", "excel_template"), ("post", "excel_upload"), ("post", "excel_apply")],
)
def test_a_kecamatan_outside_the_entry_scope_is_not_found(
    client: Client, outsider: User, method: str, name: str
) -> None:
    client.force_login(outsider)
    url = reverse(f"reporting:{name}", args=["2025", "35.19.01"])
    data = {"file": SimpleUploadedFile("isian.xlsx", b"x"), "token": "x"}
    response = getattr(client, method)(url, data if method == "post" else None)
    assert response.status_code == 404


def test_the_service_refuses_an_outsider_even_when_called_directly(outsider: User) -> None:
    indicator = Indicator.objects.get(catalogue__year=2025, code="BL-01")
    cell = CellPair(
        region_code="35.19.01.2001", indicator_id=indicator.pk, numerator=1, denominator=2
    )
    with pytest.raises(PermissionDenied):
        coverage_values_import(
            actor=outsider,
            subdistrict=Region.objects.get(code="35.19.01"),
            period="2025",
            cells=[cell],
            apply=True,
        )
    assert not CoverageValue.objects.exists()
