"""Aksi Publikasi without login: national → province → kab/kota → kecamatan, on a laptop and a
phone, under the Content-Security-Policy (the charts are inline SVG without CSS)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module", autouse=True)
def _published_figures(aksi_server: object) -> None:
    # Idempotent: a no-op once `make setup` and `aksi demo seed` do the same.
    aksi_server.run("prevalence", "load")  # type: ignore[attr-defined]
    aksi_server.run(  # type: ignore[attr-defined]
        "shell",
        "-c",
        "from aksi.prevalence.demo import prevalence_demo_seed; prevalence_demo_seed()",
    )


def test_a_visitor_reads_a_province_with_its_chart_and_the_same_numbers_in_a_table(
    page: Page, screenshot: Callable
) -> None:
    response = page.goto("/public/52/")
    assert response is not None
    assert response.status == 200
    assert response.headers["cache-control"] == "public, max-age=300"
    expect(page.locator("h1")).to_have_text("Nusa Tenggara Barat")
    expect(page.locator("form[action='/logout/']")).to_have_count(0)  # nobody signed in

    chart = page.locator("#survey-heading ~ figure.chart svg[role=img]")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None
    assert box["width"] > 400  # drawn, not collapsed: no stylesheet needed inside the SVG
    # The chart's colours are attributes, so the series line is green under the CSP.
    line = chart.locator("g.serie-0 path.line").first
    assert line.evaluate("e => getComputedStyle(e).stroke") == "rgb(11, 110, 79)"

    table = page.locator("table.survey-table")
    ski_2023 = table.locator("tbody tr").filter(has=page.locator("th", has_text="2023"))
    expect(ski_2023).to_contain_text("24,6%")
    expect(table.locator("tr.target-row")).to_have_count(2)  # 18,8% (2025) and 14,2% (2029)
    expect(table).to_contain_text("18,8%")

    eppgbm = page.locator("table.eppgbm-table")
    expect(eppgbm.locator("tbody tr")).to_have_count(2)  # the two demo kab/kota
    expect(eppgbm).to_contain_text("Kabupaten Lombok Timur")
    expect(page.locator(".data-as-of")).to_contain_text("2026")
    screenshot(page, "public-province.png")


def test_it_is_readable_on_a_phone(page: Page, screenshot: Callable) -> None:
    phone = page
    phone.set_viewport_size(PHONE)
    phone.goto("/public/52.03/")
    expect(phone.locator("h1")).to_have_text("Kabupaten Lombok Timur")
    # Nothing wider than the screen except inside the scrollable table wrappers.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    bars = phone.locator("#eppgbm-heading ~ figure.chart svg[role=img]")
    box = bars.bounding_box()
    assert box is not None
    assert box["width"] <= PHONE["width"]
    font = phone.locator("h1").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert font >= 20
    screenshot(phone, "public-phone.png", full_page=False)


def test_it_goes_down_from_indonesia_to_a_kecamatan_and_back_up(page: Page) -> None:
    page.goto("/public/")
    expect(page.locator("h1")).to_have_text("Indonesia")
    page.locator("ul.child-links").get_by_role("link", name="Nusa Tenggara Barat").click()
    page.wait_for_url("**/public/52/")
    page.locator("ul.child-links").get_by_role("link", name="Kabupaten Lombok Timur").click()
    page.wait_for_url("**/public/52.03/")
    page.locator("table.eppgbm-table").get_by_role("link", name="Selong", exact=True).click()
    page.wait_for_url("**/public/52.03.07/")
    expect(page.locator("table.eppgbm-table tbody tr")).to_have_count(12)  # Selong's desa
    page.locator(".up-link a").click()
    page.wait_for_url("**/public/52.03/")


def test_an_unknown_region_shows_a_way_back(page: Page) -> None:
    response = page.goto("/public/99.99/")
    assert response is not None
    assert response.status == 404
    page.locator("main a.button[href='/public/']").click()
    page.wait_for_url("**/public/")
    expect(page.locator("h1")).to_have_text("Indonesia")
