"""GET /api/v1/documents (and one document, and its file): the registers as the caller may read
them — own regions, the regions below and above — filtered, paginated, in few queries."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.catalogue.models import Step
from aksi.documents.models import Document, DocumentKind, DocumentSubtype
from aksi.documents.services import document_delete
from aksi.documents.tests.factories import add_document, pdf_bytes, pdf_upload

from .conftest import token_client


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def madiun_admin(db: None) -> User:
    return user_with_role("admin_madiun", Role.REGION_ADMIN, "35.19")


@pytest.fixture
def register(madiun_admin: User, kebonsari_operator: User) -> dict[str, Document]:
    """Madiun's Perbup (with a PDF), its publication (a link), Kebonsari's minutes of step 1 and
    the minutes of a sibling kecamatan, Geger."""
    geger = user_with_role("op_geger", Role.OPERATOR, "35.19.02")
    minutes = {"kind": DocumentKind.MINUTES, "subtype": DocumentSubtype.AGREEMENT_MINUTES}
    return {
        "perbup": add_document(
            madiun_admin,
            title="Perbup Madiun tentang Stunting",
            number="Nomor 9 Tahun 2024",
            file=pdf_upload("Perbup 9.pdf", pdf_bytes("Perbup 9")),
        ),
        "publication": add_document(
            madiun_admin,
            title="Data stunting per desa 2024",
            kind=DocumentKind.PUBLICATION,
            subtype=DocumentSubtype.DATA,
            number="",
            file=None,
            link="https://madiunkab.go.id/data-stunting",
            channel="Situs web",
            year=2024,
        ),
        "kebonsari": add_document(
            kebonsari_operator,
            region="35.19.01",
            title="BA Kebonsari",
            number="",
            step=Step.objects.get(framework__code="aksi6_2025", code="1"),
            **minutes,
        ),
        "geger": add_document(geger, region="35.19.02", title="BA Geger", number="", **minutes),
    }


def _titles(body: dict[str, Any]) -> set[str]:
    return {d["title"] for d in body["items"]}


def test_documents_are_read_within_the_scope_with_the_regions_above(
    api: Client, register: dict[str, Document], django_assert_max_num_queries: Any
) -> None:
    # auth: token (and its last use), user, assignments; then count and the page joined with
    # regions, steps and uploaders
    with django_assert_max_num_queries(7):
        body = api.get("/api/v1/documents").json()
    assert body["count"] == 3
    assert _titles(body) == {
        "Perbup Madiun tentang Stunting",
        "Data stunting per desa 2024",
        "BA Kebonsari",
    }
    by_title = {d["title"]: d for d in body["items"]}
    perbup = by_title["Perbup Madiun tentang Stunting"]
    assert perbup == {
        "id": register["perbup"].pk,
        "region": "35.19",
        "year": 2025,
        "kind": "regulation",
        "subtype": "regional_head_regulation",
        "step": None,
        "title": "Perbup Madiun tentang Stunting",
        "number": "Nomor 9 Tahun 2024",
        "date": "2024-03-01",
        "status": "in_force",
        "revoked_on": None,
        "channel": "",
        "audience": "",
        "link": None,
        "file_name": "Perbup 9.pdf",
        "file_size": len(pdf_bytes("Perbup 9")),
        "file_sha256": hashlib.sha256(pdf_bytes("Perbup 9")).hexdigest(),
        "download_url": f"http://testserver/api/v1/documents/{register['perbup'].pk}/file",
        "uploaded_by": "admin_madiun",
        "updated_at": perbup["updated_at"],
        "version": 1,
    }
    publication = by_title["Data stunting per desa 2024"]
    assert (publication["status"], publication["file_name"], publication["download_url"]) == (
        None,
        None,
        None,
    )
    assert publication["link"] == "https://madiunkab.go.id/data-stunting"
    assert by_title["BA Kebonsari"]["step"] == "1"


def test_an_outsider_reads_no_document(register: dict[str, Document], outsider: User) -> None:
    client = token_client(outsider)
    assert client.get("/api/v1/documents").json() == {"items": [], "count": 0}
    perbup = register["perbup"].pk
    assert client.get(f"/api/v1/documents/{perbup}").status_code == 404
    response = client.get(f"/api/v1/documents/{perbup}/file")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such document."}
    assert client.get("/api/v1/documents", {"region": "35.19"}).status_code == 403


@pytest.mark.usefixtures("register")
def test_the_filters_narrow_the_list(madiun_admin: User) -> None:
    client = token_client(madiun_admin)
    assert _titles(client.get("/api/v1/documents", {"region": "35.19.02"}).json()) == {"BA Geger"}
    assert _titles(client.get("/api/v1/documents", {"year": 2024}).json()) == {
        "Data stunting per desa 2024"
    }
    assert _titles(client.get("/api/v1/documents", {"kind": "minutes"}).json()) == {
        "BA Kebonsari",
        "BA Geger",
    }
    assert _titles(client.get("/api/v1/documents", {"status": "in_force"}).json()) == {
        "Perbup Madiun tentang Stunting"
    }
    assert _titles(client.get("/api/v1/documents", {"q": "kebonsari"}).json()) == {"BA Kebonsari"}
    page = client.get("/api/v1/documents", {"limit": 2, "offset": 2}).json()
    assert (page["count"], len(page["items"])) == (4, 2)


@pytest.mark.usefixtures("register")
def test_a_kecamatan_may_ask_for_the_regions_above_it(api: Client) -> None:
    body = api.get("/api/v1/documents", {"region": "35.19"}).json()
    assert _titles(body) == {
        "Perbup Madiun tentang Stunting",
        "Data stunting per desa 2024",
        "BA Kebonsari",
    }
    assert api.get("/api/v1/documents", {"region": "35.19.02"}).status_code == 403


@pytest.mark.usefixtures("register")
def test_bad_filters_get_the_common_error_bodies(api: Client) -> None:
    unknown = api.get("/api/v1/documents", {"region": "35.99"})
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "No region has the code 35.99."}
    invalid = api.get("/api/v1/documents", {"kind": "letter"})
    assert invalid.status_code == 422
    assert invalid.json()["errors"][0]["field"].endswith("kind")
    assert api.get("/api/v1/documents", {"year": 1999}).status_code == 422


def test_the_file_is_streamed_to_readers(api: Client, register: dict[str, Document]) -> None:
    url = f"/api/v1/documents/{register['perbup'].pk}/file"
    response = api.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes("Perbup 9")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Perbup 9.pdf"'
    link_only = api.get(f"/api/v1/documents/{register['publication'].pk}/file")
    assert link_only.status_code == 404
    assert link_only.json() == {"detail": "This document has no file, only a link."}
    sibling = api.get(f"/api/v1/documents/{register['geger'].pk}/file")
    assert sibling.status_code == 404
    assert Client().get(url).status_code == 401


def test_removed_documents_leave_the_api(
    api: Client, register: dict[str, Document], madiun_admin: User
) -> None:
    document_delete(actor=madiun_admin, document=register["perbup"], reason="Ganda")
    assert api.get(f"/api/v1/documents/{register['perbup'].pk}").status_code == 404
    assert api.get(f"/api/v1/documents/{register['perbup'].pk}/file").status_code == 404
    assert api.get("/api/v1/documents").json()["count"] == 2


def test_one_document_by_id(api: Client, register: dict[str, Document]) -> None:
    body = api.get(f"/api/v1/documents/{register['kebonsari'].pk}").json()
    assert (body["region"], body["kind"], body["subtype"], body["step"]) == (
        "35.19.01",
        "minutes",
        "agreement_minutes",
        "1",
    )
    assert api.get("/api/v1/documents/0").status_code == 422
