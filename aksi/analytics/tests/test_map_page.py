"""/map/ and /map/<province>/: the choropleth with boundaries, the tile grid without."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from aksi.accounts.models import User
from aksi.analytics.models import CoverageRollup
from aksi.catalogue.models import Indicator
from aksi.regions import boundaries
from aksi.regions.models import RegionBoundary


def _rollup(code: str, numerator: int, denominator: int) -> None:
    CoverageRollup.objects.create(
        indicator=Indicator.objects.get(catalogue__year=2025, code="BL-01"),
        region_code=code,
        period="2025",
        numerator_sum=numerator,
        denominator_sum=denominator,
        complete_count=1,
    )


def test_it_asks_for_a_login(client: Client, db: None) -> None:
    response = client.get("/map/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_without_boundaries_the_provinces_show_as_a_tile_grid(
    client: Client, central_admin: User, django_assert_max_num_queries: object
) -> None:
    _rollup("52", 81, 90)
    client.force_login(central_admin)

    # session, user, reporting years, indicators, assignments (view scope), provinces,
    # rollups, boundaries; the session's save (3: savepoint, update, release).
    with django_assert_max_num_queries(11):  # type: ignore[operator]
        response = client.get("/map/?measure=BL-01&period=2025")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-kind="tiles"' in html
    assert html.count("<rect x=") == 38  # one tile per province
    assert '<a href="/map/52/?measure=BL-01&amp;period=2025" data-code="52">' in html
    assert "90%" in html  # the NTB tile carries its value
    assert "analytics/map.css" in html
    # The table alternative lists every province.
    assert len(re.findall(r'<tr data-code="\d\d">', html)) == 38


def test_with_boundaries_the_map_is_a_choropleth_linking_to_each_region(
    client: Client, central_admin: User
) -> None:
    boundaries.boundaries_import()
    _rollup("52.71", 40, 100)
    client.force_login(central_admin)

    response = client.get("/map/52/?measure=BL-01&period=2025")

    html = response.content.decode()
    assert 'data-kind="choropleth"' in html
    paths = re.findall(r'<a href="(/regions/52\.\d\d/)" data-code="[\d.]+"><title>', html)
    assert len(paths) == 10  # NTB: 8 kabupaten, 2 kota
    mataram = re.search(
        r'data-code="52.71"><title>([^<]+)</title><path d="([^"]+)" fill="(#\w+)"', html
    )
    assert mataram is not None
    assert mataram.group(1) == "Kota Mataram: 40,0%"
    assert mataram.group(3) == "#d7191c"  # < 45%: below half of the 90% target
    # Rounded pixels and relative moves keep the page small.
    assert re.fullmatch(r"(M\d+ \d+(l-?\d+-?\d+|l-?\d+ -?\d+)+z)+", mataram.group(2))
    assert len(response.content) < 120_000


def test_the_tile_grid_can_be_asked_for_even_with_boundaries(
    client: Client, central_admin: User
) -> None:
    boundaries.boundaries_import()
    client.force_login(central_admin)

    response = client.get("/map/?view=tiles")

    assert 'data-kind="tiles"' in response.content.decode()


def test_the_page_says_when_the_data_is_from(client: Client, central_admin: User) -> None:
    _rollup("52", 1, 2)
    client.force_login(central_admin)

    with translation.override("en"):
        client.cookies["django_language"] = "en"  # the wording below is English
        response = client.get("/map/?measure=BL-01&period=2025", HTTP_ACCEPT_LANGUAGE="en")

    assert re.search(r"Data as of \d+ \w+ 20\d\d, \d\d:\d\d", response.content.decode())


def test_an_outsider_sees_the_map_of_jawa_timur_without_values(
    client: Client, outsider: User
) -> None:
    _rollup("35.19", 9, 10)
    client.force_login(outsider)

    html = client.get("/map/35/?measure=BL-01&period=2025").content.decode()

    assert "90,0%" not in html
    assert 'href="/regions/35.' not in html
    assert html.count('<td class="num muted" colspan="4">') == 38


def test_an_unknown_code_is_a_404_with_a_way_back(client: Client, central_admin: User) -> None:
    client.force_login(central_admin)

    response = client.get("/map/99/")

    assert response.status_code == 404
    assert 'href="/map/"' in response.content.decode()


@pytest.mark.parametrize(("code", "target"), [("35.19", "/map/35/"), ("3519", "/map/35/")])
def test_a_kabkota_opens_the_map_of_its_province(
    client: Client, central_admin: User, code: str, target: str
) -> None:
    client.force_login(central_admin)

    response = client.get(f"/map/{code}/?measure=BL-01")

    assert response.status_code == 302
    assert response["Location"] == f"{target}?measure=BL-01"


def test_an_unknown_measure_or_period_falls_back_to_progress_of_the_current_year(
    client: Client, central_admin: User
) -> None:
    client.force_login(central_admin)

    with translation.override("en"):
        client.cookies["django_language"] = "en"  # the wording below is English
        response = client.get("/map/?measure=XX-99&period=1999", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "Progress: village cells filled" in response.content.decode()


def test_a_kabkota_without_an_outline_is_named_and_stays_in_the_table(
    client: Client, central_admin: User
) -> None:
    boundaries.boundaries_import(level="district")
    RegionBoundary.objects.filter(region_id="52.72").delete()  # as if Kota Bima were new
    client.force_login(central_admin)

    html = client.get("/map/52/").content.decode()

    assert 'data-kind="choropleth"' in html
    assert 'data-code="52.72"><title>' not in html
    assert "52.72 Kota Bima" in html
    assert '<tr data-code="52.72">' in html
