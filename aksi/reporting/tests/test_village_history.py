from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.catalogue.models import Indicator
from aksi.regions.models import Region
from aksi.reporting.models import CoverageValue
from aksi.reporting.services import coverage_value_save

DESA = "35.19.01.2001"


@pytest.fixture
def operator(db: None) -> User:
    return user_with_role("op_kebonsari", Role.OPERATOR, "35.19.01")


def test_the_village_page_shows_each_change_and_saves_a_comment(
    client: Client, operator: User, django_assert_max_num_queries: Any
) -> None:
    indicator = Indicator.objects.get(catalogue__year=2025, code="BL-01")
    village = Region.objects.get(code=DESA)
    coverage_value_save(
        actor=operator,
        indicator=indicator,
        region=village,
        period="2025",
        numerator=40,
        denominator=50,
    )
    coverage_value_save(
        actor=operator,
        indicator=indicator,
        region=village,
        period="2025",
        numerator=42,
        denominator=50,
        expected_version=1,
    )
    client.force_login(operator)
    url = reverse("reporting:village", args=["2025", DESA])
    with django_assert_max_num_queries(14):
        page = client.get(url)
    row = next(r for r in page.context["rows"] if r.indicator.code == "BL-01")
    assert [(c.old_numerator, c.new_numerator) for c in row.changes] == [(40, 42), (None, 40)]
    response = client.post(
        url, {"indicator": indicator.pk, "version": "2", "note": "Sesuai register"}
    )
    assert response.status_code == 302
    value = CoverageValue.objects.get()
    assert (value.note, value.numerator, value.version) == ("Sesuai register", 42, 3)


def test_a_village_outside_the_scope_is_not_found(client: Client, operator: User) -> None:
    client.force_login(operator)
    assert (
        client.get(reverse("reporting:village", args=["2025", "35.19.02.2001"])).status_code == 404
    )
