"""The register pages: scoped lists, downloads that check the reader, forms that name the field
in trouble and keep everything else, revoke and remove."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import User
from aksi.catalogue.models import Step
from aksi.core.models import AuditEvent, AuditEventType
from aksi.documents.models import Document, DocumentKind, DocumentStatus, DocumentSubtype

from .factories import add_document, pdf_bytes, pdf_upload


@pytest.fixture
def client_as(client: Client) -> Any:
    def _login(user: User) -> Client:
        client.cookies["django_language"] = "en"
        client.force_login(user)
        return client

    return _login


def _form(**changes: Any) -> dict[str, Any]:
    data = {
        "region": "35.19",
        "year": "2025",
        "kind": "regulation",
        "subtype": "regional_head_regulation",
        "number": "Nomor 9 Tahun 2024",
        "title": "Peraturan Bupati Madiun tentang Stunting",
        "document_date": "2024-04-02",
        "step": "",
        "link": "",
        "note": "Catatan operator",
        "file": pdf_upload("Perbup 9.pdf"),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_list_shows_what_the_reader_may_read(
    client_as: Any, district_admin: User, kebonsari_operator: User, outsider: User
) -> None:
    add_document(district_admin, title="Perbup Madiun")
    page = client_as(kebonsari_operator).get(reverse("documents:list")).content.decode()
    assert "Perbup Madiun" in page  # the kab/kota's regulation binds its kecamatan
    assert "Add a document" in page
    page = client_as(outsider).get(reverse("documents:list")).content.decode()
    assert "Perbup Madiun" not in page
    assert "No document is registered yet." in page


def test_the_list_filters_and_answers_htmx_with_the_table_only(
    client_as: Any, district_admin: User
) -> None:
    add_document(district_admin, title="Perbup Madiun", year=2024)
    add_document(
        district_admin,
        title="Hasil konvergensi",
        kind=DocumentKind.PUBLICATION,
        subtype=DocumentSubtype.CONVERGENCE_RESULTS,
    )
    client = client_as(district_admin)
    response = client.get(
        reverse("documents:list"), {"kind": "publication"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="document-results">')
    assert "Hasil konvergensi" in body
    assert "Perbup Madiun" not in body
    body = client.get(reverse("documents:list"), {"year": "2024"}).content.decode()
    assert "Perbup Madiun" in body
    assert "Hasil konvergensi" not in body
    body = client.get(reverse("documents:list"), {"region": "35.1x"}).content.decode()
    assert "Region: Enter a Kemendagri region code" in body


def test_the_list_reads_thirty_documents_in_constant_queries(
    client_as: Any, district_admin: User, django_assert_max_num_queries: Any
) -> None:
    for number in range(30):
        add_document(district_admin, number=f"{number}/2024")
    client = client_as(district_admin)
    # session, user, assignments (both scopes: cached on the user); the regions of the filter
    # (the documents' regions, then their rows); count; the page joined with regions, steps
    # and uploaders; session save (in a savepoint: 3)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("documents:list"))
    assert response.content.decode().count('href="/documents/') >= 30


def test_the_file_is_downloaded_by_readers_only(
    client_as: Any,
    district_admin: User,
    kebonsari_operator: User,
    geger_operator: User,
    outsider: User,
) -> None:
    content = pdf_bytes("Perbup unduhan")
    document = add_document(district_admin, file=pdf_upload("Perbup 3 Tahun 2024.pdf", content))
    url = reverse("documents:file", args=[document.pk])
    response = client_as(kebonsari_operator).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Perbup 3 Tahun 2024.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    minutes = add_document(
        kebonsari_operator,
        region="35.19.01",
        kind=DocumentKind.MINUTES,
        subtype=DocumentSubtype.MEETING_MINUTES,
        number="",
    )
    assert (
        client_as(geger_operator).get(reverse("documents:file", args=[minutes.pk])).status_code
        == 404
    )
    assert client_as(outsider).get(url).status_code == 404
    assert (
        client_as(outsider).get(reverse("documents:detail", args=[document.pk])).status_code == 404
    )
    client = Client()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_media_folder_is_not_served(client_as: Any, district_admin: User) -> None:
    document = add_document(district_admin)
    assert client_as(district_admin).get(f"/media/{document.file.name}").status_code == 404


def test_adding_a_document_through_the_form(client_as: Any, district_admin: User) -> None:
    client = client_as(district_admin)
    step = Step.objects.get(framework__code="aksi6_2025", code="R")
    response = client.post(reverse("documents:create"), _form(step=str(step.pk)))
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:detail", args=[document.pk])
    assert (document.title, document.number, document.step) == (
        "Peraturan Bupati Madiun tentang Stunting",
        "Nomor 9 Tahun 2024",
        step,
    )
    assert document.file_name == "Perbup 9.pdf"
    assert AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_ADDED).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Document added" in page  # the history
    assert "Perbup 9.pdf" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"file": SimpleUploadedFile("perbup.exe", b"MZ\x90\x00")},
            "File: “perbup.exe” cannot be uploaded: choose a PDF",
        ),
        (
            {"file": SimpleUploadedFile("perbup.pdf", b"MZ\x90\x00 renamed")},
            "File: The content of “perbup.pdf” is not a PDF file",
        ),
        ({"title": ""}, "Title: This field is required."),
        ({"document_date": "31-02-2024"}, "Date of the document: Enter a valid date."),
        ({"file": None}, "File: Upload the file, or enter a link"),
        ({"number": ""}, "Number: This field is required."),
        ({"link": "not a web address"}, "Link: Enter a valid URL."),
    ],
)
def test_bad_input_names_the_field_and_keeps_the_rest(
    client_as: Any, district_admin: User, changes: dict[str, Any], message: str
) -> None:
    response = client_as(district_admin).post(reverse("documents:create"), _form(**changes))
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert "Catatan operator" in body  # what was typed is still in the form
    assert 'value="Nomor 9 Tahun 2024"' in body or changes.get("number") == ""
    assert not Document.objects.exists()


def test_a_file_over_the_limit_is_refused_with_the_limit(
    client_as: Any, district_admin: User, settings: Any
) -> None:
    settings.AKSI_DOCUMENT_MAX_BYTES = 2048
    big = pdf_upload("besar.pdf", pdf_bytes() + b"%" * 4096)
    body = client_as(district_admin).post(reverse("documents:create"), _form(file=big))
    text = body.content.decode()
    assert "File: The file is " in text
    assert "the limit is 2.0\xa0KB." in text
    # A browser cannot refill a file input: the page says so.
    assert "Choose it again before saving." in text
    assert 'value="Peraturan Bupati Madiun tentang Stunting"' in text


def test_the_kind_fields_follow_the_kind(client_as: Any, district_admin: User) -> None:
    client = client_as(district_admin)
    url = reverse("documents:kind_fields")
    body = client.get(url, {"kind": "publication", "year": "2025", "number": "x"}).content.decode()
    assert body.lstrip().startswith('<div id="kind-fields">')
    assert 'name="channel"' in body
    assert 'value="convergence_results"' in body
    assert 'value="regional_head_regulation"' not in body
    assert 'value="x"' in body  # what was typed stays
    body = client.get(url, {"kind": "regulation", "year": "2025"}).content.decode()
    assert 'name="channel"' not in body
    assert 'value="task_force_decree"' in body
    assert ">R — Regulasi<" in body  # the steps of 2025's framework


def test_readers_cannot_open_the_forms(
    client_as: Any, district_admin: User, province_reviewer: User
) -> None:
    document = add_document(district_admin)
    client = client_as(province_reviewer)
    assert client.get(reverse("documents:create")).status_code == 403
    assert client.get(reverse("documents:edit", args=[document.pk])).status_code == 403
    assert (
        client.post(reverse("documents:remove", args=[document.pk]), {"reason": "x"}).status_code
        == 403
    )
    page = client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert "Mark as revoked" not in page
    assert reverse("documents:edit", args=[document.pk]) not in page


def test_editing_keeps_the_file_and_refuses_a_stale_form(
    client_as: Any, district_admin: User
) -> None:
    document = add_document(district_admin, title="Judul lama", number="4/2024")
    client = client_as(district_admin)
    url = reverse("documents:edit", args=[document.pk])
    response = client.post(url, _form(title="Judul baru", number="4/2024", file=None, version="1"))
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.title, document.version, document.file_name) == ("Judul baru", 2, "perbup.pdf")
    stale = client.post(url, _form(title="Dari tab lama", number="4/2024", file=None, version="1"))
    assert "saved a change to this document while you were editing it" in stale.content.decode()
    assert 'value="Dari tab lama"' in stale.content.decode()
    document.refresh_from_db()
    assert document.title == "Judul baru"


def test_revoking_and_removing_from_the_detail_page(client_as: Any, district_admin: User) -> None:
    document = add_document(district_admin, document_date=dt.date(2020, 1, 6))
    client = client_as(district_admin)
    refused = client.post(
        reverse("documents:revoke", args=[document.pk]), {"revoked_on": "2021-01-01"}
    )
    assert refused.status_code == 200
    assert "Reason: This field is required." in refused.content.decode()
    response = client.post(
        reverse("documents:revoke", args=[document.pk]),
        {"revoked_on": "2023-05-17", "note": "Dicabut Perbup 18/2023"},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.REVOKED
    page = client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert "17 May 2023" in page
    assert "Regulation revoked" in page  # the history

    response = client.post(reverse("documents:remove", args=[document.pk]), {"reason": "Ganda"})
    assert response["Location"] == reverse("documents:list")
    assert client.get(reverse("documents:detail", args=[document.pk])).status_code == 404


def test_the_menu_links_the_registers_for_signed_in_users(
    client_as: Any, kebonsari_operator: User
) -> None:
    client = client_as(kebonsari_operator)
    assert f'href="{reverse("documents:list")}"' in client.get("/").content.decode()
    client.logout()
    assert f'href="{reverse("documents:list")}"' not in client.get("/").content.decode()
