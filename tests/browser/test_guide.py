"""The in-app guide (Panduan): every section opens and every screenshot it shows exists."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_it_opens_every_section_with_its_screenshots(page: Page) -> None:
    page.goto("/guide/")
    links = page.locator("main table a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert len(links) >= 4

    images: dict[str, str] = {}
    for href in links:
        response = page.goto(href)
        assert response is not None
        assert response.status == 200, href
        expect(page.locator("main h1")).not_to_be_empty()
        for img in page.locator("main figure img").all():
            images[img.get_attribute("src") or ""] = href
            expect(img).to_have_attribute("alt", re.compile(r"\S"))  # described for screen readers

    assert images, "the guide shows no screenshots"
    for src, section in images.items():
        response = page.request.get(src)
        assert response.status == 200, f"{src} (in {section}) is missing"
        assert response.headers["content-type"] == "image/png"
