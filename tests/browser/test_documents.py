"""The document registers end to end: a kab/kota Bappeda reads its register, filters it, files a
circular (a refused file first: the message names the field and nothing typed is lost), downloads
and revokes it; a kecamatan reads its kab/kota's regulations, another kecamatan's officer cannot
read or download Selong's minutes.

The assertions use ids and the demo's own texts, not UI labels: they hold in Indonesian and, until
the new messages are translated, in English.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from aksi.documents.demo import demo_pdf

pytestmark = pytest.mark.browser

CHANGES_DEMO_DATA = True  # files and revokes a circular of Lombok Timur: runs after the others

CIRCULAR = "Surat Edaran Bupati Lombok Timur tentang Gerakan Makan Ikan"
MINUTES = "Berita Acara Kesepakatan Hasil Analisis Situasi Kecamatan Selong 2025"


def test_a_bappeda_keeps_its_register_and_kecamatan_read_only_theirs(
    signed_in: Callable[[str], Page], screenshot: Callable[..., object]
) -> None:
    admin = signed_in("lomboktimur.admin")
    admin.goto("/")
    admin.locator("nav.main-nav a[href='/documents/']").click()
    admin.wait_for_url("**/documents/")
    rows = admin.locator("#document-results tbody tr")
    expect(rows).to_have_count(5)  # Lombok Timur's four and Selong's minutes; not Mataram's
    expect(admin.locator("#document-results")).to_contain_text("Nomor 18 Tahun 2023")
    expect(admin.locator("#document-results")).to_contain_text("17 Mei 2023")
    expect(admin.locator("#document-results")).not_to_contain_text("Mataram")
    screenshot(admin, "documents-register.png", caret="initial")

    # Filters apply without a page load (htmx) and land in the address for a bookmark.
    admin.select_option("#id_kind", "minutes")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(MINUTES)
    admin.wait_for_url(re.compile(r"kind=minutes"))
    admin.select_option("#id_kind", "")
    expect(rows).to_have_count(5)

    # A new circular: the type list follows the kind; a program renamed .pdf is refused.
    admin.locator("a[href='/documents/new/']").first.click()
    admin.wait_for_url("**/documents/new/")
    admin.select_option("#id_region", "52.03")
    admin.select_option("#id_year", "2025")
    admin.select_option("#id_kind", "publication")
    expect(admin.locator("#id_channel")).to_be_visible()
    admin.select_option("#id_kind", "regulation")
    expect(admin.locator("#id_channel")).to_have_count(0)
    expect(admin.locator("#id_subtype option[value='media']")).to_have_count(0)
    admin.select_option("#id_subtype", "circular")
    admin.fill("#id_number", "400.5/112/BAPPEDA/2025")
    admin.fill("#id_title", CIRCULAR)
    admin.fill("#id_document_date", "2025-06-02")
    admin.fill("#id_note", "Ditujukan kepada para camat dan kepala desa.")
    admin.set_input_files(
        "#id_file",
        files=[{"name": "surat edaran.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90"}],
    )
    admin.locator("#document-form button[type=submit]").click()
    errors = admin.locator("#id_file_errors")
    expect(errors).to_contain_text("surat edaran.pdf")
    expect(admin.locator("#id_title")).to_have_value(CIRCULAR)
    expect(admin.locator("#id_number")).to_have_value("400.5/112/BAPPEDA/2025")
    expect(admin.locator("#id_subtype")).to_have_value("circular")
    expect(admin.locator("#id_note")).to_have_value("Ditujukan kepada para camat dan kepala desa.")
    admin.evaluate(
        "document.querySelector('#id_number').scrollIntoView({block: 'start'});"
        "window.scrollBy(0, -60)"
    )
    screenshot(admin, "documents-form-error.png", full_page=False, caret="initial")

    pdf = demo_pdf(CIRCULAR, ["Nomor 400.5/112/BAPPEDA/2025"])
    admin.set_input_files(
        "#id_file",
        files=[{"name": "SE Gemarikan 2025.pdf", "mimeType": "application/pdf", "buffer": pdf}],
    )
    admin.locator("#document-form button[type=submit]").click()
    admin.wait_for_url(re.compile(r"/documents/\d+/$"))
    expect(admin.locator("main h1")).to_have_text(CIRCULAR)
    expect(admin.locator("main")).to_contain_text("SE Gemarikan 2025.pdf")
    expect(admin.locator("table.audit-table tbody tr")).to_have_count(1)

    detail_path = re.sub(r"^https?://[^/]+", "", admin.url)
    with admin.expect_download() as download:
        admin.locator(f"main a[href='{detail_path}file/']").first.click()
    assert download.value.suggested_filename == "SE Gemarikan 2025.pdf"
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == pdf

    # Revoked from a date, with the reason; the history shows it above the filing.
    admin.locator("details:has(form[action$='/revoke/']) summary").click()
    admin.fill("#id_revoked_on", "2025-09-01")
    admin.fill("#id_note", "Diganti Surat Edaran Nomor 400.5/140/BAPPEDA/2025.")
    admin.locator("form[action$='/revoke/'] button[type=submit]").click()
    admin.wait_for_url(re.compile(r"/documents/\d+/$"))
    expect(admin.locator("main .lead .badge.warn")).to_be_visible()
    expect(admin.locator("main")).to_contain_text("1 September 2025")
    expect(admin.locator("table.audit-table tbody tr")).to_have_count(2)
    circular_url = admin.url

    # The kecamatan reads its kab/kota's regulations and its own minutes.
    selong = signed_in("lomboktimur.kec.operator")
    selong.goto("/documents/")
    results = selong.locator("#document-results")
    expect(results).to_contain_text("Nomor 18 Tahun 2023")
    expect(results).to_contain_text(MINUTES)
    minutes_url = selong.locator("#document-results a", has_text=MINUTES).get_attribute("href")
    assert minutes_url

    # Another kab/kota's kecamatan reads neither, not even by address.
    ampenan = signed_in("mataram.kec.operator")
    ampenan.goto("/documents/")
    expect(ampenan.locator("#document-results")).not_to_contain_text(MINUTES)
    expect(ampenan.locator("#document-results")).to_contain_text("Nomor 41 Tahun 2022")
    for url in (minutes_url, f"{minutes_url}file/", circular_url):
        response = ampenan.request.get(url)
        assert response.status == 404, url
