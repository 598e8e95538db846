"""document_update: named fields, old and new in the audit, replaced files kept, stale edits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from aksi.accounts.models import User
from aksi.core.models import AuditEvent, AuditEventType
from aksi.documents import services
from aksi.documents.models import Document, DocumentKind, DocumentStatus, DocumentSubtype
from aksi.regions.models import Region

from .factories import add_document, pdf_bytes, pdf_upload


def _as_is(document: Document, **changes: Any) -> dict[str, Any]:
    """The service's arguments for the document as it is, with some changes."""
    fields = {
        "region": document.region,
        "year": document.year,
        "kind": document.kind,
        "subtype": document.subtype,
        "title": document.title,
        "document_date": document.document_date,
        "number": document.number,
        "step": document.step,
        "channel": document.channel,
        "audience": document.audience,
        "link": document.link,
        "note": document.note,
    }
    return fields | changes


def _changes() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_CHANGED))


def test_it_saves_the_named_fields_with_old_and_new_values(district_admin: User) -> None:
    document = add_document(district_admin, title="Perbup lama", number="1/2024")
    services.document_update(
        actor=district_admin,
        document=document,
        expected_version=1,
        **_as_is(document, title="Perbup baru", note="Ditandatangani bupati"),
    )
    document.refresh_from_db()
    assert (document.title, document.note, document.version) == (
        "Perbup baru",
        "Ditandatangani bupati",
        2,
    )
    [event] = _changes()
    assert event.data == {
        "before": {"title": "Perbup lama", "note": ""},
        "after": {"title": "Perbup baru", "note": "Ditandatangani bupati"},
        "version": 2,
    }
    assert event.region_code == "35.19"


def test_saving_without_a_change_writes_nothing(district_admin: User) -> None:
    document = add_document(district_admin)
    services.document_update(actor=district_admin, document=document, **_as_is(document))
    document.refresh_from_db()
    assert document.version == 1
    assert _changes() == []


def test_a_new_file_replaces_the_old_one_which_stays_in_storage(
    district_admin: User, media: Path
) -> None:
    document = add_document(district_admin, file=pdf_upload("versi-1.pdf"))
    old_name, old_hash = document.file.name, document.file_sha256
    new_content = pdf_bytes("versi 2")
    services.document_update(
        actor=district_admin,
        document=document,
        file=pdf_upload("versi-2.pdf", new_content),
        **_as_is(document),
    )
    document.refresh_from_db()
    assert document.file_name == "versi-2.pdf"
    assert document.file.name != old_name
    assert (media / document.file.name).read_bytes() == new_content
    assert (media / old_name).exists()  # never lost
    [event] = _changes()
    assert event.data["replaced_file"] == old_name
    assert event.data["before"]["file_sha256"] == old_hash
    assert event.data["after"]["file_name"] == "versi-2.pdf"


@pytest.mark.usefixtures("english")
def test_a_stale_edit_is_refused_and_changes_nothing(district_admin: User) -> None:
    document = add_document(district_admin, title="Judul awal")
    services.document_update(
        actor=district_admin, document=document, **_as_is(document, title="Judul kedua")
    )
    with pytest.raises(ValidationError) as excinfo:
        services.document_update(
            actor=district_admin,
            document=document,
            expected_version=1,
            **_as_is(document, title="Judul dari tab lama"),
        )
    assert (
        "saved a change to this document while you were editing"
        in (excinfo.value.message_dict[NON_FIELD_ERRORS][0])
    )
    document.refresh_from_db()
    assert (document.title, document.version) == ("Judul kedua", 2)


def test_a_regulation_turned_into_a_publication_loses_its_status(district_admin: User) -> None:
    document = add_document(district_admin)
    services.document_update(
        actor=district_admin,
        document=document,
        **_as_is(
            document,
            kind=DocumentKind.PUBLICATION,
            subtype=DocumentSubtype.CONVERGENCE_RESULTS,
            channel="Instagram",
        ),
    )
    document.refresh_from_db()
    assert (document.kind, document.status, document.channel) == ("publication", "", "Instagram")
    [event] = _changes()
    assert event.data["before"]["status"] == DocumentStatus.IN_FORCE
    assert event.data["after"]["status"] == ""


@pytest.mark.usefixtures("english")
def test_the_rules_of_filing_apply_to_a_change(district_admin: User) -> None:
    document = add_document(district_admin)
    with pytest.raises(ValidationError) as excinfo:
        services.document_update(
            actor=district_admin, document=document, **_as_is(document, title="", number="")
        )
    assert set(excinfo.value.message_dict) == {"title", "number"}
    document.refresh_from_db()
    assert document.title


def test_moving_a_document_needs_both_regions(
    district_admin: User, kebonsari_operator: User
) -> None:
    minutes = add_document(
        kebonsari_operator,
        region="35.19.01",
        kind=DocumentKind.MINUTES,
        subtype=DocumentSubtype.MEETING_MINUTES,
        number="",
    )
    with pytest.raises(PermissionDenied):
        services.document_update(
            actor=kebonsari_operator,
            document=minutes,
            **_as_is(minutes, region=Region.objects.get(code="35.19.02")),
        )
    # The kab/kota's admin writes both kecamatan: the move is made and audited.
    services.document_update(
        actor=district_admin,
        document=minutes,
        **_as_is(minutes, region=Region.objects.get(code="35.19.02")),
    )
    minutes.refresh_from_db()
    assert minutes.region_id == "35.19.02"
    assert _changes()[0].data["after"] == {"region": "35.19.02"}


def test_readers_and_outsiders_change_nothing(
    district_admin: User, province_reviewer: User, outsider: User
) -> None:
    document = add_document(district_admin, title="Asli")
    for actor in (province_reviewer, outsider):
        with pytest.raises(PermissionDenied):
            services.document_update(
                actor=actor, document=document, **_as_is(document, title="Diubah")
            )
    document.refresh_from_db()
    assert document.title == "Asli"
    assert _changes() == []
