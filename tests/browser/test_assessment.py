"""Penilaian kinerja end to end: the NTB admin reads the demo's published ranking with the
stunting prevalence beside it, prepares next year's round (weights that do not add up to 100
are refused by name), assigns a panelist and opens scoring; the panelist grades a cell that
saves itself; the admin closes the round and reopens it with a reason; a kab/kota reads the
published ranking but not the round still being scored.

The assertions use ids, classes and the demo's own data, not UI labels: they hold in Indonesian
and, until the new messages are translated, in English.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

CHANGES_DEMO_DATA = True  # adds a 2027 round of NTB: runs after the others

DEMO_TITLE = (
    "Penilaian Kinerja Aksi Konvergensi Stunting Kabupaten/Kota Provinsi Nusa Tenggara Barat"
)


def test_a_province_runs_an_assessment_and_a_kab_kota_reads_the_ranking(
    signed_in: Callable[[str], Page], screenshot: Callable[..., object]
) -> None:
    admin = signed_in("ntb.admin")
    admin.goto("/")
    admin.locator("nav.main-nav a[href='/assessment/']").click()
    admin.wait_for_url("**/assessment/")
    expect(admin.locator("#round-list tbody tr")).to_have_count(1)
    admin.locator("#round-list a", has_text=DEMO_TITLE).click()
    admin.wait_for_url(re.compile(r"/assessment/\d+/$"))
    demo_round = re.sub(r"^https?://[^/]+", "", admin.url)
    admin.locator(f"main a[href='{demo_round}results/']").click()
    ranking = admin.locator("#ranking tbody tr")
    expect(ranking).to_have_count(10)  # every kab/kota of NTB
    expect(ranking.first.locator("td").first).to_have_text("1")
    # Scores in Indonesian format: a decimal comma, never a point.
    totals = admin.locator("#ranking tbody td strong").all_inner_texts()
    assert any("," in total for total in totals), totals
    assert not any("." in total for total in totals), totals
    # Beside the score, the outcome: the demo's e-PPGBM counts of Lombok Timur and Mataram
    # (August 2024 → August 2025) with N; no survey figure of a kab/kota, and no counts from the
    # other eight: "—" with the reason, never 0.
    outcome = admin.locator("#outcome tbody tr")
    expect(outcome).to_have_count(10)
    expect(admin.locator("#outcome thead")).to_contain_text("2024")
    for code in ("52.03", "52.71"):
        cells = admin.locator(f"#outcome tr[data-region='{code}'] td")
        eppgbm = cells.nth(5)  # rank, total, survey 2024, 2025, change, e-PPGBM 2024
        expect(eppgbm.locator(".prevalence-value")).to_have_text(re.compile(r"^\d+,\d%$"))
        expect(eppgbm).to_contain_text("N =")
        expect(cells.nth(7)).to_have_text(re.compile(r"^[−+]?\d+,\d$"))  # the change
        expect(cells.nth(2)).to_have_class(re.compile("fig-missing"))  # no survey figure
    lombok_barat = admin.locator("#outcome tr[data-region='52.01'] td")
    expect(lombok_barat.nth(5)).to_have_class(re.compile("fig-missing"))
    expect(lombok_barat.nth(5)).to_contain_text("—")
    flags = admin.locator("#outcome .mismatch-flag").count()
    assert flags == admin.locator("#outcome tr.mismatch").count()
    screenshot(admin, "assessment-results.png")

    with admin.expect_download() as download:
        admin.locator(f"main a[href='{demo_round}results.xlsx']").click()
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    codes = [
        row[1]
        for row in sheet.iter_rows(values_only=True)
        if row[1] and str(row[1]).startswith("52.")
    ]
    assert len(codes) == 10

    # Next year's round: a draft with all ten kab/kota and the default rubric.
    admin.goto("/assessment/")
    admin.locator("main a[href='/assessment/new/']").click()
    admin.select_option("#id_conducted_year", "2027")
    admin.select_option("#id_assessed_year", "2026")
    admin.locator("main form button[type=submit]").click()
    admin.wait_for_url(re.compile(r"/assessment/\d+/$"))
    new_round = re.sub(r"^https?://[^/]+", "", admin.url)
    expect(admin.locator("#participants")).to_contain_text("Kota Mataram")
    expect(admin.locator("#rubric-panel tbody tr")).to_have_count(5)

    # Weights adding up to 110 are refused, naming both; what was typed stays.
    admin.locator(f"main a[href='{new_round}settings/']").click()
    admin.fill("#id_technical_weight", "70")
    admin.locator("#round-settings button[type=submit]").click()
    expect(admin.locator("#round-settings .errorlist")).to_contain_text("110")
    expect(admin.locator("#id_technical_weight")).to_have_value("70")
    admin.fill("#id_panel_weight", "30")
    admin.locator("#round-settings button[type=submit]").click()
    admin.wait_for_url(f"**{new_round}")
    expect(admin.locator("#round-facts")).to_contain_text("70%")

    # A panelist joins; scoring opens.
    admin.select_option(
        "form[action$='/panelists/add/'] select", label="Dr. Made Panelis (ntb.panelis)"
    )
    admin.locator("form[action$='/panelists/add/'] button[type=submit]").click()
    expect(admin.locator("#panelists")).to_contain_text("Dr. Made Panelis")
    admin.locator(f"form[action='{new_round}do/open/'] button").click()
    expect(admin.locator("#round-facts .badge.warn")).to_be_visible()  # scoring

    # The panelist grades Lombok Barat on items 1.1 and 1.2: saved as soon as chosen.
    panelist = signed_in("ntb.panelis")
    panelist.goto(new_round)
    panelist.locator(f"main a[href='{new_round}scoring/?component=panel']").click()
    rows = panelist.locator("#scoring-grid tbody tr")
    expect(rows).to_have_count(10)
    lombok_barat = panelist.locator("#scoring-grid tbody tr", has_text="52.01")
    lombok_barat.locator("select").first.select_option("A")
    expect(lombok_barat.locator(".cell-state").first).to_have_class(re.compile("state-saved"))
    lombok_barat.locator("select").nth(1).select_option("B")
    expect(lombok_barat.locator(".cell-state").nth(1)).to_have_class(re.compile("state-saved"))
    screenshot(panelist, "assessment-scoring.png", full_page=False)
    panelist.reload()  # what was saved is what the page shows
    expect(lombok_barat.locator("select").first).to_have_value("A")
    expect(lombok_barat.locator("select").nth(1)).to_have_value("B")

    # Closed, then reopened for a correction: the reason is required, then shown with the
    # results marked out of date.
    admin.goto(new_round)
    admin.locator(f"form[action='{new_round}do/close/'] button").click()
    admin.wait_for_url(f"**{new_round}results/")
    admin.goto(new_round)
    expect(admin.locator(f"form[action='{new_round}delete/']")).to_have_count(0)
    admin.locator("#reopen summary").click()
    admin.locator("#reopen button[type=submit]").click()
    expect(admin.locator("#reopen .errorlist")).to_be_visible()
    admin.fill("#reopen textarea", "Nilai 1.2 Lombok Barat keliru")
    admin.locator("#reopen button[type=submit]").click()
    admin.wait_for_url(f"**{new_round}")
    expect(admin.locator("#round-facts .badge.warn")).to_be_visible()  # scoring again
    expect(admin.locator("#results-stale")).to_be_visible()
    expect(admin.locator("#last-correction")).to_contain_text("Nilai 1.2 Lombok Barat keliru")

    # A kab/kota reads the published ranking, not the round being scored.
    kab = signed_in("lomboktimur.admin")
    kab.goto("/assessment/")
    expect(kab.locator("#round-list tbody tr")).to_have_count(1)
    kab.goto(f"{demo_round}results/")
    expect(kab.locator("#ranking tbody tr")).to_have_count(10)
    for url in (new_round, f"{new_round}scoring/", f"{new_round}results/"):
        response = kab.request.get(url)
        assert response.status == 404, url
