"""The rubric of a draft round: its items added, changed and removed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from aksi.assessment.models import AssessmentRound, Component, ItemSource, RubricItem
from aksi.assessment.services._common import (
    _audit,
    _decimal,
    _locked,
    _require_draft,
    _require_manager,
)
from aksi.core.models import AuditEventType

CODE_MAX_LENGTH = 10
MAX_ITEM_WEIGHT = Decimal(1000)


def _validate_item(item: RubricItem) -> None:
    errors: dict[str, list[str]] = {}

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    item.code = item.code.strip()
    item.text = item.text.strip()
    if item.component not in Component.values:
        error("component", _("Choose the technical or the panel component."))
    if not item.code or len(item.code) > CODE_MAX_LENGTH:
        error("code", _("Enter a code of at most ten characters, such as 1.1."))
    elif RubricItem.objects.filter(round=item.round, code=item.code).exclude(pk=item.pk).exists():
        error("code", _("The rubric already has an item %(code)s.") % {"code": item.code})
    if not item.text:
        error("text", _("Describe what the item assesses."))
    weight = _decimal(item.weight)
    if weight is None or not 0 < weight <= MAX_ITEM_WEIGHT:
        error("weight", _("The weight of an item is a number above 0 and at most 1000."))
    else:
        item.weight = weight
    if item.source not in ItemSource.values:
        error("source", _("Choose where the item's value comes from."))
    elif item.component == Component.PANEL and item.source != ItemSource.GRADED:
        error(
            "source",
            _("Panel items are graded by the panelists; only technical items are computed."),
        )
    if errors:
        raise ValidationError(errors)


def _item_snapshot(item: RubricItem) -> dict[str, Any]:
    return {
        "component": item.component,
        "code": item.code,
        "text": item.text,
        "guidance": item.guidance,
        "weight": str(item.weight),
        "order": item.order,
        "source": item.source,
    }


@transaction.atomic
def rubric_item_add(
    *,
    actor: Any,
    round: AssessmentRound,
    component: str,
    code: str,
    text: str,
    weight: Decimal | int = 1,
    order: int | None = None,
    source: str = ItemSource.GRADED,
    guidance: str = "",
) -> RubricItem:
    round = _locked(round)
    _require_manager(actor, round)
    _require_draft(round)
    if order is None:
        last = round.items.order_by("-order").values_list("order", flat=True).first()
        order = (last or 0) + 1
    item = RubricItem(
        round=round,
        component=component,
        code=code,
        text=text,
        weight=weight,
        order=order,
        source=source,
        guidance=guidance.strip(),
    )
    _validate_item(item)
    item.save()
    _audit(
        event_type=AuditEventType.ASSESSMENT_RUBRIC_CHANGED,
        actor=actor,
        round=round,
        data={"action": "added", "item": _item_snapshot(item)},
    )
    return item


@transaction.atomic
def rubric_item_update(
    *,
    actor: Any,
    item: RubricItem,
    code: str,
    text: str,
    weight: Decimal | int,
    order: int,
    source: str,
    guidance: str = "",
) -> RubricItem:
    round = _locked(item.round)
    _require_manager(actor, round)
    _require_draft(round)
    item = RubricItem.objects.select_for_update().get(pk=item.pk)
    before = _item_snapshot(item)
    item.round = round
    item.code, item.text, item.weight, item.order = code, text, weight, order
    item.source, item.guidance = source, guidance.strip()
    _validate_item(item)
    item.save()
    after = _item_snapshot(item)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        _audit(
            event_type=AuditEventType.ASSESSMENT_RUBRIC_CHANGED,
            actor=actor,
            round=round,
            data={"action": "changed", "item": item.code, "changes": changes},
        )
    return item


@transaction.atomic
def rubric_item_delete(*, actor: Any, item: RubricItem) -> None:
    round = _locked(item.round)
    _require_manager(actor, round)
    _require_draft(round)
    snapshot = _item_snapshot(item)
    item.delete()
    _audit(
        event_type=AuditEventType.ASSESSMENT_RUBRIC_CHANGED,
        actor=actor,
        round=round,
        data={"action": "removed", "item": snapshot},
    )
