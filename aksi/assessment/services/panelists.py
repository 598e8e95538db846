"""The panel of a round: panelists assigned and removed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aksi.accounts.models import Role, RoleAssignment
from aksi.assessment.models import AssessmentRound, RoundPanelist, RoundStatus, Score
from aksi.assessment.services._common import _audit, _locked, _require_manager, _require_status
from aksi.core.models import AuditEventType


def _holds_panelist_role(user: Any, round: AssessmentRound) -> bool:
    return (
        RoleAssignment.objects.current()
        .filter(user=user, role=Role.PANELIST, region_id=round.province_id)
        .exists()
    )


@transaction.atomic
def round_panelist_add(*, actor: Any, round: AssessmentRound, user: Any) -> RoundPanelist:
    """Assign a panelist to the round: a user with the `panelist` role on the province."""
    round = _locked(round)
    _require_manager(actor, round)
    _require_status(
        round,
        {RoundStatus.DRAFT, RoundStatus.SCORING},
        _("“%(round)s” is %(status)s: panelists can no longer be assigned."),
    )
    if not getattr(user, "is_active", False) or not _holds_panelist_role(user, round):
        raise ValidationError(
            {
                "user": _(
                    "%(user)s does not hold the panelist role in %(province)s: give the role "
                    "first (Users)."
                )
                % {"user": user, "province": round.province.name}
            }
        )
    panelist, created = RoundPanelist.objects.get_or_create(
        round=round, user=user, defaults={"added_by": actor}
    )
    if created:
        _audit(
            event_type=AuditEventType.ASSESSMENT_PANELIST_ADDED,
            actor=actor,
            round=round,
            data={"user": user.get_username()},
        )
    return panelist


@transaction.atomic
def round_panelist_remove(*, actor: Any, round: AssessmentRound, user: Any) -> None:
    round = _locked(round)
    _require_manager(actor, round)
    _require_status(
        round,
        {RoundStatus.DRAFT, RoundStatus.SCORING},
        _("“%(round)s” is %(status)s: its panel can no longer change."),
    )
    scored = Score.objects.filter(round=round, scorer=user).count()
    if scored:
        raise ValidationError(
            ngettext(
                "%(user)s has already saved %(n)s score in this round; a panelist who has "
                "scored stays on the panel.",
                "%(user)s has already saved %(n)s scores in this round; a panelist who has "
                "scored stays on the panel.",
                scored,
            )
            % {"user": user, "n": scored}
        )
    deleted, _kinds = RoundPanelist.objects.filter(round=round, user=user).delete()
    if deleted:
        _audit(
            event_type=AuditEventType.ASSESSMENT_PANELIST_REMOVED,
            actor=actor,
            round=round,
            data={"user": user.get_username()},
        )
