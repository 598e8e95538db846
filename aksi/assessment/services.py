"""Every change to an assessment round: one transaction, a permission check, an audit row.

The life of a round: draft (settings, participants, rubric and panelists are prepared) →
scoring (the technical team and the panelists grade) → closed (no more grades; the results are
computed as the round closes) → published (the ranking is visible to the kab/kota, to everyone
signed in and to the API). Results are only ever computed here, never typed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aksi.accounts.models import Role, RoleAssignment
from aksi.assessment import rules as assessment_rules
from aksi.assessment import scoring
from aksi.assessment.models import (
    DEFAULT_PANEL_WEIGHT,
    DEFAULT_TECHNICAL_WEIGHT,
    AssessmentResult,
    AssessmentRound,
    Component,
    ItemSource,
    RoundPanelist,
    RoundStatus,
    RubricItem,
    Score,
    default_grade_scale,
)
from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record
from aksi.regions.models import Level, Region

FIRST_YEAR = 2019  # the first provincial assessments with rankings (DOMAIN §8.1)
DEFAULT_RUBRIC = Path(__file__).resolve().parent / "data" / "default_rubric.json"
GRADE_MAX_LENGTH = 3
CODE_MAX_LENGTH = 10
MAX_ITEM_WEIGHT = Decimal(1000)


class ScoreConflict(Exception):
    """The cell was saved by someone (or another tab) after the scorer opened it."""

    def __init__(self, current: Score) -> None:
        super().__init__(f"score {current.pk} changed meanwhile")
        self.current = current


@dataclass(frozen=True)
class ScoreSaveResult:
    score: Score
    changed: bool


@cache
def default_rubric() -> tuple[dict[str, Any], ...]:
    """The rubric a new round starts from (aksi/assessment/data/default_rubric.json)."""
    with DEFAULT_RUBRIC.open(encoding="utf-8") as data:
        return tuple(json.load(data)["items"])


# --- checks shared by the services ----------------------------------------------------------


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


def _clean_scale(scale: Any, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    """A grade scale as stored: [{"grade": "A", "value": 100}, …]; problems go to `errors`."""
    clean: list[dict[str, Any]] = []
    if not isinstance(scale, list) or not scale:
        errors.setdefault("grade_scale", []).append(_("The grade scale needs at least one grade."))
        return clean
    seen: set[str] = set()
    for entry in scale:
        grade = str(entry.get("grade", "") if isinstance(entry, dict) else "").strip().upper()
        value = _decimal(entry.get("value") if isinstance(entry, dict) else None)
        if not grade or len(grade) > GRADE_MAX_LENGTH or not grade.isalnum():
            errors.setdefault("grade_scale", []).append(
                _("“%(grade)s” is not a grade: use one to three letters, such as A or B+.")
                % {"grade": grade}
            )
            continue
        if grade in seen:
            errors.setdefault("grade_scale", []).append(
                _("Grade %(grade)s appears twice in the scale.") % {"grade": grade}
            )
            continue
        if value is None or not 0 <= value <= 100:
            errors.setdefault("grade_scale", []).append(
                _("Grade %(grade)s needs a value from 0 to 100.") % {"grade": grade}
            )
            continue
        seen.add(grade)
        clean.append({"grade": grade, "value": int(value) if value == int(value) else str(value)})
    return clean


def _validate_round(
    round: AssessmentRound, *, participants: list[Region], exclude_pk: int | None = None
) -> None:
    """A round's settings about to be saved; all problems at once, each naming its field."""
    errors: dict[str, list[str]] = {}

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    last = timezone.localdate().year + 1
    if not round.title.strip():
        error("title", _("Enter the title of the round."))
    if not FIRST_YEAR <= round.conducted_year <= last:
        error(
            "conducted_year",
            _("The year of the assessment is between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": last},
        )
    if not round.assessed_year < round.conducted_year or round.assessed_year < FIRST_YEAR - 1:
        error(
            "assessed_year",
            _(
                "The year assessed comes before the year of the assessment (usually the year "
                "before: %(year)s)."
            )
            % {"year": round.conducted_year - 1},
        )
    weights = (round.technical_weight, round.panel_weight)
    if any(w is None or not 0 <= w <= 100 for w in weights):
        error("technical_weight", _("Each weight is a percentage from 0 to 100."))
    elif sum(weights) != 100:
        error(
            "technical_weight",
            _(
                "The weights of the technical component (%(technical)s) and the panel component "
                "(%(panel)s) add up to %(sum)s; they must add up to 100."
            )
            % {"technical": weights[0], "panel": weights[1], "sum": sum(weights)},
        )
    round.grade_scale = _clean_scale(round.grade_scale, errors)
    blank = _decimal(round.blank_value)
    if blank is None or not 0 <= blank <= 100:
        error("blank_value", _("The value of a blank grade is from 0 to 100."))
    if not participants:
        error("participants", _("Choose at least one regency/city to assess."))
    for region in participants:
        if (
            region.level != Level.DISTRICT
            or region.parent_id != round.province_id
            or not region.is_active
        ):
            error(
                "participants",
                _("%(region)s is not a regency/city of %(province)s.")
                % {"region": region.name, "province": round.province.name},
            )
    same_year = AssessmentRound.objects.filter(
        province_id=round.province_id, conducted_year=round.conducted_year
    )
    if exclude_pk is not None:
        same_year = same_year.exclude(pk=exclude_pk)
    if "conducted_year" not in errors and same_year.exists():
        error(
            "conducted_year",
            _("%(province)s already has an assessment round in %(year)s.")
            % {"province": round.province.name, "year": round.conducted_year},
        )
    if errors:
        raise ValidationError(errors)


# --- rounds ---------------------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    actor: Any,
    province: Region,
    conducted_year: int,
    assessed_year: int | None = None,
    title: str = "",
    technical_weight: int = DEFAULT_TECHNICAL_WEIGHT,
    panel_weight: int = DEFAULT_PANEL_WEIGHT,
    grade_scale: list[dict[str, Any]] | None = None,
    blank_value: Decimal | int = 0,
    drop_extremes: bool = False,
    participants: list[Region] | None = None,
) -> AssessmentRound:
    """A new draft round of a province with the default rubric (DOMAIN §8.2), assessing all its
    kab/kota unless `participants` names a subset."""
    if province.level != Level.PROVINCE:
        raise ValidationError({"province": _("Assessment rounds are run by a province.")})
    if not actor.has_perm(assessment_rules.MANAGE_PROVINCE, province):
        raise PermissionDenied(
            _("You do not run the assessments of %(province)s.") % {"province": province.name}
        )
    if participants is None:
        participants = list(
            Region.objects.filter(
                parent=province, level=Level.DISTRICT, valid_to__isnull=True
            ).order_by("code")
        )
    round = AssessmentRound(
        province=province,
        conducted_year=conducted_year,
        assessed_year=conducted_year - 1 if assessed_year is None else assessed_year,
        title=title.strip()
        or _("Performance assessment of the regencies/cities of %(province)s, %(year)s")
        % {"province": province.name, "year": conducted_year},
        technical_weight=technical_weight,
        panel_weight=panel_weight,
        grade_scale=grade_scale if grade_scale is not None else default_grade_scale(),
        blank_value=blank_value,
        drop_extremes=drop_extremes,
        created_by=actor,
    )
    _validate_round(round, participants=participants)
    try:
        with transaction.atomic():
            round.save()
    except IntegrityError:
        raise ValidationError(
            {
                "conducted_year": _("%(province)s already has an assessment round in %(year)s.")
                % {"province": province.name, "year": conducted_year}
            }
        ) from None
    round.participants.set(participants)
    RubricItem.objects.bulk_create(
        RubricItem(
            round=round,
            component=entry["component"],
            code=entry["code"],
            text=entry["text"],
            guidance=entry.get("guidance", ""),
            weight=Decimal(str(entry.get("weight", 1))),
            order=position,
            source=entry.get("source", ItemSource.GRADED),
        )
        for position, entry in enumerate(default_rubric(), start=1)
    )
    _audit(
        event_type=AuditEventType.ASSESSMENT_ROUND_CREATED,
        actor=actor,
        round=round,
        data={
            "title": round.title,
            "conducted_year": round.conducted_year,
            "assessed_year": round.assessed_year,
            "participants": [p.code for p in participants],
        },
    )
    return round


ROUND_FIELDS = (
    "title",
    "conducted_year",
    "assessed_year",
    "technical_weight",
    "panel_weight",
    "grade_scale",
    "blank_value",
    "drop_extremes",
)


def _audit_value(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


@transaction.atomic
def round_update(
    *,
    actor: Any,
    round: AssessmentRound,
    title: str,
    conducted_year: int,
    assessed_year: int,
    technical_weight: int,
    panel_weight: int,
    grade_scale: list[dict[str, Any]],
    blank_value: Decimal | int,
    drop_extremes: bool,
    participants: list[Region],
) -> AssessmentRound:
    """Change the settings of a draft round; the audit row lists each change old → new."""
    round = _locked(round)
    _require_manager(actor, round)
    _require_draft(round)
    before = {f: _audit_value(getattr(round, f)) for f in ROUND_FIELDS}
    before_participants = sorted(round.participants.values_list("code", flat=True))
    round.title = title.strip()
    round.conducted_year, round.assessed_year = conducted_year, assessed_year
    round.technical_weight, round.panel_weight = technical_weight, panel_weight
    round.grade_scale, round.blank_value = grade_scale, blank_value
    round.drop_extremes = drop_extremes
    _validate_round(round, participants=participants, exclude_pk=round.pk)
    round.blank_value = Decimal(str(round.blank_value))
    round.save()
    round.participants.set(participants)
    after = {f: _audit_value(getattr(round, f)) for f in ROUND_FIELDS}
    changes = {f: [before[f], after[f]] for f in ROUND_FIELDS if before[f] != after[f]}
    after_participants = sorted(p.code for p in participants)
    if after_participants != before_participants:
        changes["participants"] = [before_participants, after_participants]
    if changes:
        _audit(
            event_type=AuditEventType.ASSESSMENT_ROUND_CHANGED,
            actor=actor,
            round=round,
            data={"changes": changes},
        )
    return round


# --- rubric ---------------------------------------------------------------------------------


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


# --- panelists ------------------------------------------------------------------------------


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


# --- transitions ----------------------------------------------------------------------------


@transaction.atomic
def round_open_scoring(*, actor: Any, round: AssessmentRound) -> AssessmentRound:
    """Draft → scoring; the rubric, weights and participants are fixed from now on."""
    round = _locked(round)
    _require_manager(actor, round)
    _require_status(
        round, {RoundStatus.DRAFT}, _("“%(round)s” is %(status)s: scoring was already opened.")
    )
    problems = []
    if not round.participants.exists():
        problems.append(_("Choose at least one regency/city to assess."))
    components = set(round.items.values_list("component", flat=True))
    if round.technical_weight and Component.TECHNICAL not in components:
        problems.append(
            _("The technical component weighs %(weight)s%% but has no rubric item.")
            % {"weight": round.technical_weight}
        )
    if round.panel_weight and Component.PANEL not in components:
        problems.append(
            _("The panel component weighs %(weight)s%% but has no rubric item.")
            % {"weight": round.panel_weight}
        )
    if round.panel_weight and not round.panelists.exists():
        problems.append(
            _("Assign at least one panelist: the panel component weighs %(weight)s%%.")
            % {"weight": round.panel_weight}
        )
    if problems:
        raise ValidationError(problems)
    old = round.move_to(RoundStatus.SCORING)
    round.scoring_opened_at = timezone.now()
    round.save(update_fields=["status", "scoring_opened_at", "updated_at"])
    _audit(
        event_type=AuditEventType.ASSESSMENT_SCORING_OPENED,
        actor=actor,
        round=round,
        data={"from": old, "to": round.status},
    )
    return round


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


# --- results --------------------------------------------------------------------------------


def _progress(region: Region, year: int) -> tuple[float | None, float | None]:
    """(filled %, verified %) of the region's village values for the year (aksi.analytics)."""
    from aksi.analytics.selectors import progress_for_region

    progress = progress_for_region(region=region, period=str(year))
    return progress.filled_percent, progress.verified_percent


def _percent_value(percent: float | None) -> Fraction:
    if percent is None:
        return Fraction(0)
    return min(Fraction(str(percent)), Fraction(100))


def _compute(round: AssessmentRound, *, now: Any) -> list[AssessmentResult]:
    """The results of every participant, unsaved; see DOMAIN §8.2 and the module scoring."""
    grades = round.grades
    blank = Fraction(str(round.blank_value))

    def value(grade: str) -> Fraction:
        return Fraction(grades[grade]) if grade in grades else blank

    items = list(round.items.order_by("order", "id"))
    technical_items = [i for i in items if i.component == Component.TECHNICAL]
    panel_items = [i for i in items if i.component == Component.PANEL]
    panelists = list(round.panelists.select_related("user").order_by("id"))
    panelist_ids = {p.user_id for p in panelists}
    # (participant, item) → [grade, …] for technical; (participant, panelist) → {item: grade}.
    technical_grades: dict[tuple[str, int], list[str]] = defaultdict(list)
    panel_grades: dict[tuple[str, int], dict[int, str]] = defaultdict(dict)
    components = {i.pk: i.component for i in items}
    for participant_id, item_id, scorer_id, grade in Score.objects.filter(round=round).values_list(
        "participant_id", "item_id", "scorer_id", "grade"
    ):
        if components.get(item_id) == Component.TECHNICAL:
            technical_grades[(participant_id, item_id)].append(grade)
        elif scorer_id in panelist_ids:
            panel_grades[(participant_id, scorer_id)][item_id] = grade
    computed_sources = {i.source for i in technical_items if i.is_computed}
    results = []
    for participant in round.participants.order_by("code"):
        details: dict[str, Any] = {"items": {}, "panelists": []}
        progress_used: float | None = None
        filled = verified = None
        if computed_sources:
            filled, verified = _progress(participant, round.assessed_year)
            details["progress"] = {"filled": filled, "verified": verified}
        pairs = []
        for item in technical_items:
            if item.source == ItemSource.PROGRESS_FILLED:
                item_value = _percent_value(filled)
                progress_used = filled if progress_used is None else progress_used
            elif item.source == ItemSource.PROGRESS_VERIFIED:
                item_value = _percent_value(verified)
                progress_used = verified if progress_used is None else progress_used
            else:
                given = technical_grades.get((participant.code, item.pk), [])
                item_value = scoring.mean([value(g) for g in given]) if given else blank
            details["items"][item.code] = str(scoring.rounded(item_value))
            pairs.append((item_value, item.weight))
        technical = scoring.weighted_mean(pairs)

        sheets = []
        for panelist in panelists:
            sheet = panel_grades.get((participant.code, panelist.user_id))
            if sheet is None:
                continue  # this panelist gave no grade for this kab/kota: not counted
            score = scoring.weighted_mean(
                (value(sheet[item.pk]) if item.pk in sheet else blank, item.weight)
                for item in panel_items
            )
            sheets.append((panelist.user, score))
        panel, dropped = scoring.panel_mean(
            [s for _u, s in sheets], drop_extremes=round.drop_extremes
        )
        dropped_users: set[int] = set()
        if dropped:
            ordered = sorted(sheets, key=lambda pair: pair[1])
            dropped_users = {ordered[0][0].pk, ordered[-1][0].pk}
        for user, score in sheets:
            details["panelists"].append(
                {
                    "username": user.get_username(),
                    "name": user.display_name,
                    "score": str(scoring.rounded(score)),
                    "dropped": user.pk in dropped_users,
                }
            )
        for item in panel_items:
            given = [
                panel_grades[(participant.code, user.pk)].get(item.pk, "")
                for user, _s in sheets
                if user.pk not in dropped_users
            ]
            if given:
                details["items"][item.code] = str(
                    scoring.rounded(scoring.mean([value(g) for g in given]))
                )
        total = scoring.total_score(
            technical=technical,
            panel=panel,
            technical_weight=round.technical_weight,
            panel_weight=round.panel_weight,
        )
        results.append(
            AssessmentResult(
                round=round,
                region=participant,
                technical=scoring.rounded(technical),
                panel=scoring.rounded(panel),
                total=scoring.rounded(total),
                rank=0,
                technical_rank=0,
                panel_rank=0,
                progress_percent=Decimal(str(progress_used)) if progress_used is not None else None,
                panelists_counted=len(sheets) - dropped,
                panelists_dropped=dropped,
                details=details,
                computed_at=now,
            )
        )
    for field, rank_field in (
        ("total", "rank"),
        ("technical", "technical_rank"),
        ("panel", "panel_rank"),
    ):
        ranks = scoring.competition_ranks([getattr(r, field) for r in results])
        for result, rank in zip(results, ranks, strict=True):
            setattr(result, rank_field, rank)
    return results


def _store_results(*, actor: Any, round: AssessmentRound) -> list[AssessmentResult]:
    now = timezone.now()
    results = _compute(round, now=now)
    round.results.all().delete()
    AssessmentResult.objects.bulk_create(results)
    _audit(
        event_type=AuditEventType.ASSESSMENT_RESULTS_COMPUTED,
        actor=actor,
        round=round,
        data={
            "status": round.status,
            "participants": len(results),
            "first": sorted(r.region_id for r in results if r.rank == 1),
        },
    )
    return sorted(results, key=lambda r: (r.rank, r.region_id))


@transaction.atomic
def results_compute(*, actor: Any, round: AssessmentRound) -> list[AssessmentResult]:
    """(Re)compute the results from the saved scores: provisional while scoring, final once
    closed. Published results never change."""
    round = _locked(round)
    _require_manager(actor, round)
    _require_status(
        round,
        {RoundStatus.SCORING, RoundStatus.CLOSED},
        _("Results are computed while a round is scored or closed; “%(round)s” is %(status)s."),
    )
    return _store_results(actor=actor, round=round)


@transaction.atomic
def round_close(*, actor: Any, round: AssessmentRound) -> AssessmentRound:
    """Scoring → closed: no more grades; the final results are computed."""
    round = _locked(round)
    _require_manager(actor, round)
    _require_status(
        round,
        {RoundStatus.SCORING},
        _("Only a round open for scoring can be closed; “%(round)s” is %(status)s."),
    )
    old = round.move_to(RoundStatus.CLOSED)
    round.closed_at = timezone.now()
    round.save(update_fields=["status", "closed_at", "updated_at"])
    _audit(
        event_type=AuditEventType.ASSESSMENT_ROUND_CLOSED,
        actor=actor,
        round=round,
        data={"from": old, "to": round.status},
    )
    _store_results(actor=actor, round=round)
    return round


@transaction.atomic
def round_publish(*, actor: Any, round: AssessmentRound) -> AssessmentRound:
    """Closed → published: the ranking becomes visible to the kab/kota, to everyone signed in
    and to the API."""
    round = _locked(round)
    _require_manager(actor, round)
    _require_status(
        round,
        {RoundStatus.CLOSED},
        _("Only a closed round can be published; “%(round)s” is %(status)s."),
    )
    if not round.results.exists():
        raise ValidationError(_("Compute the results before publishing them."))
    old = round.move_to(RoundStatus.PUBLISHED)
    round.published_at, round.published_by = timezone.now(), actor
    round.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    _audit(
        event_type=AuditEventType.ASSESSMENT_ROUND_PUBLISHED,
        actor=actor,
        round=round,
        data={"from": old, "to": round.status, "results": round.results.count()},
    )
    return round
