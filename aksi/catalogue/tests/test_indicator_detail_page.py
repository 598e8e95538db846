from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import User
from aksi.catalogue import services
from aksi.catalogue.models import IndicatorCatalogue

pytestmark = pytest.mark.django_db


def test_it_shows_the_definitions_in_constant_queries(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    # the indicator with catalogue and target groups, its pillars, the code in other years
    with django_assert_max_num_queries(3):
        response = client.get(reverse("catalogue:indicator", args=[2025, "IB-03"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Jumlah ibu hamil KEK yang mendapat makanan tambahan (PMT) sesuai standar" in html
    assert "Jumlah ibu hamil KEK (LiLA &lt; 23,5 cm) yang ditemukan" in html
    assert "target_group_data" in html
    assert "Ketahanan pangan dan gizi" in html  # pillar 4
    assert "Ibu hamil, nifas &amp; menyusui" in html  # the 2025 group


def test_it_shows_the_entry_level_of_a_district_indicator(client: Client) -> None:
    html = client.get(reverse("catalogue:indicator", args=[2025, "RT-04"])).content.decode()
    assert "Jumlah responden survei pemahaman di lokasi prioritas" in html
    assert "survey" in html


def test_it_links_the_same_code_in_other_years(
    client: Client, draft_2026: IndicatorCatalogue, central_admin: User
) -> None:
    services.catalogue_publish(catalogue=draft_2026, actor=central_admin)
    response = client.get(reverse("catalogue:indicator", args=[2025, "RP-02"]))
    assert reverse("catalogue:indicator", args=[2026, "RP-02"]) in response.content.decode()


def test_it_redirects_a_lower_case_code_and_404s_an_unknown_one(client: Client) -> None:
    response = client.get(reverse("catalogue:indicator", args=[2025, "rp-02"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:indicator", args=[2025, "RP-02"])
    assert client.get(reverse("catalogue:indicator", args=[2025, "XX-99"])).status_code == 404
    assert client.get(reverse("catalogue:indicator", args=[2019, "RP-02"])).status_code == 404
