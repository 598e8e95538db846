from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse


def test_it_lists_all_villages_of_a_large_regency_in_constant_queries(
    client: Client, db: None, django_assert_max_num_queries: Any
) -> None:
    # Kabupaten Banyuasin has 313 desa/kelurahan in 21 kecamatan.
    # Session (0, anonymous), region, ancestors, subdistricts, villages, units.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("regions:detail", args=["16.07"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="region-group"') == 21
    assert "16.07.01.2001" in body


def test_it_shows_breadcrumbs_down_to_a_village(client: Client, db: None) -> None:
    response = client.get(reverse("regions:detail", args=["35.19.01.2001"]))
    crumbs = [r.name for r in response.context["ancestors"]]
    assert crumbs == ["Jawa Timur", "Kabupaten Madiun", "Kebonsari"]
    assert response.context["region"].code == "35.19.01.2001"


def test_it_redirects_a_plain_code_to_the_dotted_one(client: Client, db: None) -> None:
    response = client.get("/regions/3519/")
    assert response.status_code == 302
    assert response["Location"] == "/regions/35.19/"


def test_it_answers_404_with_a_way_back_for_an_unknown_code(
    client: Client, db: None, settings: Any
) -> None:
    settings.DEBUG = False
    response = client.get("/regions/99.99/")
    assert response.status_code == 404
    assert reverse("regions:browse") in response.content.decode()


def test_it_finds_regions_by_name_and_by_code(client: Client, db: None) -> None:
    by_name = client.get(reverse("regions:search"), {"q": "madiun"}).context["results"]
    assert [r.code for r in by_name[:2]] == ["35.19", "35.77"]
    by_code = client.get(reverse("regions:search"), {"q": "3519"}).context["results"]
    assert by_code[0].code == "35.19"
    assert all(r.code.startswith("35.19") for r in by_code)


def test_it_returns_only_the_results_fragment_to_htmx(client: Client, db: None) -> None:
    response = client.get(
        reverse("regions:search"), {"q": "selong"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "<html" not in body
    assert "Selong" in body


def test_it_explains_an_empty_search(client: Client, db: None) -> None:
    response = client.get(reverse("regions:search"), {"q": "zzzqqq"})
    assert response.status_code == 200
    assert response.context["results"] == []
