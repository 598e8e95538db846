"""The checks and helpers the assessment services share."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from aksi.assessment import rules as assessment_rules
from aksi.assessment.models import AssessmentRound, RoundStatus
from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record


def _require_manager(actor: Any, round: AssessmentRound) -> None:
    if not actor.has_perm(assessment_rules.MANAGE_ROUND, round):
        raise PermissionDenied(
            _("You do not run the assessments of %(province)s.") % {"province": round.province.name}
        )


def _locked(round: AssessmentRound) -> AssessmentRound:
    return AssessmentRound.objects.select_for_update().select_related("province").get(pk=round.pk)


def _require_status(round: AssessmentRound, statuses: set[str], message: str) -> None:
    if round.status not in statuses:
        raise ValidationError(
            message % {"round": round.title, "status": str(RoundStatus(round.status).label).lower()}
        )


def _require_draft(round: AssessmentRound) -> None:
    _require_status(
        round,
        {RoundStatus.DRAFT},
        _("“%(round)s” is %(status)s: its settings and rubric change only while it is a draft."),
    )


def _audit(
    *, event_type: AuditEventType, actor: Any, round: AssessmentRound, data: dict[str, Any]
) -> None:
    audit_event_record(
        event_type=event_type,
        actor=actor,
        target=round,
        region_code=round.province_id,
        data={"round": round.pk, **data},
    )


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None
