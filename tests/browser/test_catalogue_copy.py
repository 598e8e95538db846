"""Preparing next year's catalogue: copy the published one, change the draft, keep it private."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

CHANGES_DEMO_DATA = True  # creates the 2026 draft: runs after the other browser tests


def test_it_copies_the_catalogue_to_a_draft_and_edits_it(
    signed_in: Callable[[str], Page], page: Page
) -> None:
    admin = signed_in("pusat.admin")
    admin.goto("/catalogue/manage/")

    admin.locator("#copy ~ .card button[type=submit]").click()

    admin.wait_for_url("**/catalogue/manage/2026/")
    expect(admin.locator(".messages .message.success")).to_contain_text("31")
    rows = admin.locator("main table tbody tr")
    expect(rows).to_have_count(31)
    rows.locator("a[href='/catalogue/manage/2026/RP-02/']").click()  # "Ubah RP-02"
    admin.wait_for_url("**/catalogue/manage/2026/RP-02/")
    expect(admin.locator("#id_national_target")).to_have_value(re.compile(r"^58(,0+)?$"))
    admin.fill("#id_national_target", "60,5")  # Indonesian decimal comma
    admin.locator("form.stacked button[type=submit]").click()

    admin.wait_for_url("**/catalogue/manage/2026/")
    rp02 = rows.filter(has=admin.locator("th", has_text="RP-02"))
    expect(rp02).to_contain_text("60,5%")
    # A draft is not public, and the published 2025 version did not change.
    page.goto("/catalogue/?year=2026")
    expect(page.locator("main .message.warning")).to_contain_text("2026")
    page.goto("/catalogue/2025/RP-02/")
    expect(page.locator("main")).to_contain_text("58%")
    # Both changes are on record, under the admin's name.
    admin.goto("/catalogue/manage/")
    changes = admin.locator("main table").last.locator("tbody tr")
    expect(changes.filter(has_text="Rina Admin Pusat")).to_have_count(2)
