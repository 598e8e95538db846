"""A regional admin records an SK, creates the operator it names; the operator logs in, must
choose a password, enters data only in its kecamatan; the audit log shows every step."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

CHANGES_DEMO_DATA = True  # adds an SK, an account and a value: runs after the other tests

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
NEW_PASSWORD = "daun-kelor-selong-2026"


def test_an_operator_created_from_an_sk_works_only_in_its_kecamatan(
    signed_in: Callable[[str], Page],
    log_in: Callable[..., None],
    page: Page,
    screenshot: Callable[..., object],
) -> None:
    admin = signed_in("lomboktimur.admin")
    admin.goto("/users/decrees/new/")
    admin.fill("#id_region_code", "52.03.07")
    admin.fill("#id_number", "100.3.3.2/45/KEC.SLG/2026")
    admin.fill("#id_decree_date", "2026-01-05")
    admin.fill("#id_signed_by", "Camat Selong")
    admin.fill("#id_valid_from", "2026-01-05")
    admin.fill("#id_valid_to", "2026-12-31")
    admin.set_input_files(
        "#id_file", files=[{"name": "sk.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    admin.locator("main form button[type=submit]").click()

    # Straight on to the account the SK names, with the SK and kecamatan filled in.
    admin.wait_for_url("**/users/new/?decree=*")
    expect(admin.locator("#id_region_code")).to_have_value("52.03.07")
    admin.fill("#id_full_name", "Siti Rahmawati")
    admin.fill("#id_username", "siti.selong")
    admin.select_option("#id_role", "operator")
    screenshot(admin, "users-create.png")
    admin.locator("main form button[type=submit]").click()
    password = admin.locator("#one-time-password").inner_text().strip()
    assert len(password) >= 10

    # The operator logs in with the one-time password and must choose a new one first.
    log_in(page, "siti.selong", password)
    page.wait_for_url("**/password/**")
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))  # home, nothing else
    expect(page.locator("main")).to_contain_text("Selong")

    # Data entry offers Selong only; another kecamatan of the same kabupaten is out of reach.
    page.goto("/entry/")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("52.03.07")
    response = page.goto("/entry/2025/52.03.02/")
    assert response is not None
    assert response.status == 404
    page.goto("/entry/2025/52.03.07/")
    cell = page.locator("main table tbody tr").first.locator("td.cell").first
    cell.locator("input[name=numerator]").fill("12")
    denominator = cell.locator("input[name=denominator]")
    denominator.fill("20")
    denominator.press("Tab")
    expect(cell.locator(".cell-state")).to_contain_text("60")

    # The admin sees each step in the account's history, under the right names.
    admin.goto("/users/")
    admin.locator("main a", has_text="Siti Rahmawati").click()
    admin.locator("main a", has_text="Riwayat").click()
    history = admin.locator("main")
    for text in ("Pengguna dibuat", "Peran diberikan", "Berhasil masuk", "Kata sandi diganti"):
        expect(history).to_contain_text(text)
    screenshot(admin, "audit-user.png")
