"""The public indicator catalogue: 31 service indicators with their definitions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# aksi/catalogue/data/indicators_2025.csv, in catalogue order.
CODES_2025 = [
    *("RP-01", "RP-02"),
    *("CT-01", "CT-02", "CT-03", "CT-04"),
    *("IB-01", "IB-02", "IB-03", "IB-04", "IB-05"),
    *("BD-01", "BD-02", "BD-03"),
    *("BL-01", "BL-02", "BL-03", "BL-04", "BL-05", "BL-06"),
    *("KL-01", "KL-02", "KL-03", "KL-04", "KL-05", "KL-06"),
    *("RT-01", "RT-02", "RT-03", "RT-04", "RT-05"),
]
ROWS = "table.indicator-table tbody tr"


def listed_codes(page: Page) -> list[str]:
    return [c.strip() for c in page.locator(f"{ROWS} td:first-child").all_inner_texts()]


def test_it_lists_the_31_indicators_of_the_published_catalogue(
    page: Page, screenshot: Callable
) -> None:
    page.goto("/catalogue/")

    expect(page.locator("h1")).to_contain_text("2025")
    expect(page.locator(ROWS)).to_have_count(31)
    assert listed_codes(page) == CODES_2025
    rp02 = page.locator(ROWS).filter(has=page.locator("a", has_text="RP-02"))
    expect(rp02).to_contain_text("tablet tambah darah")
    expect(rp02).to_contain_text("58%")  # the Perpres 72/2021 target for 2024
    expect(page.locator("#id_year")).to_have_value("2025")
    screenshot(page, "catalogue-indicators.png", full_page=False)


def test_it_filters_by_target_group(page: Page) -> None:
    page.goto("/catalogue/")

    page.select_option("#id_target_group", "adolescent_girl")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**/catalogue/?*target_group=adolescent_girl*")

    assert listed_codes(page) == ["RP-01", "RP-02"]
    expect(page.locator("#id_target_group")).to_have_value("adolescent_girl")

    page.locator("form.filters a[href='/catalogue/?year=2025']").click()  # clear the filters
    expect(page.locator(ROWS)).to_have_count(31)


def test_it_shows_an_indicator_with_numerator_and_denominator(page: Page) -> None:
    page.goto("/catalogue/")

    page.locator(ROWS).get_by_role("link", name="RP-02", exact=True).click()

    page.wait_for_url("**/catalogue/2025/RP-02/")
    expect(page.locator("h1")).to_contain_text("RP-02")
    expect(page.locator("h1")).to_contain_text("tablet tambah darah")
    definitions = page.locator("dl.definition").first
    expect(definitions).to_contain_text("Jumlah remaja putri usia 12–18 tahun yang mengonsumsi TTD")
    expect(definitions).to_contain_text("Jumlah remaja putri usia 12–18 tahun")
    page.locator("nav.breadcrumbs a").first.click()
    page.wait_for_url("**/catalogue/?year=2025")
    expect(page.locator(ROWS)).to_have_count(31)
