"""Finding a region by name or by code, with or without the dots."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

pytestmark = pytest.mark.browser


def search(page: Page, query: str) -> Locator:
    page.goto("/regions/")
    page.fill("#region-q", query)
    page.locator("form.search-form button[type=submit]").click()
    rows = page.locator("#search-results table tbody tr")
    expect(rows.first).to_be_visible()
    return rows


def codes(rows: Locator) -> list[str]:
    return [text.strip() for text in rows.locator("td:first-child").all_inner_texts()]


def test_it_finds_a_subdistrict_and_villages_by_name(page: Page, screenshot: Callable) -> None:
    rows = search(page, "Selong")

    found = codes(rows)
    # Upper levels first: the kecamatan Selong before the villages that share the name.
    assert found[0] == "52.03.07"
    assert {"52.03.07.1002", "52.02.05.2007", "31.74.07.1004"} <= set(found)
    first = rows.first
    expect(first.locator("td").nth(1)).to_have_text("Selong")
    expect(first.locator("td").nth(3)).to_contain_text("Kabupaten Lombok Timur")
    expect(first.locator("td").nth(3)).to_contain_text("Nusa Tenggara Barat")
    # The address bar keeps the search, so it can be shared and reloaded.
    assert "/regions/search/?q=Selong" in page.url
    screenshot(page, "region-search.png", full_page=False)

    first.get_by_role("link", name="Selong").click()
    page.wait_for_url("**/regions/52.03.07/")


def test_it_finds_a_district_by_its_plain_code(page: Page) -> None:
    rows = search(page, "5203")

    found = codes(rows)
    assert found[0] == "52.03"
    expect(rows.first.locator("td").nth(1)).to_have_text("Kabupaten Lombok Timur")
    assert all(code == "52.03" or code.startswith("52.03.") for code in found)


def test_it_finds_the_same_with_the_dotted_code(page: Page) -> None:
    rows = search(page, "52.03")

    assert codes(rows)[0] == "52.03"


def test_it_says_when_nothing_matches(page: Page) -> None:
    page.goto("/regions/search/?q=Xyzzyqq")

    expect(page.locator("#search-results [role=status]")).to_contain_text("Xyzzyqq")
    expect(page.locator("#search-results table")).to_have_count(0)


def test_it_works_without_javascript_too(new_context: Callable[..., BrowserContext]) -> None:
    # The search form is a plain GET form: a browser without htmx still gets the results page.
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/regions/")
    page.fill("#region-q", "Selong")
    page.locator("form.search-form button[type=submit]").click()
    page.wait_for_url("**/regions/search/?q=Selong")
    expect(page.locator("h1")).to_be_visible()
    assert codes(page.locator("#search-results table tbody tr"))[0] == "52.03.07"
