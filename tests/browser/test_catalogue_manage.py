"""The catalogue management page: for the central admin only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_it_shows_the_catalogue_versions_to_a_central_admin(
    signed_in: Callable[[str], Page], screenshot: Callable
) -> None:
    page = signed_in("pusat.admin")
    page.goto("/catalogue/manage/")

    versions = page.locator("main table").first.locator("tbody tr")
    row_2025 = versions.filter(has=page.locator("th", has_text="2025"))
    expect(row_2025).to_have_count(1)
    expect(row_2025.locator("td.num")).to_have_text("31")
    expect(row_2025.get_by_role("link").first).to_have_attribute("href", "/catalogue/manage/2025/")
    # The copy form suggests next year from the latest version.
    expect(page.locator("#copy ~ .card input[name=year]")).to_have_value("2026")
    screenshot(page, "catalogue-manage.png")


def test_it_refuses_the_management_to_an_operator(signed_in: Callable[[str], Page]) -> None:
    page = signed_in("lomboktimur.kec.operator")

    response = page.goto("/catalogue/manage/")

    assert response is not None
    assert response.status == 403
    assert "Traceback" not in page.content()


def test_it_sends_an_anonymous_visitor_to_the_login_page(page: Page) -> None:
    page.goto("/catalogue/manage/")

    page.wait_for_url("**/login/?next=/catalogue/manage/")
    expect(page.locator("#id_username")).to_be_visible()
