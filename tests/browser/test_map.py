"""The map: a tile grid on a fresh install, a choropleth once boundaries are imported; the
view scope decides which regions carry values and links; every region clicks through."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import AksiServer

pytestmark = pytest.mark.browser

# Imports the shipped boundaries half-way: runs after the tests that expect the plain demo.
CHANGES_DEMO_DATA = True

MEASURE = "BL-01"  # balita dipantau pertumbuhannya: the demo fills it in NTB
NTB_DISTRICTS = 10  # 8 kabupaten, 2 kota


def _svg(page: Page) -> object:
    return page.locator("main figure svg.map-svg")


def test_without_boundaries_the_map_is_a_tile_grid_that_clicks_through(
    signed_in: Callable[[str], Page], screenshot: Callable[..., object]
) -> None:
    page = signed_in("pusat.admin")
    page.goto("/map/")
    svg = page.locator("main figure svg.map-svg")
    expect(svg).to_have_attribute("data-kind", "tiles")
    expect(svg.locator("rect")).to_have_count(38)  # one tile per province
    expect(page.locator("table.map-table tbody tr")).to_have_count(38)
    expect(page.locator(".map-legend li")).to_have_count(5)  # 4 bands and "no data"

    page.select_option("#id_measure", MEASURE)
    with page.expect_navigation():
        page.locator("form.map-form button[type=submit]").click()
    assert f"measure={MEASURE}" in page.url
    ntb = svg.locator("a[data-code='52']")
    expect(ntb.locator("text")).to_have_count(2)  # name and value: the demo has NTB data

    ntb.click()
    page.wait_for_url("**/map/52/?measure=BL-01&period=2025")
    expect(page.locator("h1")).to_contain_text("Nusa Tenggara Barat")
    expect(svg.locator("a")).to_have_count(NTB_DISTRICTS)
    lombok_timur = page.locator("table.map-table tr[data-code='52.03']")
    expect(lombok_timur).to_contain_text("%")
    expect(lombok_timur).to_contain_text(",")  # Indonesian decimal comma
    screenshot(page, "map-tiles.png")

    svg.locator("a[data-code='52.03']").click()
    page.wait_for_url("**/regions/52.03/")
    expect(page.locator("h1")).to_have_text("Kabupaten Lombok Timur")


def test_a_viewer_sees_values_and_links_only_inside_the_own_region(
    signed_in: Callable[[str], Page],
) -> None:
    page = signed_in("lomboktimur.admin")  # region admin of Kabupaten Lombok Timur
    page.goto(f"/map/?measure={MEASURE}")
    svg = _svg(page)
    # Only NTB leads somewhere (to Lombok Timur); no province shows a value.
    expect(svg.locator("a")).to_have_count(1)
    expect(svg.locator("a[data-code='52']")).to_have_count(1)
    expect(page.locator("table.map-table td[colspan='4']")).to_have_count(38)

    svg.locator("a[data-code='52']").click()
    page.wait_for_url("**/map/52/**")
    expect(svg.locator("a")).to_have_count(1)
    expect(svg.locator("a[data-code='52.03']")).to_have_count(1)
    expect(page.locator("table.map-table tr[data-code='52.71']")).not_to_contain_text("%")


def test_an_unknown_region_is_a_404_with_a_way_back(signed_in: Callable[[str], Page]) -> None:
    page = signed_in("pusat.monitor")
    response = page.goto("/map/99/")
    assert response is not None
    assert response.status == 404
    page.locator("main a[href='/map/']").click()
    page.wait_for_url("**/map/")
    expect(_svg(page)).to_be_visible()


def test_with_imported_boundaries_the_map_is_a_choropleth_that_clicks_through(
    aksi_server: AksiServer,
    signed_in: Callable[[str], Page],
    screenshot: Callable[..., object],
) -> None:
    result = aksi_server.run("boundaries", "import")
    assert "552 boundaries imported" in result.stdout

    page = signed_in("pusat.admin")
    page.goto(f"/map/?measure={MEASURE}")
    svg = _svg(page)
    expect(svg).to_have_attribute("data-kind", "choropleth")
    expect(svg.locator("a path")).to_have_count(38)
    expect(svg.locator("a[data-code='52'] title")).to_contain_text("Nusa Tenggara Barat: ")
    screenshot(page, "map-national.png")

    # Keyboard users reach a province like a link.
    svg.locator("a[data-code='52']").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/map/52/?measure=BL-01&period=2025")
    expect(svg.locator("a path")).to_have_count(NTB_DISTRICTS)
    screenshot(page, "map-province.png")

    # The lighter tile grid stays one click away.
    page.locator(".map-switch a").click()
    expect(svg).to_have_attribute("data-kind", "tiles")
    page.go_back()
    expect(svg).to_have_attribute("data-kind", "choropleth")

    svg.locator("a[data-code='52.71']").click()
    page.wait_for_url("**/regions/52.71/")
    expect(page.locator("h1")).to_have_text("Kota Mataram")
