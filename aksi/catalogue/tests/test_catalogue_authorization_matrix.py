"""Every role × every catalogue write page (copy to a new year, edit an indicator of a draft,
publish): the catalogue is national, so only a central admin (or a superuser) writes; every
other role, wherever it is assigned, gets 403 and nothing changes; anonymous users go to the
login page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.catalogue.forms import IndicatorForm
from aksi.catalogue.models import Indicator, IndicatorCatalogue

ACTORS = [
    (Role.OPERATOR, "35.19.01"),
    (Role.VERIFIER, "35.19"),
    (Role.VIEWER, "35"),
    (Role.PANELIST, "35"),
    (Role.PROVINCIAL_REVIEWER, "35"),
    (Role.REGION_ADMIN, "35"),
    (Role.CENTRAL_MONITOR, None),
    (Role.CENTRAL_ADMIN, None),
    ("superuser", None),
    ("anonymous", None),
]


def _client(role: str, region: str | None) -> Client:
    client = Client()
    if role == "superuser":
        client.force_login(User.objects.create_superuser("root", password="x-correct-horse"))
    elif role != "anonymous":
        client.force_login(user_with_role("actor", role, region))
    return client


def _may(role: str) -> bool:
    return role in (Role.CENTRAL_ADMIN, "superuser")


def _refused(role: str, response: Any) -> None:
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(("role", "region"), ACTORS)
def test_copying_the_catalogue_to_a_new_year(
    catalogue_2025: IndicatorCatalogue, role: str, region: str | None
) -> None:
    response = _client(role, region).post(
        reverse("catalogue:copy"), {"source": 2025, "year": 2027, "name": "Katalog 2027"}
    )
    created = IndicatorCatalogue.objects.filter(year=2027).exists()
    assert created == _may(role)
    if not _may(role):
        _refused(role, response)


@pytest.mark.parametrize(("role", "region"), ACTORS)
def test_editing_an_indicator_of_a_draft(
    draft_2026: IndicatorCatalogue, role: str, region: str | None
) -> None:
    indicator = draft_2026.indicators.get(code="RP-02")
    data = {
        key: value
        for key, value in IndicatorForm.initial_for(indicator).items()
        if value is not None
    }
    data["target_group"] = indicator.target_group_id
    data["pillars"] = [pillar.pk for pillar in indicator.pillars.all()]
    data["national_target"] = "77.5"
    response = _client(role, region).post(
        reverse("catalogue:indicator_edit", args=[2026, "RP-02"]), data
    )
    saved = Indicator.objects.get(pk=indicator.pk).national_target == Decimal("77.5")
    assert saved == _may(role)
    if not _may(role):
        _refused(role, response)


@pytest.mark.parametrize(("role", "region"), ACTORS)
def test_publishing_a_draft(draft_2026: IndicatorCatalogue, role: str, region: str | None) -> None:
    response = _client(role, region).post(reverse("catalogue:publish", args=[2026]))
    draft_2026.refresh_from_db()
    assert (draft_2026.status == IndicatorCatalogue.Status.PUBLISHED) == _may(role)
    if not _may(role):
        _refused(role, response)
