"""An admin creates a personal access token, reads data with it, and registers a webhook."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
CHANGES_DEMO_DATA = True  # adds a token and a webhook: runs after the other tests


def test_an_admin_makes_a_token_reads_with_it_and_registers_a_webhook(
    signed_in: Callable[[str], Page], screenshot: Callable
) -> None:
    page = signed_in("lomboktimur.admin")
    page.locator("nav.main-nav .nav-more summary").click()  # under "More" (Lainnya)
    page.locator("nav.main-nav a[href='/tokens/']").click()
    page.fill("#id_name", "Dasbor Dinkes NTB")
    page.fill("#id_days", "90")
    page.locator("form.stacked button[type=submit]").click()
    secret = page.locator("#new-token").inner_text().strip()
    assert secret.startswith("aksi_pat_")
    expect(page.locator("main table")).to_contain_text("Dasbor Dinkes NTB")
    screenshot(page, "api-tokens.png")

    # The token works as its user (the Lombok Timur admin) and nowhere else.
    answer = page.request.get(
        "/api/dataValueSets?orgUnit=52.03.07&children=true&period=2025",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert answer.status == 200
    values = answer.json()["dataValues"]
    assert values
    assert all(v["orgUnit"].startswith("52.03.07.") for v in values)
    outside = page.request.get(
        "/api/dataValueSets?orgUnit=52.71&children=true&period=2025",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert outside.status == 403

    page.locator("a[href='/tokens/webhooks/']").click()
    page.fill("#id_url", "https://dasbor.ntbprov.example/aksi")
    page.fill("#id_region_code", "52.03")
    page.locator("form.stacked button[type=submit]").click()
    expect(page.locator("#webhook-secret")).to_be_visible()
    expect(page.locator("main table")).to_contain_text("52.03")
    screenshot(page, "api-webhooks.png")
