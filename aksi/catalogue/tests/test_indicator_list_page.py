from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import User
from aksi.catalogue.models import IndicatorCatalogue

pytestmark = pytest.mark.django_db


def _codes(response: Any) -> list[str]:
    return re.findall(r'href="/catalogue/\d{4}/([A-Z]{2}-\d{2})/"', response.content.decode())


def test_it_lists_the_31_indicators_in_constant_queries(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    # catalogue versions, target groups for the filter, indicators joined with their target
    # group and its parents, their pillars
    with django_assert_max_num_queries(4):
        response = client.get(reverse("catalogue:indicators"))
    assert response.status_code == 200
    assert len(_codes(response)) == 31
    html = response.content.decode()
    assert "Persentase remaja putri yang mengonsumsi tablet tambah darah (TTD)" in html


def test_it_shows_targets_in_indonesian_number_format(client: Client) -> None:
    html = client.get(reverse("catalogue:indicators"), {"year": 2025}).content.decode()
    assert "15,5%" in html  # KL-01
    assert "15.5%" not in html
    assert "(2024)" in html  # the target year, not "2.024"
    assert "2.024" not in html
    assert "2.025" not in html


def test_it_filters_by_target_group_including_sub_groups(client: Client) -> None:
    response = client.get(reverse("catalogue:indicators"), {"target_group": "mother"})
    assert _codes(response) == ["IB-01", "IB-02", "IB-03", "IB-04", "IB-05"]
    response = client.get(reverse("catalogue:indicators"), {"target_group": "child_under_two"})
    assert _codes(response) == ["BD-01", "BD-02", "BD-03", "BL-02"]


def test_it_filters_by_type_sector_and_certainty(client: Client) -> None:
    url = reverse("catalogue:indicators")
    assert len(_codes(client.get(url, {"intervention_type": "specific"}))) == 14
    assert _codes(client.get(url, {"sector": "food_security"})) == ["KL-06", "RT-05"]
    assert _codes(client.get(url, {"sector": "social"})) == ["KL-03", "KL-04", "KL-05", "KL-06"]
    assert _codes(client.get(url, {"certainty": "P"})) == ["BL-05", "BL-06"]
    both = client.get(url, {"intervention_type": "sensitive", "sector": "health"})
    assert _codes(both) == ["CT-01", "IB-05", "RT-02", "RT-03", "RT-04"]


def test_it_ignores_an_unknown_filter_value_and_says_so(client: Client) -> None:
    response = client.get(reverse("catalogue:indicators"), {"sector": "army"})
    assert response.status_code == 200
    assert len(_codes(response)) == 31
    assert 'class="errorlist"' in response.content.decode()


def test_it_says_when_a_year_has_no_catalogue(client: Client) -> None:
    response = client.get(reverse("catalogue:indicators"), {"year": 2019})
    assert response.status_code == 200
    assert _codes(response) == []
    assert "message warning" in response.content.decode()


def test_central_admins_see_draft_years(
    client: Client, central_admin: User, draft_2026: IndicatorCatalogue
) -> None:
    client.force_login(central_admin)
    response = client.get(reverse("catalogue:indicators"), {"year": 2026})
    assert len(_codes(response)) == 31
    assert "Draft" in response.content.decode() or "Draf" in response.content.decode()
