from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from aksi.accounts.tests.factories import region_admin
from aksi.core.models import AuditEvent
from aksi.prevalence.models import AdministrativeCount
from aksi.prevalence.tests.helpers import ADMIN_HEADER, DESA_A, DESA_B, csv_upload


@pytest.fixture(autouse=True)
def _english_pages(client: Any) -> None:
    """These tests read English wording: the pages speak Indonesian unless the user chooses."""
    client.cookies["django_language"] = "en"


pytestmark = pytest.mark.django_db


def _check(client: object, *lines: str) -> object:
    return client.post(  # type: ignore[attr-defined]
        reverse("prevalence:import"),
        {"kind": "administrative", "file": csv_upload("eppgbm.csv", ADMIN_HEADER, *lines)},
    )


def test_an_operator_may_not_open_the_import(client: object, district_operator: object) -> None:
    client.force_login(district_operator)  # type: ignore[attr-defined]
    assert client.get(reverse("prevalence:import")).status_code == 403  # type: ignore[attr-defined]


def test_the_check_lists_every_error_and_offers_no_apply(client: object) -> None:
    client.force_login(region_admin("35.19"))  # type: ignore[attr-defined]
    with translation.override("en"):
        response = _check(client, f"{DESA_A},202408,,10,11,0", "11.01.01.2001,202408,,10,1,0")
    page = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "11 is more than the 10 children measured" in page
    assert "11.01.01.2001 is outside your region" in page
    assert "<code>pendek</code>" in page
    assert 'action="/prevalence/import/apply/"' not in page
    assert AdministrativeCount.objects.count() == 0


def test_check_then_apply_saves_the_rows_and_audits(client: object) -> None:
    admin = region_admin("35.19")
    client.force_login(admin)  # type: ignore[attr-defined]
    response = _check(client, f"{DESA_A},202408,,10,1,0", f"{DESA_B},202408,,12,1,1")
    page = response.content.decode()  # type: ignore[attr-defined]
    assert 'action="/prevalence/import/apply/"' in page
    assert AdministrativeCount.objects.count() == 0  # the check saves nothing
    token = client.session["prevalence_import"]["token"]  # type: ignore[attr-defined]
    response = client.post(reverse("prevalence:import_apply"), {"token": token})  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert AdministrativeCount.objects.count() == 2
    assert AuditEvent.objects.get(event_type="prevalence.imported").actor == admin
    # The same token cannot apply twice.
    again = client.post(reverse("prevalence:import_apply"), {"token": token})  # type: ignore[attr-defined]
    assert again.status_code == 302  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(event_type="prevalence.imported").count() == 1


def test_a_survey_file_goes_through_the_same_check(client: object, central_admin: object) -> None:
    client.force_login(central_admin)  # type: ignore[attr-defined]
    upload = csv_upload("s.csv", "kode_wilayah,tahun,survei,prevalensi_persen", "35,2024,SSGI,14.7")
    response = client.post(reverse("prevalence:import"), {"kind": "survey", "file": upload})  # type: ignore[attr-defined]
    token = client.session["prevalence_import"]["token"]  # type: ignore[attr-defined]
    assert "count-new" in response.content.decode()  # type: ignore[attr-defined]
    client.post(reverse("prevalence:import_apply"), {"token": token})  # type: ignore[attr-defined]
    from aksi.prevalence.models import SurveyPrevalence

    assert str(SurveyPrevalence.objects.get(region_id="35").prevalence) == "14.7"
