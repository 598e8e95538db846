"""document_revoke: a regulation is marked revoked from a date, with a reason, and audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from aksi.accounts.models import User
from aksi.core.models import AuditEvent, AuditEventType
from aksi.documents import services
from aksi.documents.models import DocumentKind, DocumentStatus, DocumentSubtype

from .factories import add_document

pytestmark = pytest.mark.usefixtures("english")


def test_it_marks_a_regulation_revoked_and_audits_it(district_admin: User) -> None:
    document = add_document(district_admin, document_date=dt.date(2019, 7, 8))
    services.document_revoke(
        actor=district_admin,
        document=document,
        revoked_on=dt.date(2023, 5, 17),
        note="Dicabut dengan Perbup 18/2023",
    )
    document.refresh_from_db()
    assert document.status == DocumentStatus.REVOKED
    assert document.revoked_on == dt.date(2023, 5, 17)
    assert document.revocation_note == "Dicabut dengan Perbup 18/2023"
    assert document.version == 2
    event = AuditEvent.objects.get(event_type=AuditEventType.DOCUMENT_REVOKED)
    assert event.actor == district_admin
    assert event.data == {
        "before": {"status": "in_force"},
        "after": {"status": "revoked"},
        "revoked_on": "2023-05-17",
        "reason": "Dicabut dengan Perbup 18/2023",
    }


def test_only_regulations_in_force_are_revoked(district_admin: User) -> None:
    publication = add_document(
        district_admin, kind=DocumentKind.PUBLICATION, subtype=DocumentSubtype.EVENT, number=""
    )
    with pytest.raises(ValidationError, match="Only regulations are revoked"):
        services.document_revoke(
            actor=district_admin, document=publication, revoked_on=dt.date(2025, 1, 1), note="x"
        )
    regulation = add_document(district_admin)
    services.document_revoke(
        actor=district_admin, document=regulation, revoked_on=dt.date(2025, 1, 1), note="x"
    )
    with pytest.raises(ValidationError, match="already revoked"):
        services.document_revoke(
            actor=district_admin, document=regulation, revoked_on=dt.date(2025, 2, 1), note="y"
        )
    assert AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_REVOKED).count() == 1


def test_it_needs_a_plausible_date_and_a_reason(district_admin: User) -> None:
    document = add_document(district_admin, document_date=dt.date(2024, 3, 1))
    with pytest.raises(ValidationError) as excinfo:
        services.document_revoke(
            actor=district_admin, document=document, revoked_on=dt.date(2024, 2, 1), note=" "
        )
    errors = excinfo.value.message_dict
    assert errors["revoked_on"] == [
        "A regulation cannot be revoked before its own date, 1 March 2024."
    ]
    assert "Give the reason" in errors["note"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.document_revoke(
            actor=district_admin,
            document=document,
            revoked_on=timezone.localdate() + dt.timedelta(days=3),
            note="Perbup baru",
        )
    assert "future" in excinfo.value.message_dict["revoked_on"][0]
    document.refresh_from_db()
    assert document.status == DocumentStatus.IN_FORCE


def test_readers_do_not_revoke(district_admin: User, province_reviewer: User) -> None:
    document = add_document(district_admin)
    with pytest.raises(PermissionDenied):
        services.document_revoke(
            actor=province_reviewer, document=document, revoked_on=dt.date(2025, 1, 1), note="x"
        )
    document.refresh_from_db()
    assert document.status == DocumentStatus.IN_FORCE
