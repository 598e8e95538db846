"""Logging in with a demo account, the home page by role, logging out, a wrong password."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

MANAGE_CATALOGUE = "nav.main-nav a[href='/catalogue/manage/']"


def test_it_shows_an_operator_their_role_and_region(
    page: Page, log_in: Callable, screenshot: Callable
) -> None:
    page.goto("/login/")
    expect(page.locator("#id_username")).to_be_focused()  # autofocus: type straight away
    screenshot(page, "login.png", full_page=False)

    log_in(page, "lomboktimur.kec.operator")

    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))  # the home page
    expect(page.locator("h1")).to_contain_text("Operator Kecamatan (Lombok Timur)")
    expect(page.locator(".user-name")).to_have_text("Operator Kecamatan (Lombok Timur)")
    role_row = page.locator("main #my-roles tbody tr")
    expect(role_row).to_have_count(1)
    expect(role_row.locator("td").nth(0)).to_have_text("Operator")
    expect(role_row.locator("td").nth(1)).to_contain_text("Selong")
    expect(role_row.locator("td").nth(1)).to_contain_text("52.03.07")
    expect(role_row.locator("td a")).to_have_attribute("href", "/regions/52.03.07/")
    expect(role_row.locator("td").nth(2)).to_have_text("Kecamatan")  # the unit's short name
    # An operator's menu: the public pages, no catalogue management.
    expect(page.locator("nav.main-nav a[href='/regions/']")).to_have_count(1)
    expect(page.locator(MANAGE_CATALOGUE)).to_have_count(0)
    screenshot(page, "home.png")


def test_it_shows_a_central_admin_the_catalogue_management(
    signed_in: Callable[[str], Page],
) -> None:
    page = signed_in("pusat.admin")

    expect(page.locator("h1")).to_contain_text("Rina Admin Pusat")
    expect(page.locator(MANAGE_CATALOGUE)).to_have_count(1)
    page.locator("nav.main-nav .nav-more summary").click()  # under "More" (Lainnya)
    page.locator(MANAGE_CATALOGUE).click()
    page.wait_for_url("**/catalogue/manage/")
    expect(page.locator(MANAGE_CATALOGUE)).to_have_attribute("aria-current", "page")


def test_it_logs_out(signed_in: Callable[[str], Page]) -> None:
    page = signed_in("lomboktimur.kec.operator")

    with page.expect_navigation():
        page.locator("form[action='/logout/'] button").click()

    expect(page.locator("form[action='/logout/']")).to_have_count(0)
    expect(page.locator(".user-box a[href='/login/']")).to_be_visible()
    expect(page.locator(".user-name")).to_have_count(0)
    # Signed out for real: the session is gone, not just the page.
    page.goto("/")
    expect(page.locator(".user-box a[href='/login/']")).to_be_visible()


def test_it_rejects_a_wrong_password_with_a_message(page: Page, log_in: Callable) -> None:
    log_in(page, "lomboktimur.kec.operator", password="not-the-password")

    page.wait_for_url("**/login/")
    error = page.locator(".message.error[role=alert]")
    expect(error).to_be_visible()
    expect(error).not_to_be_empty()
    expect(page.locator("#id_username")).to_have_value("lomboktimur.kec.operator")
    expect(page.locator("#id_password")).to_have_value("")
    content = page.content()
    assert "Traceback" not in content
    assert "exception_value" not in content  # Django's debug error page
    expect(page.locator("form[action='/logout/']")).to_have_count(0)
