"""Prevalence for admins: the working page of a region, and importing an e-PPGBM file — checked
row by row first, saved all at once."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# The import adds counts to the demo database: run after the modules that only read it.
CHANGES_DEMO_DATA = True

HEADER = "kode_wilayah,periode,balita_sasaran,balita_diukur,pendek,sangat_pendek"
# Desa of kecamatan Selong (52.03.07); 2023 is before the demo's weighing months.
GOOD = [
    "52.03.07.1001,202308,300,260,30,8",
    "52.03.07.1002,202308,320,290,25,6",
]
BAD = [
    "52.03.07.1001,202308,300,260,30,8",
    "52.03.07.1002,202308,320,29,25,6",  # pendek + sangat pendek (31) > diukur (29)
    "52.71.01.1004,202308,300,200,20,5",  # Kota Mataram: outside Lombok Timur
    "52.03.07.1003,2023-08,300,200,20,5",  # not a period
]


@pytest.fixture(scope="module", autouse=True)
def _published_figures(aksi_server: object) -> None:
    aksi_server.run("prevalence", "load")  # type: ignore[attr-defined]
    aksi_server.run(  # type: ignore[attr-defined]
        "shell",
        "-c",
        "from aksi.prevalence.demo import prevalence_demo_seed; prevalence_demo_seed()",
    )


def _upload(page: Page, lines: list[str]) -> None:
    page.goto("/prevalence/import/")
    page.locator("input[name=kind][value=administrative]").check()
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "eppgbm-selong.csv",
                "mimeType": "text/csv",
                "buffer": ("\n".join([HEADER, *lines]) + "\n").encode(),
            }
        ],
    )
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()


def test_the_region_page_shows_the_two_sources_apart(
    signed_in: Callable[[str], Page], screenshot: Callable
) -> None:
    page = signed_in("ntb.admin")
    page.goto("/prevalence/52/")
    expect(page.locator("h1")).to_contain_text("Nusa Tenggara Barat")
    expect(page.locator("#survey-heading ~ figure.chart svg[role=img]")).to_be_visible()
    expect(page.locator("table.survey-table")).to_contain_text("24,6%")
    expect(page.locator("table.eppgbm-table tbody tr")).to_have_count(2)
    screenshot(page, "prevalence-region.png")

    page.locator("table.eppgbm-table").get_by_role("link", name="Kabupaten Lombok Timur").click()
    page.wait_for_url("**/prevalence/52.03/")
    # Choosing another weighing month reloads the page for it.
    page.select_option("#id_periode", "202402")
    with page.expect_navigation():
        page.locator("form.period-form button").click()
    assert page.url.endswith("/prevalence/52.03/?periode=202402")
    expect(page.locator("#id_periode")).to_have_value("202402")


def test_an_admin_sees_every_row_error_then_applies_a_clean_file(
    signed_in: Callable[[str], Page], screenshot: Callable
) -> None:
    page = signed_in("lomboktimur.admin")
    _upload(page, BAD)
    errors = page.locator("table.import-errors tbody tr")
    expect(errors).to_have_count(3)
    expect(errors.nth(0)).to_contain_text("3")
    expect(errors.nth(0)).to_contain_text("pendek")
    expect(errors.nth(1)).to_contain_text("52.71.01.1004")  # row 4: outside the region
    expect(errors.nth(2)).to_contain_text("periode")  # row 5
    expect(page.locator("form.apply-form")).to_have_count(0)  # nothing can be saved
    screenshot(page, "prevalence-import-errors.png")

    _upload(page, GOOD)
    expect(page.locator(".count-new")).to_have_text("2")
    screenshot(page, "prevalence-import-check.png")
    with page.expect_navigation():
        page.locator("form.apply-form button").click()
    expect(page.locator(".import-report .message")).to_contain_text("2")

    page.goto("/prevalence/52.03.07/?periode=202308")
    expect(page.locator("table.eppgbm-table tbody tr")).to_have_count(2)
