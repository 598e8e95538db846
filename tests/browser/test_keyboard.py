"""Using Aksi with the keyboard alone: the skip link, then searching for a region."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

MAX_TABS = 30


def focused(page: Page) -> dict[str, str]:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {tag: el.tagName.toLowerCase(), id: el.id, cls: el.className,
                    href: el.getAttribute('href') || '', text: el.textContent.trim()};
        }"""
    )


def tab_to(page: Page, selector: str) -> int:
    """Press Tab until `selector` has the focus; the number of presses it took."""
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} not reached in {MAX_TABS} Tab presses: {focused(page)}")


# Not /login/: it puts the focus straight into the username field (autofocus) instead.
@pytest.mark.parametrize("path", ["/", "/regions/52.03/", "/catalogue/"])
def test_it_offers_the_skip_link_first(page: Page, path: str) -> None:
    page.goto(path)

    page.keyboard.press("Tab")

    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    box = skip.bounding_box()
    assert box is not None
    assert box["x"] >= 0  # on screen once focused
    assert box["y"] >= 0

    page.keyboard.press("Enter")

    expect(page.locator("main#main")).to_be_focused()
    # The next Tab continues inside main, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_it_searches_regions_with_the_keyboard_only(page: Page) -> None:
    page.goto("/regions/")

    presses = tab_to(page, "#region-q")
    page.keyboard.type("Selong")
    page.keyboard.press("Enter")

    results = page.locator("#search-results table tbody tr")
    expect(results.first).to_be_visible()
    expect(results.first).to_contain_text("52.03.07")
    # The focus stays in the search box: the officer can correct the query right away.
    expect(page.locator("#region-q")).to_be_focused()

    tab_to(page, "#search-results a[href='/regions/52.03.07/']")
    page.keyboard.press("Enter")

    page.wait_for_url("**/regions/52.03.07/")
    expect(page.locator("h1")).to_have_text("Selong")
    assert presses <= 20, f"the search box is {presses} Tab presses away"
