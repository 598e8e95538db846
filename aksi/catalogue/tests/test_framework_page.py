from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_shows_the_4_plus_2_actions_of_2025_with_indonesian_dates(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    # years, actions, steps, their pillars, old actions mapped onto these, pillars, targets
    with django_assert_max_num_queries(7):
        response = client.get(reverse("catalogue:framework"), {"year": 2025})
    assert response.status_code == 200
    html = response.content.decode()
    for code in ("AU1", "AU2", "AU3", "AU4", "AP1", "AP2"):
        assert f"{code} " in html
    assert "1 Januari – 31 Maret" in html  # step 1
    assert "1 Desember – 31 Januari 2026" in html  # step 3d crosses the year
    assert "18,8% (2025, RPJMN 2025–2029)" in html
    assert "<strong>14,2%</strong> (2029, RPJMN 2025–2029)" in html
    assert "Meningkatkan akses air minum dan sanitasi" in html  # objective 6
    assert "Penguatan dan pengembangan sistem, data, informasi, riset, dan inovasi" in html


def test_it_shows_the_8_aksi_and_their_mapping_for_an_old_year(client: Client) -> None:
    html = client.get(reverse("catalogue:framework"), {"year": 2022}).content.decode()
    for code in ("A1", "A4", "A6", "A8"):
        assert f"{code} " in html
    assert "Rembuk Stunting" in html
    assert "<strong>AP1</strong> Regulasi" in html  # A4 continues as AP1
    assert "<strong>14,0%</strong> (2024, RPJMN 2020–2024; Perpres 72/2021)" in html


def test_it_defaults_to_the_open_year(client: Client) -> None:
    response = client.get(reverse("catalogue:framework"))
    assert response.context["year"] == 2025
