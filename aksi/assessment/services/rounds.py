"""Rounds: creating one, changing its settings, and moving it from draft to published."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aksi.assessment import rules as assessment_rules
from aksi.assessment.models import (
    DEFAULT_PANEL_WEIGHT,
    DEFAULT_TECHNICAL_WEIGHT,
    AssessmentRound,
    Component,
    ItemSource,
    RoundStatus,
    RubricItem,
    default_grade_scale,
)
from aksi.assessment.services._common import (
    _audit,
    _decimal,
    _locked,
    _require_draft,
    _require_manager,
    _require_status,
)
from aksi.assessment.services.results import _store_results
from aksi.core.models import AuditEventType
from aksi.regions.models import Level, Region

FIRST_YEAR = 2019  # the first provincial assessments with rankings (DOMAIN §8.1)
DEFAULT_RUBRIC = Path(__file__).resolve().parent.parent / "data" / "default_rubric.json"
GRADE_MAX_LENGTH = 3


@cache
def default_rubric() -> tuple[dict[str, Any], ...]:
    """The rubric a new round starts from (aksi/assessment/data/default_rubric.json)."""
    with DEFAULT_RUBRIC.open(encoding="utf-8") as data:
        return tuple(json.load(data)["items"])


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
    if round.results_stale:
        raise ValidationError(
            _("The results are out of date: compute them again before publishing them.")
        )
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
