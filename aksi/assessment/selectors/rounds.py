"""Reading assessment rounds, scores and results, scoped to the reader (see rules.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from aksi.accounts.models import Role, RoleAssignment, User
from aksi.accounts.rules import is_central_admin
from aksi.assessment import rules as assessment_rules
from aksi.assessment.models import (
    AssessmentResult,
    AssessmentRound,
    Component,
    RoundPanelist,
    RoundStatus,
    RubricItem,
    Score,
)
from aksi.core.models import AuditEvent, AuditEventType
from aksi.regions.models import Level, Region
from aksi.regions.selectors import active_regions, subtree_q


def _rounds_q(user: Any) -> Q:
    """Rounds the user may open: published ones for everyone signed in; the others for their
    province's managers and technical team, their panelists and national roles."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if assessment_rules.is_national_reader(user) or is_central_admin(user):
        return Q()
    provinces = assessment_rules.province_codes(
        user, assessment_rules.TECHNICAL_TEAM_ROLES | assessment_rules.MANAGER_ROLES
    )
    visible = Q(status=RoundStatus.PUBLISHED) | Q(province_id__in=sorted(provinces))
    if assessment_rules.province_codes(user, frozenset({Role.PANELIST})):
        visible |= Q(pk__in=RoundPanelist.objects.filter(user=user).values("round_id"))
    return visible


def rounds_visible(*, user: Any) -> QuerySet[AssessmentRound]:
    return (
        AssessmentRound.objects.filter(_rounds_q(user))
        .select_related("province")
        .annotate(participant_count=Count("participants", distinct=True))
        .order_by("-conducted_year", "province_id")
    )


def round_list(*, user: Any, province_code: str | None = None) -> QuerySet[AssessmentRound]:
    rounds = rounds_visible(user=user)
    if province_code:
        rounds = rounds.filter(province_id=province_code)
    return rounds


def round_get(*, user: Any, pk: int) -> AssessmentRound:
    found = AssessmentRound.objects.filter(_rounds_q(user), pk=pk).select_related("province")
    assessment_round = found.first()
    if assessment_round is None:
        raise Http404(_("No such assessment round."))
    return assessment_round


def round_list_provinces(*, user: Any) -> list[Region]:
    """Provinces that have rounds the user sees (for the list's filter)."""
    codes = rounds_visible(user=user).values("province_id")
    return list(Region.objects.filter(code__in=codes).order_by("code"))


def manageable_provinces(*, user: Any) -> QuerySet[Region]:
    """Provinces in which the user may create rounds."""
    provinces = active_regions().filter(level=Level.PROVINCE).order_by("code")
    if is_central_admin(user):
        return provinces
    codes = assessment_rules.province_codes(user, assessment_rules.MANAGER_ROLES)
    return provinces.filter(code__in=sorted(codes))


def province_districts(*, province: Region) -> QuerySet[Region]:
    """The active kab/kota of a province: who may take part in its rounds."""
    return active_regions().filter(level=Level.DISTRICT, parent=province).order_by("code")


def round_items(*, round: AssessmentRound) -> dict[str, list[RubricItem]]:
    items: dict[str, list[RubricItem]] = {Component.TECHNICAL: [], Component.PANEL: []}
    for item in round.items.order_by("order", "id"):
        items[item.component].append(item)
    return items


def round_participants(*, round: AssessmentRound) -> list[Region]:
    return list(round.participants.order_by("code"))


def round_panelists(*, round: AssessmentRound) -> list[RoundPanelist]:
    return list(round.panelists.select_related("user").order_by("id"))


def panelist_score_counts(*, round: AssessmentRound) -> dict[int, int]:
    """Scores saved per scorer in the round (user id → count)."""
    rows = round.scores.values("scorer_id").annotate(n=Count("id")).values_list("scorer_id", "n")
    return dict(rows)


def eligible_panelists(*, round: AssessmentRound) -> list[User]:
    """Users holding a current `panelist` role on the round's province, not yet assigned."""
    assigned = round.panelists.values("user_id")
    user_ids = (
        RoleAssignment.objects.current()
        .filter(role=Role.PANELIST, region_id=round.province_id, user__is_active=True)
        .exclude(user_id__in=assigned)
        .values("user_id")
    )
    return list(User.objects.filter(pk__in=user_ids).order_by("full_name", "username"))


def scorer_components(*, user: Any, round: AssessmentRound) -> list[str]:
    """The components this user grades in the round (technical, panel, both or none)."""
    components = []
    if user.has_perm(assessment_rules.SCORE_TECHNICAL, round):
        components.append(Component.TECHNICAL)
    if user.has_perm(assessment_rules.SCORE_PANEL, round):
        components.append(Component.PANEL)
    return components


def cell_key(participant_code: str, item: RubricItem) -> str:
    """The id suffix of a grid cell's elements: 52-03-17."""
    return f"{participant_code.replace('.', '-')}-{item.pk}"


@dataclass
class GridRow:
    participant: Region
    cells: list[tuple[RubricItem, Score | None, str]] = field(default_factory=list)

    @property
    def scored(self) -> int:
        return sum(1 for _item, score, _key in self.cells if score is not None)


@dataclass
class ScoringGrid:
    round: AssessmentRound
    component: str
    items: list[RubricItem]
    rows: list[GridRow]
    computed_items: list[RubricItem]

    @property
    def scored(self) -> int:
        return sum(row.scored for row in self.rows)

    @property
    def expected(self) -> int:
        return len(self.rows) * len(self.items)

    @property
    def locked(self) -> bool:
        return not self.round.is_scoring


def scoring_grid(*, user: Any, round: AssessmentRound, component: str) -> ScoringGrid:
    """The scorer's own sheet: participants × the graded items of one component."""
    if component not in scorer_components(user=user, round=round):
        raise PermissionDenied(_("You do not score this component of the round."))
    all_items = round_items(round=round)[component]
    items = [i for i in all_items if not i.is_computed]
    scores = {
        (s.participant_id, s.item_id): s
        for s in Score.objects.filter(round=round, scorer=user, item__component=component)
    }
    rows = [
        GridRow(
            p, [(item, scores.get((p.code, item.pk)), cell_key(p.code, item)) for item in items]
        )
        for p in round_participants(round=round)
    ]
    computed = [i for i in all_items if i.is_computed]
    return ScoringGrid(round, component, items, rows, computed)


def results_get(*, user: Any, round: AssessmentRound) -> list[AssessmentResult]:
    if not user.has_perm(assessment_rules.VIEW_RESULTS, round):
        raise PermissionDenied(_("The results of this round are not published yet."))
    return list(round.results.select_related("region").order_by("rank", "region_id"))


@dataclass(frozen=True)
class SheetItem:
    item: RubricItem
    value: Decimal | None  # the item's value in the component (mean of grades, or computed)
    grades: list[tuple[str, str]]  # (scorer's name, grade) for graded items


@dataclass(frozen=True)
class ParticipantSheet:
    result: AssessmentResult | None
    technical: list[SheetItem]
    panel: list[SheetItem]
    panelists: list[dict[str, Any]]  # name, score, dropped


def participant_sheet(*, user: Any, round: AssessmentRound, code: str) -> ParticipantSheet:
    """Why a kab/kota scored what it did: each item's value and who gave which grade."""
    if not user.has_perm(assessment_rules.VIEW_RESULTS, round):
        raise PermissionDenied(_("The results of this round are not published yet."))
    participant = round.participants.filter(code=code).first()
    if participant is None:
        raise Http404(_("This region does not take part in the round."))
    result = round.results.filter(region=participant).first()
    details = result.details if result is not None else {}
    scores = (
        Score.objects.filter(round=round, participant=participant)
        .select_related("scorer")
        .order_by("scorer__full_name", "scorer__username")
    )
    reveal = assessment_rules.sees_scorers(user, round)
    anonymous: dict[int, str] = {}

    def name(scorer: User) -> str:
        if reveal:
            return scorer.display_name
        return anonymous.setdefault(scorer.pk, _("scorer %(n)s") % {"n": len(anonymous) + 1})

    by_item: dict[int, list[tuple[str, str]]] = {}
    for score in scores:
        by_item.setdefault(score.item_id, []).append((name(score.scorer), score.grade or "—"))
    values = details.get("items", {})
    sheets: dict[str, list[SheetItem]] = {Component.TECHNICAL: [], Component.PANEL: []}
    for component, items in round_items(round=round).items():
        for item in items:
            raw = values.get(item.code)
            sheets[component].append(
                SheetItem(item, Decimal(raw) if raw is not None else None, by_item.get(item.pk, []))
            )
    panelists = [
        {
            "name": p["name"] if reveal else _("panelist %(n)s") % {"n": position},
            "score": Decimal(p["score"]),
            "dropped": p["dropped"],
        }
        for position, p in enumerate(details.get("panelists", []), start=1)
    ]
    return ParticipantSheet(result, sheets[Component.TECHNICAL], sheets[Component.PANEL], panelists)


def results_for_api(
    *,
    user: Any,
    region_code: str | None = None,
    assessed_year: int | None = None,
    conducted_year: int | None = None,
) -> QuerySet[AssessmentResult]:
    """Results of published rounds, and of unpublished rounds the caller runs or oversees
    (the province's managers and technical team, national roles)."""
    visible = Q(round__status=RoundStatus.PUBLISHED)
    if assessment_rules.is_national_reader(user) or is_central_admin(user):
        visible = Q()
    else:
        provinces = assessment_rules.province_codes(
            user, assessment_rules.TECHNICAL_TEAM_ROLES | assessment_rules.MANAGER_ROLES
        )
        if provinces:
            visible |= Q(round__province_id__in=sorted(provinces))
    results = AssessmentResult.objects.filter(visible).select_related("round__province", "region")
    if region_code:
        results = results.filter(subtree_q(region_code, prefix="region__"))
    if assessed_year:
        results = results.filter(round__assessed_year=assessed_year)
    if conducted_year:
        results = results.filter(round__conducted_year=conducted_year)
    return results.order_by("-round__conducted_year", "round__province_id", "rank", "region_id")


def round_last_correction(*, round: AssessmentRound) -> AuditEvent | None:
    """The latest reopening or withdrawal of publication, for the round page to say when, by
    whom and why (readers of the round see it; the full history stays with the managers)."""
    return (
        AuditEvent.objects.filter(
            target_type=AssessmentRound._meta.label_lower,
            target_id=str(round.pk),
            event_type__in=[
                AuditEventType.ASSESSMENT_ROUND_REOPENED,
                AuditEventType.ASSESSMENT_ROUND_UNPUBLISHED,
            ],
        )
        .select_related("actor")
        .order_by("-occurred_at", "-id")
        .first()
    )
