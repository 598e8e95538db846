"""The action framework: the 4+2 aksi since 2025, the 8 aksi before, and how they map."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

ACTIONS_2025 = ["AU1", "AU2", "AU3", "AU4", "AP1", "AP2"]


def test_it_shows_the_main_and_supporting_actions_with_their_steps(page: Page) -> None:
    page.goto("/catalogue/framework/?year=2025")

    expect(page.locator("h1")).to_contain_text("2025")
    expect(page.locator("main")).to_contain_text("4+2 aksi")
    for code in ACTIONS_2025:
        section = page.locator(f"section[aria-labelledby='action-{code}']")
        expect(section).to_have_count(1)
        expect(section.locator("h3")).to_contain_text(code)
    expect(page.locator("section[aria-labelledby='action-AU1'] tbody tr").first).to_be_visible()
    expect(page.locator("section[aria-labelledby='action-A1']")).to_have_count(0)


def test_it_maps_the_eight_actions_to_their_successors(page: Page) -> None:
    page.goto("/catalogue/framework/")

    page.select_option("#framework-year", "2024")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**/catalogue/framework/?year=2024")

    expect(page.locator("main")).to_contain_text("8 aksi")
    mapping = page.locator("main table").first
    a1 = mapping.locator("tbody tr").filter(has=page.locator("th", has_text="A1 "))
    expect(a1).to_contain_text("AU1")
    a2 = mapping.locator("tbody tr").filter(has=page.locator("th", has_text="A2 "))
    expect(a2).to_contain_text("AU2")
    expect(a2).to_contain_text("AU3")
    expect(page.locator("section[aria-labelledby='action-A8']")).to_have_count(1)
