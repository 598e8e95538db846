"""Dashboards by role: the national dashboard down to a desa and back, filters, a regional
user's home region, what needs their action, and an unknown region."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def breadcrumbs(page: Page) -> list[str]:
    return [t.strip() for t in page.locator("nav.breadcrumbs li").all_inner_texts()]


def test_it_drills_down_from_indonesia_to_a_village_and_back(
    signed_in: Callable[[str], Page], screenshot: Callable
) -> None:
    page = signed_in("pusat.admin")
    page.goto("/analytics/")
    expect(page.locator("#regions-table tbody tr")).to_have_count(38)  # the provinces
    expect(page.locator("#data-as-of")).to_contain_text("WIB")  # data per …, national time
    # NTB holds the demo values: ranked first by the share of cells filled.
    expect(page.locator("#regions-table tbody tr").first).to_contain_text("Nusa Tenggara Barat")

    page.locator("#regions-table").get_by_role("link", name="Nusa Tenggara Barat").click()
    page.wait_for_url("**/analytics/52/?*")
    expect(page.locator("h1")).to_contain_text("Nusa Tenggara Barat")
    expect(page.locator("#data-as-of")).to_contain_text("WITA")

    page.locator("#regions-table").get_by_role("link", name="Kota Mataram").click()
    page.wait_for_url("**/analytics/52.71/?*")
    rows = page.locator("#regions-table tbody tr")
    expect(rows.first).to_contain_text("Ampenan")  # the kecamatan with data ranks first
    expect(page.locator("#timeliness")).to_contain_text("6")  # six kecamatan reports expected
    expect(page.locator("#coverage-table tbody tr").first).to_contain_text("%")
    expect(page.locator("figure.chart svg[role=img]").first).to_be_visible()
    screenshot(page, "dashboard-district.png", full_page=False)

    page.locator("#regions-table").get_by_role("link", name="Ampenan", exact=True).click()
    page.wait_for_url("**/analytics/52.71.01/?*")
    village = page.locator("#regions-table tbody tr").first.locator("a")
    name = village.inner_text()
    village.click()
    page.wait_for_url("**/analytics/52.71.01.*/?*")
    expect(page.locator("h1")).to_contain_text(name)
    expect(page.locator("#regions-table")).to_have_count(0)  # a desa has no children
    assert breadcrumbs(page) == [
        "Indonesia",
        "Nusa Tenggara Barat",
        "Kota Mataram",
        "Ampenan",
        name,
    ]
    page.locator("nav.breadcrumbs").get_by_role("link", name="Kota Mataram").click()
    page.wait_for_url("**/analytics/52.71/?*")
    expect(page.locator("h1")).to_contain_text("Kota Mataram")


def test_the_filters_narrow_the_indicators_and_rank_by_one(
    signed_in: Callable[[str], Page],
) -> None:
    page = signed_in("pusat.admin")
    page.goto("/analytics/52.71/")
    all_rows = page.locator("#coverage-table tbody tr").count()
    page.select_option("#f-type", "specific")
    page.select_option("#f-indicator", "BL-01")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**type=specific*")
    assert 0 < page.locator("#coverage-table tbody tr").count() < all_rows
    expect(page.locator("#regions-table thead")).to_contain_text("BL-01")
    # The choice follows a drill-down.
    page.locator("#regions-table").get_by_role("link", name="Ampenan", exact=True).click()
    page.wait_for_url("**/analytics/52.71.01/?*")
    expect(page.locator("#f-type")).to_have_value("specific")
    expect(page.locator("#f-indicator")).to_have_value("BL-01")


def test_a_kecamatan_operator_lands_on_their_kecamatan_with_their_report_to_do(
    signed_in: Callable[[str], Page],
) -> None:
    page = signed_in("lomboktimur.kec.operator")
    page.goto("/")
    page.locator("#open-dashboard").click()
    page.wait_for_url("**/analytics/52.03.07/")
    expect(page.locator("h1")).to_contain_text("Selong")
    action = page.locator("#needs-action")
    expect(action).to_contain_text("Selong")
    expect(action.locator("a[href='/entry/2025/52.03.07/']")).to_be_visible()
    # Up the tree is outside their view.
    response = page.goto("/analytics/52/")
    assert response is not None
    assert response.status == 403


def test_an_unknown_region_is_a_404_with_a_way_back(signed_in: Callable[[str], Page]) -> None:
    page = signed_in("pusat.admin")
    response = page.goto("/analytics/52.99/")
    assert response is not None
    assert response.status == 404
    expect(page.locator("main")).to_contain_text("52.99")
    page.locator("main a.button[href='/analytics/']").click()
    page.wait_for_url("**/analytics/")
    expect(page.locator("#regions-table tbody tr")).to_have_count(38)
