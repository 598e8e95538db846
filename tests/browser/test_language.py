"""Bahasa Indonesia by default; one button to English and one back."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

LANGUAGE_BUTTON = "header form.lang-form button[name=language]"
HOME_LINK = "nav.main-nav a[href='/']"


def test_it_switches_to_english_and_back(page: Page) -> None:
    page.goto("/regions/52.03/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    button = page.locator(LANGUAGE_BUTTON)
    expect(button).to_have_text("English")
    expect(button).to_have_attribute("lang", "en")
    expect(page.locator(HOME_LINK)).not_to_have_text("Home")  # "Beranda"

    with page.expect_navigation():
        button.click()

    page.wait_for_url("**/regions/52.03/")  # the same page, now in English
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(HOME_LINK)).to_have_text("Home")  # English is the source language
    expect(page.locator(LANGUAGE_BUTTON)).to_have_text("Bahasa Indonesia")
    expect(page.locator(LANGUAGE_BUTTON)).to_have_attribute("lang", "id")
    # The choice sticks for the next pages.
    page.goto("/regions/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    with page.expect_navigation():
        page.locator(LANGUAGE_BUTTON).click()

    page.wait_for_url("**/regions/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator(LANGUAGE_BUTTON)).to_have_text("English")
    expect(page.locator(HOME_LINK)).not_to_have_text("Home")
