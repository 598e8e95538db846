"""document_delete: soft removal, audited with the reason and where the file is kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from aksi.accounts.models import User
from aksi.core import audit_selectors
from aksi.core.models import AuditEvent, AuditEventType
from aksi.documents import selectors, services
from aksi.documents.models import Document, DocumentKind, DocumentSubtype

from .factories import add_document


def test_it_removes_from_the_register_but_keeps_row_file_and_history(
    district_admin: User, media: Path
) -> None:
    document = add_document(district_admin)
    stored = media / document.file.name
    services.document_delete(actor=district_admin, document=document, reason="Diunggah dua kali")

    assert not selectors.document_list(user=district_admin).exists()
    with pytest.raises(Http404):
        selectors.document_get(user=district_admin, pk=document.pk)
    document.refresh_from_db()
    assert document.removed_at is not None
    assert document.removed_by == district_admin
    assert stored.exists()
    event = AuditEvent.objects.get(event_type=AuditEventType.DOCUMENT_REMOVED)
    assert event.data["reason"] == "Diunggah dua kali"
    assert event.data["file"] == document.file.name
    assert event.data["file_sha256"] == document.file_sha256
    # The history stays readable in the audit log of the region's admin.
    history = audit_selectors.audit_events_for_object(user=district_admin, obj=document)
    assert [e.event_type for e in history] == ["documents.removed", "documents.added"]


def test_a_removed_document_frees_its_number_and_cannot_be_changed(district_admin: User) -> None:
    document = add_document(district_admin, number="5/2024")
    services.document_delete(actor=district_admin, document=document, reason="Salah wilayah")
    assert add_document(district_admin, number="5/2024").number == "5/2024"
    with pytest.raises(ValidationError):
        services.document_delete(actor=district_admin, document=document, reason="lagi")


@pytest.mark.usefixtures("english")
def test_it_needs_a_reason(district_admin: User) -> None:
    document = add_document(district_admin)
    with pytest.raises(ValidationError) as excinfo:
        services.document_delete(actor=district_admin, document=document, reason="  ")
    assert "reason" in excinfo.value.message_dict
    assert Document.objects.present().count() == 1


def test_readers_and_other_kecamatan_remove_nothing(
    kebonsari_operator: User, geger_operator: User, province_reviewer: User, outsider: User
) -> None:

    minutes = add_document(
        kebonsari_operator,
        region="35.19.01",
        kind=DocumentKind.MINUTES,
        subtype=DocumentSubtype.MEETING_MINUTES,
        number="",
    )
    for actor in (geger_operator, province_reviewer, outsider):
        with pytest.raises(PermissionDenied):
            services.document_delete(actor=actor, document=minutes, reason="x")
    assert Document.objects.present().count() == 1
    assert not AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_REMOVED).exists()
