"""The demo documents: filed through the services, valid PDFs, and filed only once."""

from __future__ import annotations

import io

import pypdf

from aksi.accounts.models import Role, RoleAssignment, User
from aksi.core.models import AuditEvent, AuditEventType
from aksi.documents.demo import DEMO_DOCUMENTS, demo_pdf, documents_demo_seed
from aksi.documents.models import Document, DocumentStatus
from aksi.regions.models import Region


def _demo_officers() -> None:
    for username, role, code in (
        ("lomboktimur.admin", Role.REGION_ADMIN, "52.03"),
        ("lomboktimur.kec.operator", Role.OPERATOR, "52.03.07"),
        ("mataram.admin", Role.REGION_ADMIN, "52.71"),
    ):
        user = User.objects.create_user(username=username, password="x", is_demo=True)
        RoleAssignment.objects.create(user=user, role=role, region=Region.objects.get(code=code))


def test_it_files_the_demo_documents_once(db: None) -> None:
    _demo_officers()
    assert documents_demo_seed() == len(DEMO_DOCUMENTS)
    assert documents_demo_seed() == 0
    assert Document.objects.count() == len(DEMO_DOCUMENTS)
    assert AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_ADDED).count() == len(
        DEMO_DOCUMENTS
    )
    revoked = Document.objects.get(status=DocumentStatus.REVOKED)
    assert revoked.number == "Nomor 32 Tahun 2019"
    minutes = Document.objects.get(kind="minutes")
    assert (minutes.region_id, minutes.step.code) == ("52.03.07", "1")
    link_only = Document.objects.get(kind="publication")
    assert link_only.link.startswith("https://demo.aksi.invalid/")
    assert not link_only.file


def test_the_demo_pdfs_open_in_a_pdf_reader() -> None:
    content = demo_pdf("Berita Acara (contoh)", ["Kecamatan Selong, 12 Maret 2025"])
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Berita Acara (contoh)" in text
    assert "Kecamatan Selong" in text
