"""Grades: one scorer's grade of one rubric item for one kab/kota."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from aksi.assessment import rules as assessment_rules
from aksi.assessment.models import AssessmentRound, Component, RoundStatus, RubricItem, Score
from aksi.assessment.services._common import _audit, _require_status
from aksi.core.models import AuditEventType
from aksi.regions.models import Region


class ScoreConflict(Exception):
    """The cell was saved by someone (or another tab) after the scorer opened it."""

    def __init__(self, current: Score) -> None:
        super().__init__(f"score {current.pk} changed meanwhile")
        self.current = current


@dataclass(frozen=True)
class ScoreSaveResult:
    score: Score
    changed: bool


@transaction.atomic
def score_save(
    *,
    actor: Any,
    round: AssessmentRound,
    participant: Region,
    item: RubricItem,
    grade: str,
    note: str | None = None,
    expected_version: int | None = None,
) -> ScoreSaveResult:
    """Save the actor's grade of one item for one kab/kota. An empty grade is a deliberate
    blank. `expected_version` is the version the scorer saw (None: no check, 0: none)."""
    round = AssessmentRound.objects.select_related("province").get(pk=round.pk)
    if item.round_id != round.pk:
        raise ValidationError({"item": _("This item is not in the round's rubric.")})
    permission = (
        assessment_rules.SCORE_TECHNICAL
        if item.component == Component.TECHNICAL
        else assessment_rules.SCORE_PANEL
    )
    if not actor.has_perm(permission, round):
        raise PermissionDenied(
            _("You do not score the technical items of this round.")
            if item.component == Component.TECHNICAL
            else _("You are not a panelist of this round.")
        )
    _require_status(
        round,
        {RoundStatus.SCORING},
        _("Scores are saved only while a round is open for scoring; “%(round)s” is %(status)s."),
    )
    if item.is_computed:
        raise ValidationError(
            {
                "item": _("Item %(code)s is computed from the reporting data, not graded.")
                % {"code": item.code}
            }
        )
    if not round.participants.filter(code=participant.code).exists():
        raise ValidationError(
            {
                "participant": _("%(region)s does not take part in this round.")
                % {"region": participant.name}
            }
        )
    grade = (grade or "").strip().upper()
    if grade and grade not in round.grade_letters:
        letters = round.grade_letters
        raise ValidationError(
            {
                "grade": _(
                    "“%(grade)s” is not a grade of this round: choose %(letters)s, or leave it "
                    "blank."
                )
                % {"grade": grade, "letters": ", ".join(letters)}
            }
        )
    current = (
        Score.objects.select_for_update()
        .filter(item=item, participant=participant, scorer=actor)
        .first()
    )
    if current is not None and expected_version is not None and current.version != expected_version:
        raise ScoreConflict(current)
    if current is None and expected_version not in (None, 0):
        raise ScoreConflict(Score(round=round, item=item, participant=participant, scorer=actor))
    if current is None:
        old_grade, old_note = None, ""
        try:
            with transaction.atomic():
                current = Score.objects.create(
                    round=round,
                    participant=participant,
                    item=item,
                    scorer=actor,
                    grade=grade,
                    note=(note or "").strip(),
                )
        except IntegrityError:
            raise ScoreConflict(
                Score.objects.get(item=item, participant=participant, scorer=actor)
            ) from None
    else:
        old_grade, old_note = current.grade, current.note
        new_note = old_note if note is None else note.strip()
        if old_grade == grade and old_note == new_note:
            return ScoreSaveResult(current, changed=False)
        current.grade, current.note = grade, new_note
        current.version += 1
        current.save(update_fields=["grade", "note", "version", "updated_at"])
    # Results computed before this change no longer follow from the grades. A conditional
    # update: it waits for a results_compute holding the round's row, then marks its results.
    AssessmentRound.objects.filter(pk=round.pk, results_stale=False).update(results_stale=True)
    data: dict[str, Any] = {
        "participant": participant.code,
        "item": item.code,
        "component": item.component,
        "from": old_grade,
        "to": current.grade,
    }
    if current.note != old_note:
        data["note"] = [old_note, current.note]
    _audit(event_type=AuditEventType.ASSESSMENT_SCORE_SAVED, actor=actor, round=round, data=data)
    return ScoreSaveResult(current, changed=True)
