"""Data sasaran end to end: a central admin adds a validation rule; a kecamatan operator enters
target-group counts, meets the rule, corrects it, and finds the count offered as a coverage
denominator; the kab/kota admin runs a kecamatan pilot and switches every kecamatan back on."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# Runs with the other data-changing modules, after the read-only ones. It leaves the demo as it
# found it for test_verification.py: every kecamatan enters again, the new rule holds, and its
# values are in 2025S2 (that test works in 2025).
CHANGES_DEMO_DATA = True

PERIOD = "2025S2"
KEC = "52.71.01"  # Ampenan, Kota Mataram (demo)
DESA = "5271011005"  # Ampenan Tengah, slugified as in the element ids


def _count(page: Page, group: str, value: str) -> None:
    field = page.locator(f"#c-{DESA}-tg-{group}")
    field.fill(value)
    field.press("Tab")


def test_target_groups_rules_prefill_and_the_pilot_switch(
    signed_in: Callable[[str], Page], screenshot: Callable[..., object]
) -> None:
    admin = signed_in("pusat.admin")
    admin.goto("/entry/rules/2025/")
    admin.fill("#id_code", "baduta-dalam-balita")
    admin.fill("#id_left", "target_group.child_under_two")
    admin.select_option("#id_operator", "<=")
    admin.fill("#id_right", "target_group.child_under_five")
    admin.select_option("#id_severity", "error")
    admin.fill("#id_message", "Baduta adalah bagian dari balita.")
    admin.locator("#rule-form button[type=submit]").click()
    expect(admin.locator("main table")).to_contain_text("baduta-dalam-balita")
    screenshot(admin, "validation-rules.png", full_page=False)

    operator = signed_in("mataram.kec.operator")
    operator.goto(f"/entry/{PERIOD}/{KEC}/target-groups/")
    _count(operator, "child_under_five", "200")
    expect(operator.locator(f"#state-{DESA}-tg-child_under_five")).to_contain_text("tersimpan")
    # Under-twos are part of the under-fives: 250 breaks the rule; the number is kept.
    _count(operator, "child_under_two", "250")
    state = operator.locator(f"#state-{DESA}-tg-child_under_two")
    expect(state).to_contain_text("baduta-dalam-balita")
    expect(operator.locator(f"#c-{DESA}-tg-child_under_two")).to_have_value("250")
    _count(operator, "child_under_two", "80")
    expect(state).to_contain_text("tersimpan")
    expect(state).not_to_contain_text("baduta-dalam-balita")
    screenshot(operator, "target-groups.png", full_page=False)

    # The coverage grid offers the under-five count as BL-01's denominator: accept it.
    operator.goto(f"/entry/{PERIOD}/{KEC}/")
    denominator = operator.locator(f"#d-{DESA}-bl-01")
    expect(denominator).to_have_attribute("placeholder", "200")
    operator.fill(f"#n-{DESA}-bl-01", "150")
    operator.locator(f"#n-{DESA}-bl-01").press("Tab")
    expect(operator.locator(f"#state-{DESA}-bl-01")).to_contain_text("75,0%")
    operator.reload()  # the saved denominator is the count
    expect(denominator).to_have_value("200")
    screenshot(operator, "denominator-prefill.png", full_page=False)

    # The kab/kota pilots kecamatan entry elsewhere: Ampenan's operator can only read.
    district_admin = signed_in("mataram.admin")
    district_admin.goto("/entry/setup/52.71/2025/")
    district_admin.check("input[name=mode][value=pilot]")
    district_admin.check("input[name=pilot][value='52.71.02']")
    district_admin.locator("button[value=switch]").click()
    expect(district_admin.locator("input[name=mode][value=pilot]")).to_be_checked()
    screenshot(district_admin, "subdistrict-entry.png", full_page=False)
    operator.goto(f"/entry/{PERIOD}/{KEC}/")
    expect(operator.locator(f"#n-{DESA}-bl-01")).to_be_disabled()
    expect(operator.locator(f"#n-{DESA}-bl-01")).to_have_value("150")  # nothing lost

    # Every kecamatan enters again: the values are still there and editable.
    district_admin.check("input[name=mode][value=all]")
    district_admin.locator("button[value=switch]").click()
    expect(district_admin.locator("input[name=mode][value=all]")).to_be_checked()
    operator.goto(f"/entry/{PERIOD}/{KEC}/")
    expect(operator.locator(f"#n-{DESA}-bl-01")).to_be_enabled()
    expect(operator.locator(f"#n-{DESA}-bl-01")).to_have_value("150")
