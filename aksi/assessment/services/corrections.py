"""Corrections of a round's life: reopening a closed round, withdrawing a publication, deleting
a draft. Each is refused with a message that says why, and audited with its reason.

- Closed → scoring (province admin or central admin, reason required): a grade turned out
  wrong after closing. The stored results stay visible but are marked out of date until they
  are computed again (closing again does that).
- Published → closed (central admin only, reason required): a ranking published by mistake.
  Publishing announced it to the kab/kota, the public and the API, so the province cannot take
  it back alone; the centre withdraws it on the province's written request. Who published and
  when is kept in the audit row; the province may then reopen, correct and publish again.
- Deleting a draft (province admin or central admin): only while nobody has graded; a round
  that was scored is history and stays.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from aksi.assessment import rules as assessment_rules
from aksi.assessment.models import AssessmentRound, RoundStatus
from aksi.assessment.services._common import _audit, _locked, _require_manager, _require_status
from aksi.core.models import AuditEventType

REASON_MAX_LENGTH = 1000


def _clean_reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Write the reason in at most %(n)s characters.")
                % {"n": REASON_MAX_LENGTH}
            }
        )
    return reason


@transaction.atomic
def round_reopen(*, actor: Any, round: AssessmentRound, reason: str) -> AssessmentRound:
    """Closed → scoring, so grades can be corrected; the results are out of date until
    computed again."""
    round = _locked(round)
    _require_manager(actor, round)
    _require_status(
        round,
        {RoundStatus.CLOSED},
        _(
            "Only a closed round can be reopened; “%(round)s” is %(status)s. A published round "
            "must first be withdrawn from publication by a central admin."
        ),
    )
    reason = _clean_reason(reason, _("Give the reason for reopening the round."))
    closed_at = round.closed_at
    old = round.move_to(RoundStatus.SCORING)
    round.closed_at, round.results_stale = None, True
    round.save(update_fields=["status", "closed_at", "results_stale", "updated_at"])
    _audit(
        event_type=AuditEventType.ASSESSMENT_ROUND_REOPENED,
        actor=actor,
        round=round,
        data={
            "from": old,
            "to": round.status,
            "reason": reason,
            "closed_at": closed_at.isoformat() if closed_at else None,
        },
    )
    return round


@transaction.atomic
def round_unpublish(*, actor: Any, round: AssessmentRound, reason: str) -> AssessmentRound:
    """Published → closed: the ranking is hidden again from the kab/kota, the public and the
    API. Central admins only."""
    round = _locked(round)
    if not actor.has_perm(assessment_rules.UNPUBLISH_ROUND, round):
        raise PermissionDenied(
            _(
                "Only a central admin can withdraw published results: the province asks the "
                "centre in writing, giving the reason."
            )
        )
    _require_status(
        round,
        {RoundStatus.PUBLISHED},
        _("Only published results can be withdrawn; “%(round)s” is %(status)s."),
    )
    reason = _clean_reason(reason, _("Give the reason for withdrawing the published results."))
    published_at, published_by = round.published_at, round.published_by
    old = round.move_to(RoundStatus.CLOSED)
    round.published_at, round.published_by = None, None
    round.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    _audit(
        event_type=AuditEventType.ASSESSMENT_ROUND_UNPUBLISHED,
        actor=actor,
        round=round,
        data={
            "from": old,
            "to": round.status,
            "reason": reason,
            "published_at": published_at.isoformat() if published_at else None,
            "published_by": published_by.get_username() if published_by else None,
        },
    )
    return round


@transaction.atomic
def round_delete(*, actor: Any, round: AssessmentRound) -> None:
    """Delete a draft nobody has graded, with its rubric, panel and participants; the audit row
    keeps what it was."""
    round = _locked(round)
    _require_manager(actor, round)
    _require_status(
        round,
        {RoundStatus.DRAFT},
        _(
            "Only a draft can be deleted; “%(round)s” is %(status)s and stays as a record of "
            "the assessment."
        ),
    )
    if round.scores.exists():
        raise ValidationError(
            _("“%(round)s” already has scores; a round that was graded stays.")
            % {"round": round.title}
        )
    round.ensure_deletable()
    snapshot = {
        "title": round.title,
        "conducted_year": round.conducted_year,
        "assessed_year": round.assessed_year,
        "participants": sorted(round.participants.values_list("code", flat=True)),
        "items": list(round.items.order_by("order", "id").values_list("code", flat=True)),
        "panelists": sorted(round.panelists.values_list("user__username", flat=True)),
    }
    # Written first: the row names the round by its id, which the deletion frees.
    _audit(
        event_type=AuditEventType.ASSESSMENT_ROUND_DELETED,
        actor=actor,
        round=round,
        data=snapshot,
    )
    round.delete()
