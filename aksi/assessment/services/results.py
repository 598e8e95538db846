"""A round's results: computed from the saved scores, never typed (DOMAIN §8.2)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aksi.assessment import scoring
from aksi.assessment.models import (
    AssessmentResult,
    AssessmentRound,
    Component,
    ItemSource,
    RoundStatus,
    Score,
)
from aksi.assessment.services._common import _audit, _locked, _require_manager, _require_status
from aksi.core.models import AuditEventType
from aksi.regions.models import Region


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
    if round.results_stale:
        round.results_stale = False
        round.save(update_fields=["results_stale", "updated_at"])
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
