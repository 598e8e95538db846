"""A kecamatan operator enters, meets a validation error and a warning, comments and submits;
the kab/kota verifier returns it with a reason; the operator corrects and submits again; the
verifier verifies; the values are then locked. The correction comes by Excel upload."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

CHANGES_DEMO_DATA = True

GRID = "/entry/2025/52.71.01/"  # Ampenan, Kota Mataram (demo)
DESA = "5271011004"  # Ampenan Selatan, the first row


def _pair(page: Page, code: str, numerator: str, denominator: str) -> None:
    page.fill(f"#n-{DESA}-{code}", numerator)
    page.fill(f"#d-{DESA}-{code}", denominator)
    page.locator(f"#d-{DESA}-{code}").press("Tab")


def test_a_report_goes_from_entry_through_return_to_verified_and_locked(
    signed_in: Callable[[str], Page], screenshot: Callable[..., object], tmp_path: Path
) -> None:
    operator = signed_in("mataram.kec.operator")
    operator.goto(GRID)
    # A register denominator (wasted children found) cannot be exceeded: refused, text kept.
    _pair(operator, "bl-03", "30", "20")
    expect(operator.locator(f"#state-{DESA}-bl-03")).to_contain_text("tidak tersimpan")
    expect(operator.locator(f"#n-{DESA}-bl-03")).to_have_value("30")
    # Against an estimate it is stored and flagged.
    _pair(operator, "bl-01", "60", "50")
    expect(operator.locator(f"#state-{DESA}-bl-01")).to_contain_text("120,0%")
    expect(operator.locator(f"#state-{DESA}-bl-01")).to_contain_text("100%")

    panel = operator.locator("#submit-panel")
    panel.locator("button[type=submit]").click()
    expect(operator.locator("#submit-panel .message.error")).to_be_visible()  # comment needed
    operator.fill("#submit-note", "Penyebut Dukcapil lebih kecil dari sasaran riil.")
    operator.locator("#submit-panel button[type=submit]").click()
    expect(operator.locator("#submit-panel")).to_contain_text("dikirim")
    screenshot(operator, "review-submit.png", full_page=False)

    verifier = signed_in("mataram.verifikator")
    verifier.goto("/review/?region=52.71&period=2025")
    screenshot(verifier, "review-inbox.png")
    verifier.locator("main a", has_text="Ampenan").first.click()
    verifier.fill("#return-reason", "BL-01 Ampenan Selatan di atas 100%: periksa pembilang.")
    verifier.locator("form[action$='/return/'] button[type=submit]").click()

    operator.goto(GRID)
    expect(operator.locator("#submit-panel")).to_contain_text("periksa pembilang")
    # The fix comes by Excel: download the template, correct it offline, upload, preview, apply.
    with operator.expect_download() as download:
        operator.locator("main a", has_text="Unduh templat Excel").click()
    workbook_path = tmp_path / "ampenan.xlsx"
    download.value.save_as(workbook_path)
    workbook = load_workbook(workbook_path)
    sheet = workbook.worksheets[0]
    header = {cell.value: cell.column for cell in sheet[2] if cell.value}
    row = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == "52.71.01.1004")
    sheet.cell(row, header["BL-01 pembilang"], 45)
    sheet.cell(row, header["BL-01 penyebut"], 50)
    workbook.save(workbook_path)
    operator.locator("main a", has_text="Unggah Excel").click()
    operator.set_input_files("#id_file", str(workbook_path))
    operator.locator("main form button[type=submit]").click()
    changed = operator.locator("main tr", has_text="berubah").filter(has_text="pembilang")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text("60")
    expect(changed).to_contain_text("45")
    screenshot(operator, "excel-preview.png", full_page=False)
    operator.locator("form[action$='/excel/apply/'] button[type=submit]").click()
    operator.goto(GRID)
    expect(operator.locator(f"#n-{DESA}-bl-01")).to_have_value("45")
    operator.fill("#submit-note", "Sudah diperbaiki.")
    operator.locator("#submit-panel button[type=submit]").click()
    expect(operator.locator("#submit-panel")).to_contain_text("dikirim")

    verifier.goto("/review/?region=52.71&period=2025")
    verifier.locator("main a", has_text="Ampenan").first.click()
    verifier.locator("form[action$='/verify/'] button[type=submit]").click()
    expect(verifier.locator("main")).to_contain_text("Terverifikasi")

    operator.goto(GRID)
    expect(operator.locator(f"#n-{DESA}-bl-01")).to_be_disabled()
    expect(operator.locator(f"#n-{DESA}-bl-01")).to_have_value("45")
