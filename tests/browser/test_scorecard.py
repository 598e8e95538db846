"""The scorecard: kecamatan × indicators coloured against the national target, with the value,
a legend and arrow text (colour is never the only signal), and drill-down."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_the_scorecard_colours_cells_with_values_a_legend_and_drill_down(
    signed_in: Callable[[str], Page], screenshot: Callable
) -> None:
    page = signed_in("ntb.reviewer")
    page.goto("/analytics/52.71/")
    page.locator("nav.page-tabs a", has_text="Scorecard").click()
    page.wait_for_url("**/analytics/52.71/scorecard/*")

    legend = page.locator("#legend li")
    expect(legend).to_have_count(6)
    expect(legend.first).to_contain_text("Mencapai target")
    table = page.locator("#scorecard")
    expect(table.locator("tbody tr")).to_have_count(6)  # Kota Mataram's six kecamatan
    ampenan = table.locator("tbody tr").filter(has=page.get_by_role("link", name="Ampenan"))
    bl01 = table.locator("thead th").filter(has_text="BL-01")
    expect(bl01).to_have_count(1)
    column = table.locator("thead th").all_inner_texts().index("BL-01")
    cell = ampenan.locator("th, td").nth(column)
    # A value in Indonesian format and the band's name for screen readers, not colour alone.
    assert "," in cell.inner_text()
    assert "%" in cell.inner_text()
    classes = cell.get_attribute("class") or ""
    assert "band-" in classes
    band_label = cell.locator(".visually-hidden").last.text_content() or ""
    assert any(word in band_label for word in ("target", "data"))
    background = cell.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # legend.css applies
    # A kecamatan without data shows a dash, not 0.
    empty = table.locator("tbody tr").filter(has=page.get_by_role("link", name="Sandubaya"))
    expect(empty.locator("td").nth(column - 1)).to_contain_text("—")
    screenshot(page, "scorecard.png", full_page=False)

    ampenan.get_by_role("link", name="Ampenan").click()
    page.wait_for_url("**/analytics/52.71.01/scorecard/*")
    expect(page.locator("h1")).to_contain_text("Ampenan")
    expect(page.locator("#scorecard tfoot")).to_contain_text("Ampenan")


def test_a_semester_without_data_has_no_arrows_and_says_no_data(
    signed_in: Callable[[str], Page],
) -> None:
    page = signed_in("pusat.admin")
    page.goto("/analytics/52.71/scorecard/?period=S2")
    expect(page.locator("#data-as-of")).to_contain_text("2025S2")
    expect(page.locator("#scorecard .arrow")).to_have_count(0)
    expect(page.locator("#scorecard td.band-no-data").first).to_contain_text("—")
