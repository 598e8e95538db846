"""Every change of a submission: one transaction, a permission check, an event, an audit row."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aksi.api.webhooks import webhooks_enqueue
from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record
from aksi.regions.models import Level, Region
from aksi.reporting import validation
from aksi.reporting.models import CoverageValue, ValueStatus
from aksi.review import locks, measures
from aksi.review.models import InvalidTransition, Submission, SubmissionEvent


def _event(
    *, submission: Submission, actor: Any, old: str, event_type: AuditEventType, note: str
) -> None:
    SubmissionEvent.objects.create(
        submission=submission,
        actor=actor,
        from_state=old,
        to_state=submission.status,
        note=note,
    )
    audit_event_record(
        event_type=event_type,
        actor=actor,
        target=submission,
        region_code=submission.region_id,
        data={"from": old, "to": submission.status, "period": submission.period, "note": note},
    )
    # Partners' systems hear of it through their webhooks, sent after the commit.
    webhook_event = WEBHOOK_EVENTS.get(event_type)
    if webhook_event:
        webhooks_enqueue(event=webhook_event, submission=submission)


WEBHOOK_EVENTS = {
    AuditEventType.SUBMISSION_SUBMITTED: "submission.submitted",
    AuditEventType.SUBMISSION_VERIFIED: "submission.verified",
    AuditEventType.SUBMISSION_RETURNED: "submission.returned",
    AuditEventType.SUBMISSION_REOPENED: "submission.reopened",
}


def submission_warnings(*, region: Region, period: str) -> list[str]:
    """Checks that need a comment before submitting (never a block): coverage above 100%,
    a denominator without its numerator."""
    values = CoverageValue.objects.filter(period=period, status=ValueStatus.VALUE)
    if region.level == Level.SUBDISTRICT:
        values = values.filter(region__parent=region)
    else:
        values = values.filter(region=region)
    over = missing = 0
    for value in values.only("numerator", "denominator", "status"):
        if value.numerator is None and value.denominator is not None:
            missing += 1
        elif value.coverage is not None and value.coverage > 100:
            over += 1
    warnings = []
    if over:
        warnings.append(_("%(n)s values have coverage above 100%%.") % {"n": over})
    if missing:
        warnings.append(_("%(n)s values have a denominator but no numerator.") % {"n": missing})
    # Configurable validation rules (warnings) and unexplained denominator overrides.
    warnings += validation.submission_findings(region=region, period=period).warnings
    return warnings


def _completeness(*, region: Region, period: str) -> dict[str, object]:
    if region.level != Level.SUBDISTRICT:
        return {}
    return measures.subdistrict_completeness(subdistrict=region, period=period).as_dict()


@transaction.atomic
def submission_submit(
    *, actor: Any, region: Region, period: str, note: str = "", step: Any = None
) -> Submission:
    """Submit a region's data of a period for verification; creates the submission if needed.

    Incomplete data may be submitted (Aksi never blocks); warnings need a `note`.
    """
    if not actor.has_perm("review.submit_region", region):
        raise PermissionDenied(
            _("You do not submit data for %(region)s.") % {"region": region.name}
        )
    step = step or measures.coverage_step(int(period[:4]))
    if step is None:
        raise ValidationError(_("No reporting year %(year)s is set up.") % {"year": period[:4]})
    # The same row lock as every value writer: nothing is saved under us while we submit.
    locks.lock_region_values(region)
    submission, _created = Submission.objects.select_for_update().get_or_create(
        step=step, region=region, period=period
    )
    if not submission.can_move_to(Submission.Status.SUBMITTED):
        raise InvalidTransition(submission.status, Submission.Status.SUBMITTED)
    # Broken validation rules of severity "error" block the submission; nothing else does.
    errors = validation.submission_findings(region=region, period=period).errors
    if errors:
        raise ValidationError({"note": [*errors, _("Correct these errors before submitting.")]})
    warnings = submission_warnings(region=region, period=period)
    if warnings and not note.strip():
        raise ValidationError(
            {"note": [*warnings, _("Explain these in a comment to submit anyway.")]}
        )
    old = submission.move_to(Submission.Status.SUBMITTED)
    now = timezone.now()
    submission.first_submitted_at = submission.first_submitted_at or now
    submission.last_submitted_at = now
    submission.submitted_by = actor
    submission.returned_reason = ""
    snapshot = _completeness(region=region, period=period)
    snapshot["warnings"] = warnings
    submission.completeness = snapshot
    submission.save()
    _event(
        submission=submission,
        actor=actor,
        old=old,
        event_type=AuditEventType.SUBMISSION_SUBMITTED,
        note=note,
    )
    return submission


def _locked(submission: Submission) -> Submission:
    return Submission.objects.select_for_update().select_related("region").get(pk=submission.pk)


@transaction.atomic
def submission_verify(*, submission: Submission, actor: Any, note: str = "") -> Submission:
    submission = _locked(submission)
    if not actor.has_perm("review.verify_submission", submission):
        raise PermissionDenied(_("You do not verify the data of this region."))
    old = submission.move_to(Submission.Status.VERIFIED)
    submission.verified_by, submission.verified_at = actor, timezone.now()
    submission.save(update_fields=["status", "verified_by", "verified_at"])
    _event(
        submission=submission,
        actor=actor,
        old=old,
        event_type=AuditEventType.SUBMISSION_VERIFIED,
        note=note,
    )
    return submission


@transaction.atomic
def submission_return(*, submission: Submission, actor: Any, reason: str) -> Submission:
    """Send a submission back for correction; the reason is required and shown to the region."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the data are returned.")})
    submission = _locked(submission)
    if not actor.has_perm("review.verify_submission", submission):
        raise PermissionDenied(_("You do not verify the data of this region."))
    old = submission.move_to(Submission.Status.RETURNED)
    submission.returned_reason = reason.strip()
    submission.save(update_fields=["status", "returned_reason"])
    _event(
        submission=submission,
        actor=actor,
        old=old,
        event_type=AuditEventType.SUBMISSION_RETURNED,
        note=reason.strip(),
    )
    return submission


@transaction.atomic
def submission_reopen(*, submission: Submission, actor: Any, reason: str) -> Submission:
    """Unlock verified data for correction: a verifier above or a central admin, audited."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the data are reopened.")})
    submission = _locked(submission)
    if not actor.has_perm("review.reopen_submission", submission):
        raise PermissionDenied(_("You may not reopen the data of this region."))
    old = submission.move_to(Submission.Status.REOPENED)
    submission.save(update_fields=["status"])
    _event(
        submission=submission,
        actor=actor,
        old=old,
        event_type=AuditEventType.SUBMISSION_REOPENED,
        note=reason.strip(),
    )
    return submission


def submission_bulk_verify(
    *, submissions: Iterable[Submission], actor: Any, note: str = ""
) -> tuple[list[Submission], list[Submission]]:
    """Verify each submitted one, each in its own transaction; returns (verified, skipped)."""
    verified: list[Submission] = []
    skipped: list[Submission] = []
    for submission in submissions:
        try:
            verified.append(submission_verify(submission=submission, actor=actor, note=note))
        except (InvalidTransition, PermissionDenied):
            skipped.append(submission)
    return verified, skipped
