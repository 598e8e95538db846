"""Reads of the catalogue. The catalogue is national reference data: the only scoping rule is
that drafts are visible to central admins only (`include_drafts`)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from aksi.catalogue.models import (
    Action,
    ActionFramework,
    Indicator,
    IndicatorCatalogue,
    NationalTarget,
    Pillar,
    ReportingYear,
    Step,
    TargetGroup,
)
from aksi.core.models import AuditEvent

PREVALENCE_METRIC = "stunting_prevalence"


@dataclass(frozen=True)
class CatalogueSummary:
    year: int
    name: str
    indicator_count: int
    framework_name: str


def current_catalogue_summary() -> CatalogueSummary | None:
    """The catalogue of the current reporting year, or the latest one before it."""
    this_year = timezone.localdate().year
    reporting_year = (
        ReportingYear.objects.filter(
            year__lte=this_year, catalogue__status=IndicatorCatalogue.Status.PUBLISHED
        )
        .select_related("framework", "catalogue")
        .order_by("-year")
        .first()
    )
    if reporting_year is None or reporting_year.catalogue is None:
        return None
    catalogue: IndicatorCatalogue = reporting_year.catalogue
    return CatalogueSummary(
        year=catalogue.year,
        name=catalogue.name,
        indicator_count=catalogue.indicators.count(),
        framework_name=reporting_year.framework.name,
    )


# --- catalogue versions and indicators ----------------------------------------------------


def _visible(*, include_drafts: bool) -> QuerySet[IndicatorCatalogue]:
    catalogues = IndicatorCatalogue.objects.all()
    if not include_drafts:
        catalogues = catalogues.filter(status=IndicatorCatalogue.Status.PUBLISHED)
    return catalogues


def catalogue_list(*, include_drafts: bool = False) -> list[IndicatorCatalogue]:
    """Catalogue versions for a year selector, newest first."""
    return list(_visible(include_drafts=include_drafts).order_by("-year"))


def catalogue_default_year(*, catalogues: list[IndicatorCatalogue]) -> int | None:
    """The year shown when none is asked for: this year's catalogue, else the latest before."""
    this_year = timezone.localdate().year
    published = [c for c in catalogues if c.status == IndicatorCatalogue.Status.PUBLISHED]
    for catalogue in published or catalogues:
        if catalogue.year <= this_year:
            return catalogue.year
    return catalogues[-1].year if catalogues else None


def catalogue_for_year(
    *, year: int, catalogues: list[IndicatorCatalogue] | None = None, include_drafts: bool = False
) -> IndicatorCatalogue | None:
    """The catalogue version of a year (from an already fetched list when given)."""
    if catalogues is not None:
        return next((c for c in catalogues if c.year == year), None)
    return _visible(include_drafts=include_drafts).filter(year=year).first()


def indicator_list(
    *,
    catalogue: IndicatorCatalogue,
    target_group: str = "",
    intervention_type: str = "",
    sector: str = "",
    certainty: str = "",
) -> QuerySet[Indicator]:
    """Indicators of one catalogue version, filtered; two queries however many rows."""
    indicators = (
        Indicator.objects.filter(catalogue=catalogue)
        .select_related("target_group__parent__parent")
        .prefetch_related(Prefetch("pillars", queryset=Pillar.objects.order_by("kind", "number")))
        .order_by("order", "code")
    )
    if target_group:
        # A group includes its sub-groups; the tree is at most three levels deep.
        indicators = indicators.filter(
            Q(target_group__code=target_group)
            | Q(target_group__parent__code=target_group)
            | Q(target_group__parent__parent__code=target_group)
        )
    if intervention_type:
        indicators = indicators.filter(intervention_type=intervention_type)
    if sector:
        # Sectors are a JSON list; matching the quoted key on its text form works on SQLite and
        # PostgreSQL alike ('"food"' does not match "food_security").
        indicators = indicators.filter(sectors__icontains=f'"{sector}"')
    if certainty:
        indicators = indicators.filter(certainty=certainty)
    return indicators


def indicator_get(*, year: int, code: str, include_drafts: bool = False) -> Indicator:
    """One indicator of a catalogue version with what its detail page shows; 404 if unknown."""
    indicator = (
        Indicator.objects.filter(catalogue__in=_visible(include_drafts=include_drafts))
        .select_related("catalogue", "target_group__parent__parent")
        .prefetch_related(Prefetch("pillars", queryset=Pillar.objects.order_by("kind", "number")))
        .filter(catalogue__year=year, code=code.upper())
        .first()
    )
    if indicator is None:
        raise Http404(f"{code} {year}")
    return indicator


def indicator_versions(*, code: str, include_drafts: bool = False) -> list[Indicator]:
    """The same indicator code in every visible catalogue version, newest first."""
    return list(
        Indicator.objects.filter(
            code=code.upper(), catalogue__in=_visible(include_drafts=include_drafts)
        )
        .select_related("catalogue")
        .order_by("-catalogue__year")
    )


def target_group_options() -> list[tuple[TargetGroup, int]]:
    """All target groups as a tree in display order, with their depth (0 = top level)."""
    groups = list(TargetGroup.objects.order_by("order", "code"))
    children: dict[int | None, list[TargetGroup]] = defaultdict(list)
    for group in groups:
        children[group.parent_id].append(group)
    ordered: list[tuple[TargetGroup, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for group in children[parent]:
            ordered.append((group, depth))
            walk(group.pk, depth + 1)

    walk(None, 0)
    return ordered


# --- framework of a year -----------------------------------------------------------------


@dataclass(frozen=True)
class StepView:
    step: Step
    opens: datetime.date | None
    due: datetime.date | None

    @property
    def crosses_year(self) -> bool:
        return bool(self.opens and self.due and self.due.year != self.opens.year)


@dataclass(frozen=True)
class ActionView:
    action: Action
    steps: list[StepView]
    successors: list[Action]
    predecessors: list[Action]


@dataclass(frozen=True)
class FrameworkOverview:
    year: int
    reporting_year: ReportingYear | None
    framework: ActionFramework
    actions: list[ActionView]
    pillars: list[Pillar]
    objectives: list[Pillar]
    targets: list[NationalTarget]
    year_target: NationalTarget | None
    predecessor: ActionFramework | None


def reporting_year_list() -> list[ReportingYear]:
    return list(
        ReportingYear.objects.select_related("framework__successor", "catalogue").order_by("-year")
    )


def reporting_year_default(*, years: list[ReportingYear]) -> int | None:
    """The open year (the latest if several), else the latest year up to now."""
    open_years = [y.year for y in years if y.status == ReportingYear.Status.OPEN]
    if open_years:
        return max(open_years)
    this_year = timezone.localdate().year
    past = [y.year for y in years if y.year <= this_year]
    return max(past) if past else (min(y.year for y in years) if years else None)


def _framework_in_force(year: int) -> ActionFramework | None:
    return (
        ActionFramework.objects.select_related("successor")
        .filter(first_year__lte=year)
        .filter(Q(last_year__isnull=True) | Q(last_year__gte=year))
        .order_by("-first_year")
        .first()
    )


def framework_overview(*, year: int, years: list[ReportingYear]) -> FrameworkOverview:
    """Actions, steps with their windows in `year`, pillars and national targets."""
    reporting_year = next((y for y in years if y.year == year), None)
    framework = reporting_year.framework if reporting_year else _framework_in_force(year)
    if framework is None:
        raise Http404(str(year))
    steps = Prefetch(
        "steps",
        queryset=Step.objects.order_by("order").prefetch_related(
            Prefetch("pillars", queryset=Pillar.objects.order_by("kind", "number"))
        ),
    )
    actions = list(framework.actions.order_by("order").prefetch_related(steps))
    # Old actions map onto the next framework's; new ones list the old ones that fed them.
    related = (
        Action.objects.filter(
            Q(framework_id=framework.successor_id) | Q(framework__successor=framework)
        )
        .select_related("framework")
        .order_by("framework__first_year", "order")
    )
    successor_actions: dict[str, Action] = {}
    predecessors: dict[str, list[Action]] = defaultdict(list)
    predecessor: ActionFramework | None = None
    for other in related:
        if other.framework_id == framework.successor_id:
            successor_actions[other.code] = other
        else:
            predecessor = other.framework
            for code in other.successor_codes:
                predecessors[code].append(other)
    views = []
    for action in actions:
        step_views = []
        for step in action.steps.all():
            window = step.window(year)
            step_views.append(
                StepView(
                    step=step,
                    opens=window[0] if window else None,
                    due=window[1] if window else None,
                )
            )
        views.append(
            ActionView(
                action=action,
                steps=step_views,
                successors=[
                    successor_actions[c] for c in action.successor_codes if c in successor_actions
                ],
                predecessors=predecessors.get(action.code, []),
            )
        )
    pillars = list(Pillar.objects.order_by("kind", "number"))
    targets = list(NationalTarget.objects.filter(metric=PREVALENCE_METRIC).order_by("year"))
    return FrameworkOverview(
        year=year,
        reporting_year=reporting_year,
        framework=framework,
        actions=views,
        pillars=[p for p in pillars if p.kind == Pillar.Kind.PILLAR],
        objectives=[p for p in pillars if p.kind == Pillar.Kind.OBJECTIVE],
        targets=targets,
        year_target=next((t for t in targets if t.year == year), None),
        predecessor=predecessor,
    )


# --- management --------------------------------------------------------------------------


def catalogue_versions() -> QuerySet[IndicatorCatalogue]:
    """Every catalogue version with its indicator count and the years that use it."""
    return (
        IndicatorCatalogue.objects.select_related("copied_from")
        .annotate(indicator_count=Count("indicators"))
        .prefetch_related(Prefetch("years", queryset=ReportingYear.objects.order_by("year")))
        .order_by("-year")
    )


def catalogue_get(*, year: int) -> IndicatorCatalogue:
    catalogue = IndicatorCatalogue.objects.select_related("copied_from").filter(year=year).first()
    if catalogue is None:
        raise Http404(str(year))
    return catalogue


def catalogue_audit_events(*, limit: int = 20) -> list[AuditEvent]:
    """The latest catalogue changes, for the management page."""
    return list(
        AuditEvent.objects.filter(event_type__startswith="catalogue.")
        .select_related("actor")
        .order_by("-occurred_at", "-id")[:limit]
    )
