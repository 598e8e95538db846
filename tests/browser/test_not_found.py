"""An unknown region code or address: Aksi's own 404 page, with a way back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser


@pytest.fixture
def production_page(browser: Browser, production_server: object) -> Iterator[Page]:
    # DEBUG=true shows Django's technical 404 page; the real one needs DEBUG=false.
    context = browser.new_context(base_url=production_server.url, locale="id-ID")  # type: ignore[attr-defined]
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", ["/regions/99.99/", "/regions/52.03.99/", "/no-such-page/"])
def test_it_shows_a_not_found_page_with_links_back(production_page: Page, path: str) -> None:
    response = production_page.goto(path)

    assert response is not None
    assert response.status == 404
    page = production_page
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("header.site-header")).to_be_visible()  # the normal layout, not a bare page
    expect(page.locator("main a.button[href='/']")).to_be_visible()
    expect(page.locator("main a[href='/regions/']")).to_be_visible()
    assert "Traceback" not in page.content()

    page.locator("main a[href='/regions/']").click()
    page.wait_for_url("**/regions/")
    expect(page.locator("main table tbody tr")).to_have_count(38)


def test_it_answers_404_in_development_too(page: Page) -> None:
    response = page.goto("/regions/99.99/")

    assert response is not None
    assert response.status == 404
