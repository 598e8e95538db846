"""Every change to the document registers, audited: add, change, revoke (regulations) and remove.

Removal is soft: a removed document leaves the registers, the API and downloads, but its row,
its file and its history stay, so nothing uploaded is ever lost without a trace. A replaced
file stays in storage too; the audit event of the change names it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from aksi.accounts.models import User
from aksi.catalogue.models import Step
from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record
from aksi.documents.files import CheckedFile, uploaded_file_check
from aksi.documents.models import (
    DOCUMENT_LEVELS,
    KIND_SUBTYPES,
    NUMBERED_KINDS,
    SUBTYPE_LEVELS,
    Document,
    DocumentKind,
    DocumentStatus,
    DocumentSubtype,
)
from aksi.documents.rules import WRITE_DOCUMENT, WRITE_REGION
from aksi.regions.models import Level, Region

FIRST_YEAR = 2018  # the first year of the convergence actions (8 aksi)
# Fields a change may touch, in the order an audit event lists them.
EDITABLE_FIELDS = (
    "region",
    "year",
    "kind",
    "subtype",
    "step",
    "title",
    "number",
    "document_date",
    "channel",
    "audience",
    "link",
    "note",
)
FILE_FIELDS = ("file", "file_name", "file_size", "file_sha256")
AUDIT_FIELDS = (*EDITABLE_FIELDS, "status", "revoked_on", "revocation_note", *FILE_FIELDS)


def last_year() -> int:
    """Documents may be filed for next year already (a Perbup signed in December)."""
    return timezone.localdate().year + 1


def _require_writer(actor: User, region: Region) -> None:
    if not actor.has_perm(WRITE_REGION, region):
        raise PermissionDenied(
            _("You do not keep the documents of %(region)s.") % {"region": region.name}
        )


def _value(document: Document, field: str) -> Any:
    """A field as the audit stores it: codes for relations, ISO dates, plain text."""
    if field == "region":
        return document.region_id
    if field == "step":
        return document.step.code if document.step_id else ""
    if field == "file":
        return document.file.name if document.file else ""
    value = getattr(document, field)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _snapshot(document: Document, fields: tuple[str, ...]) -> dict[str, Any]:
    return {field: _value(document, field) for field in fields}


def _check_file(file: UploadedFile | None) -> tuple[CheckedFile | None, list[str]]:
    """The checked upload, or the reasons it is refused (reported with the other fields)."""
    if file is None:
        return None, []
    try:
        return uploaded_file_check(file), []
    except ValidationError as refused:
        return None, refused.message_dict["file"]


def _validate(document: Document, *, checked: CheckedFile | None, file_errors: list[str]) -> None:
    """The register's rules for a document about to be saved; all problems at once."""
    errors: dict[str, list[str]] = {"file": list(file_errors)} if file_errors else {}

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    region = document.region
    if region.level not in DOCUMENT_LEVELS or not region.is_active:
        error(
            "region",
            _(
                "Documents are kept by a province, a regency/city or a subdistrict; "
                "%(region)s is not one (or no longer exists)."
            )
            % {"region": region.name},
        )
    if not FIRST_YEAR <= document.year <= last_year():
        error(
            "year",
            _("The reporting year is between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": last_year()},
        )
    kind_ok = document.kind in DocumentKind.values
    if not kind_ok:
        error("kind", _("Choose the kind of document."))
    elif document.subtype not in KIND_SUBTYPES[document.kind]:
        error(
            "subtype",
            _("Choose a type of %(kind)s.") % {"kind": _kind_word(document)},
        )
    elif region.level not in SUBTYPE_LEVELS.get(document.subtype, DOCUMENT_LEVELS):
        error(
            "subtype",
            _("A %(level)s does not issue a “%(type)s”.")
            % {
                "level": Level(region.level).label.lower(),
                "type": DocumentSubtype(document.subtype).label,
            },
        )
    if not document.title.strip():
        error("title", _("Enter the title of the document."))
    if kind_ok and document.kind in NUMBERED_KINDS and not document.number.strip():
        error("number", _("Enter the number of the %(kind)s.") % {"kind": _kind_word(document)})
    if document.document_date > timezone.localdate():
        error(
            "document_date",
            _("The date %(date)s is in the future: enter the date it was signed or published.")
            % {"date": formats.date_format(document.document_date, "j F Y")},
        )
    if document.step_id is not None:
        _validate_step(document, error)
    if document.link:
        try:
            URLValidator(schemes=["http", "https"])(document.link)
        except ValidationError:
            error("link", _("Enter a full web address starting with https:// or http://."))
    if not document.file and not document.link and not file_errors:
        error(
            "file",
            _("Upload the file, or enter a link where the document is published: one is needed."),
        )
    if not errors:
        _check_duplicates(document, checked=checked, error=error)
    if errors:
        raise ValidationError(errors)


def _kind_word(document: Document) -> str:
    return str(DocumentKind(document.kind).label).lower()


def _validate_step(document: Document, error: Any) -> None:
    step: Step = document.step  # type: ignore[assignment]
    framework = step.framework
    if not (
        framework.first_year <= document.year
        and (framework.last_year is None or document.year <= framework.last_year)
    ):
        error(
            "step",
            _("Step %(step)s belongs to %(framework)s, not to the framework of %(year)s.")
            % {"step": step.code, "framework": framework.short_name, "year": document.year},
        )
    elif document.region.level not in step.levels:
        error(
            "step",
            _("A %(level)s has no step %(step)s.")
            % {"level": Level(document.region.level).label.lower(), "step": step.code},
        )


def _check_duplicates(document: Document, *, checked: CheckedFile | None, error: Any) -> None:
    others = Document.objects.present().filter(region=document.region).exclude(pk=document.pk)
    if document.kind in NUMBERED_KINDS:
        same = others.filter(
            kind=document.kind, subtype=document.subtype, number__iexact=document.number.strip()
        ).first()
        if same is not None:
            error(
                "number",
                _("Number %(number)s is already in the register: “%(title)s”.")
                % {"number": document.number.strip(), "title": same.title},
            )
    if checked is not None:
        same = others.filter(file_sha256=checked.sha256).first()
        if same is not None:
            error(
                "file",
                _("This file is already in the register of %(region)s as “%(title)s”.")
                % {"region": document.region.name, "title": same.title},
            )


def _attach(document: Document, checked: CheckedFile) -> None:
    document.file = checked.upload  # stored under a fresh name when the row is saved
    document.file_name = checked.original_name
    document.file_size = checked.size
    document.file_sha256 = checked.sha256


def _apply_kind_rules(document: Document) -> None:
    """Status belongs to regulations, channel and audience to publications."""
    if document.kind == DocumentKind.REGULATION:
        document.status = document.status or DocumentStatus.IN_FORCE
    else:
        document.status, document.revoked_on, document.revocation_note = "", None, ""
    if document.kind != DocumentKind.PUBLICATION:
        document.channel = document.audience = ""


@transaction.atomic
def document_create(
    *,
    actor: User,
    region: Region,
    year: int,
    kind: str,
    subtype: str,
    title: str,
    document_date: dt.date,
    number: str = "",
    step: Step | None = None,
    channel: str = "",
    audience: str = "",
    link: str = "",
    note: str = "",
    file: UploadedFile | None = None,
) -> Document:
    """Add a document to a region's register; it needs a file or a link."""
    _require_writer(actor, region)
    checked, file_errors = _check_file(file)
    document = Document(
        region=region,
        year=year,
        kind=kind,
        subtype=subtype,
        step=step,
        title=title.strip(),
        number=number.strip(),
        document_date=document_date,
        channel=channel.strip(),
        audience=audience.strip(),
        link=link.strip(),
        note=note.strip(),
        uploaded_by=actor,
        updated_by=actor,
    )
    if checked is not None:
        _attach(document, checked)
    _apply_kind_rules(document)
    _validate(document, checked=checked, file_errors=file_errors)
    document.save()
    audit_event_record(
        event_type=AuditEventType.DOCUMENT_ADDED,
        actor=actor,
        target=document,
        region_code=region.code,
        data={k: v for k, v in _snapshot(document, AUDIT_FIELDS).items() if v not in ("", None)},
    )
    return document


def _locked(document: Document) -> Document:
    locked = (
        # Only the document row: the step is an outer join, which PostgreSQL cannot lock.
        Document.objects.select_for_update(of=("self",))
        .select_related("region", "step__framework")
        .get(pk=document.pk)
    )
    if locked.removed_at is not None:
        raise ValidationError(_("This document has been removed from the register."))
    return locked


@transaction.atomic
def document_update(
    *,
    actor: User,
    document: Document,
    region: Region,
    year: int,
    kind: str,
    subtype: str,
    title: str,
    document_date: dt.date,
    number: str = "",
    step: Step | None = None,
    channel: str = "",
    audience: str = "",
    link: str = "",
    note: str = "",
    file: UploadedFile | None = None,
    expected_version: int | None = None,
) -> Document:
    """Change a document to the given values (`file`: a replacement, None keeps the file).

    The audit event lists the changed fields, old and new. `expected_version` is the version
    the editor saw: a change saved in between is reported, not overwritten.
    """
    # Lock the row: two officers of one Bappeda may edit the same entry at once.
    document = _locked(document)
    _require_writer(actor, document.region)
    if region.code != document.region_id:
        _require_writer(actor, region)
    if expected_version is not None and expected_version != document.version:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _(
                    "%(user)s saved a change to this document while you were editing it. "
                    "Your changes are not saved; they are still in the form. Open the document "
                    "again to see the current version."
                )
                % {"user": document.updated_by}
            }
        )
    checked, file_errors = _check_file(file)
    before = _snapshot(document, AUDIT_FIELDS)
    document.region = region
    document.year = year
    document.kind = kind
    document.subtype = subtype
    document.step = step
    document.title = title.strip()
    document.number = number.strip()
    document.document_date = document_date
    document.channel = channel.strip()
    document.audience = audience.strip()
    document.link = link.strip()
    document.note = note.strip()
    if checked is not None:
        _attach(document, checked)
    _apply_kind_rules(document)
    _validate(document, checked=checked, file_errors=file_errors)
    changed = [f for f in AUDIT_FIELDS if f not in FILE_FIELDS and _value(document, f) != before[f]]
    if checked is not None:
        changed.extend(FILE_FIELDS)
    if not changed:
        return document
    document.version += 1
    document.updated_by = actor
    document.save(update_fields=[*changed, "version", "updated_by", "updated_at"])
    after = _snapshot(document, AUDIT_FIELDS)
    shown = [f for f in AUDIT_FIELDS if before[f] != after[f]]
    data: dict[str, Any] = {
        "before": {f: before[f] for f in shown},
        "after": {f: after[f] for f in shown},
        "version": document.version,
    }
    if checked is not None and before["file"]:
        # The old file stays in storage; this is where.
        data["replaced_file"] = before["file"]
    audit_event_record(
        event_type=AuditEventType.DOCUMENT_CHANGED,
        actor=actor,
        target=document,
        region_code=document.region_id,
        data=data,
    )
    return document


@transaction.atomic
def document_revoke(*, actor: User, document: Document, revoked_on: dt.date, note: str) -> Document:
    """Mark a regulation as revoked (dicabut) from a date; it stays in the register."""
    document = _locked(document)
    if not actor.has_perm(WRITE_DOCUMENT, document):
        raise PermissionDenied(
            _("You do not keep the documents of %(region)s.") % {"region": document.region.name}
        )
    if document.kind != DocumentKind.REGULATION:
        raise ValidationError(
            _("Only regulations are revoked. Remove an entry that was filed by mistake.")
        )
    if document.status == DocumentStatus.REVOKED:
        raise ValidationError(_("This regulation is already revoked."))
    errors: dict[str, str] = {}
    if revoked_on < document.document_date:
        errors["revoked_on"] = _(
            "A regulation cannot be revoked before its own date, %(date)s."
        ) % {"date": formats.date_format(document.document_date, "j F Y")}
    elif revoked_on > timezone.localdate():
        errors["revoked_on"] = _("The date of revocation is in the future.")
    if not note.strip():
        errors["note"] = _("Give the reason, e.g. the regulation that revokes or replaces it.")
    if errors:
        raise ValidationError(errors)
    document.status = DocumentStatus.REVOKED
    document.revoked_on = revoked_on
    document.revocation_note = note.strip()[:500]
    document.version += 1
    document.updated_by = actor
    document.save(
        update_fields=[
            "status",
            "revoked_on",
            "revocation_note",
            "version",
            "updated_by",
            "updated_at",
        ]
    )
    audit_event_record(
        event_type=AuditEventType.DOCUMENT_REVOKED,
        actor=actor,
        target=document,
        region_code=document.region_id,
        data={
            "before": {"status": DocumentStatus.IN_FORCE},
            "after": {"status": DocumentStatus.REVOKED},
            "revoked_on": revoked_on.isoformat(),
            "reason": document.revocation_note,
        },
    )
    return document


@transaction.atomic
def document_delete(*, actor: User, document: Document, reason: str) -> Document:
    """Remove a document from the register (a wrong or duplicate entry).

    Soft: the row and its file stay for the audit trail, out of every list and download.
    """
    document = _locked(document)
    if not actor.has_perm(WRITE_DOCUMENT, document):
        raise PermissionDenied(
            _("You do not keep the documents of %(region)s.") % {"region": document.region.name}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for removing this document.")})
    document.removed_at = timezone.now()
    document.removed_by = actor
    document.removal_reason = reason.strip()[:500]
    document.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    audit_event_record(
        event_type=AuditEventType.DOCUMENT_REMOVED,
        actor=actor,
        target=document,
        region_code=document.region_id,
        data={
            "reason": document.removal_reason,
            "kind": document.kind,
            "title": document.title,
            "number": document.number,
            # Where the file is kept, should it be needed again.
            "file": document.file.name if document.file else "",
            "file_sha256": document.file_sha256,
        },
    )
    return document
