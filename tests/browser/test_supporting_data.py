"""Data pendukung end to end: a kecamatan operator answers supporting items per desa, breaks the
demo's posyandu rule and corrects it, answers a yes/no item, and a second, stale tab gets a
conflict instead of overwriting; the Excel template carries the same values."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# Changes Selong's supporting data (2025) and leaves them consistent with the demo's rules.
CHANGES_DEMO_DATA = True

PERIOD = "2025"
KEC = "52.03.07"  # Selong, Lombok Timur: a pilot kecamatan that enters for itself
DESA = "5203071001"  # Pancor, slugified as in the element ids; demo: DP-01 9, DP-02 9


def _field(page: Page, item: str):  # noqa: ANN202 - a Playwright locator
    return page.locator(f"#s-{DESA}-dp-{item}")


def _state(page: Page, item: str):  # noqa: ANN202
    return page.locator(f"#state-{DESA}-dp-{item}")


def test_supporting_data_rules_and_conflicts(
    signed_in: Callable[[str], Page], screenshot: Callable[..., object]
) -> None:
    operator = signed_in("lomboktimur.kec.operator")
    operator.goto(f"/entry/{PERIOD}/{KEC}/supporting/")
    expect(operator.locator("h1")).to_contain_text("Data pendukung")
    expect(_field(operator, "dp-01")).to_have_value("9")

    # More active posyandu than posyandu: the rule's error is shown, the number is kept.
    _field(operator, "dp-02").fill("12")
    _field(operator, "dp-02").press("Tab")
    expect(_state(operator, "dp-02")).to_contain_text("posyandu-aktif")
    expect(_field(operator, "dp-02")).to_have_value("12")
    _field(operator, "dp-02").fill("7")
    _field(operator, "dp-02").press("Tab")
    expect(_state(operator, "dp-02")).to_contain_text("tersimpan")
    expect(_state(operator, "dp-02")).not_to_contain_text("posyandu-aktif")

    # Not a number: refused with the reason, nothing saved.
    _field(operator, "dp-03").fill("banyak")
    _field(operator, "dp-03").press("Tab")
    expect(_state(operator, "dp-03")).to_contain_text("tidak tersimpan")

    # A yes/no item and an amount in rupiah, typed the Indonesian way.
    _field(operator, "dp-05").select_option("1")
    expect(_state(operator, "dp-05")).to_contain_text("tersimpan")
    _field(operator, "dp-15").fill("Rp 75.000.000")
    _field(operator, "dp-15").press("Tab")
    expect(_state(operator, "dp-15")).to_contain_text("Rp 75.000.000")
    operator.reload()  # what was saved is what the page shows
    expect(_field(operator, "dp-02")).to_have_value("7")
    operator.evaluate("window.scrollTo(0, 0)")
    # The caret is left as it is: hiding it injects a style the page's CSP may refuse.
    screenshot(operator, "supporting-data.png", full_page=False, caret="initial")

    # A second tab opened before the next save: its save is a conflict showing the other value.
    stale = signed_in("lomboktimur.kec.operator")
    stale.goto(f"/entry/{PERIOD}/{KEC}/supporting/")
    _field(operator, "dp-04").fill("3")
    _field(operator, "dp-04").press("Tab")
    expect(_state(operator, "dp-04")).to_contain_text("tersimpan")
    _field(stale, "dp-04").fill("5")
    _field(stale, "dp-04").press("Tab")
    expect(_state(stale, "dp-04")).to_contain_text("3")
    expect(_state(stale, "dp-04")).to_contain_text("bentrok")
    expect(_field(stale, "dp-04")).to_have_value("3")

    # The Excel template of the kecamatan carries the saved supporting values.
    with operator.expect_download() as download:
        operator.get_by_role("link", name="Unduh templat Excel").click()
    workbook = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    sheet = workbook["Pendukung"]
    columns = {cell.value: cell.column for cell in sheet[2]}
    row = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == "52.03.07.1001")
    assert sheet.cell(row, columns["DP-02"]).value == 7
    assert sheet.cell(row, columns["DP-05"]).value == "Ya"
    assert sheet.cell(row, columns["DP-15"]).value == 75_000_000
