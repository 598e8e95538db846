from __future__ import annotations

import datetime
from dataclasses import dataclass

from aksi.accounts.scopes import view_scope
from aksi.analytics.models import CoverageRollup
from aksi.catalogue.models import Indicator, ReportingYear
from aksi.lib.numbers import coverage_percent
from aksi.regions.models import LEVEL_DEPTH, Level, Region


@dataclass(frozen=True)
class CoverageRow:
    indicator: Indicator
    numerator: int
    denominator: int
    reported: int  # villages (or regions) with a complete value
    expected: int  # villages the indicator is reported for in this region

    @property
    def coverage(self) -> float | None:
        return coverage_percent(self.numerator, self.denominator)

    @property
    def completeness(self) -> float | None:
        return round(self.reported * 100 / self.expected, 1) if self.expected else None

    @property
    def achieved(self) -> bool | None:
        target, value = self.indicator.national_target, self.coverage
        if target is None or value is None:
            return None
        if self.indicator.direction == Indicator.Direction.LOWER:
            return value <= float(target)
        return value >= float(target)


def coverage_for_region(*, user: object, region: Region | None, period: str) -> list[CoverageRow]:
    """Coverage per indicator of a region (None: the nation) from the rollups, for users whose
    view scope covers it; nobody else sees unverified regional figures."""
    scope = view_scope(user)
    if region is None and not scope.national:
        return []
    if region is not None and not scope.covers(region.code):
        return []
    year = ReportingYear.objects.filter(year=int(period[:4])).select_related("catalogue").first()
    if year is None or year.catalogue is None:
        return []
    indicators = list(year.catalogue.indicators.order_by("order"))
    rollups = {
        r.indicator_id: r
        for r in CoverageRollup.objects.filter(
            region_code=region.code if region else "", period=period, indicator__in=indicators
        )
    }
    expected_by_level = _expected(region)
    rows = []
    for indicator in indicators:
        rollup = rollups.get(indicator.pk)
        expected = expected_by_level.get(indicator.entry_level, 0)
        rows.append(
            CoverageRow(
                indicator=indicator,
                numerator=rollup.numerator_sum if rollup else 0,
                denominator=rollup.denominator_sum if rollup else 0,
                reported=rollup.complete_count if rollup else 0,
                expected=expected,
            )
        )
    return rows


def _expected(region: Region | None) -> dict[str, int]:
    """How many regions report a village-level and a district-level indicator here."""
    if region is None:
        from aksi.regions.selectors import national_summary

        nation = national_summary()
        return {Level.VILLAGE: nation.villages, Level.DISTRICT: nation.districts}
    if region.level == Level.VILLAGE:
        return {Level.VILLAGE: 1}
    if region.level == Level.DISTRICT:
        return {Level.VILLAGE: region.village_count, Level.DISTRICT: 1}
    if region.level == Level.PROVINCE:
        return {Level.VILLAGE: region.village_count, Level.DISTRICT: region.district_count}
    return {Level.VILLAGE: region.village_count}


@dataclass(frozen=True)
class Progress:
    region: Region | None
    period: str
    expected: int  # village cells: villages × village-level indicators
    filled: int
    verified: int

    @property
    def filled_percent(self) -> float | None:
        return round(self.filled * 100 / self.expected, 1) if self.expected else None

    @property
    def verified_percent(self) -> float | None:
        return round(self.verified * 100 / self.expected, 1) if self.expected else None


def progress_for_region(*, region: Region | None, period: str) -> Progress:
    """Share of the expected village cells filled (from the rollups) and verified (cells of
    kecamatan whose report is verified), for a region at any level or the nation."""
    from django.db.models import Sum

    from aksi.review.models import Submission

    year = ReportingYear.objects.filter(year=int(period[:4])).select_related("catalogue").first()
    if year is None or year.catalogue is None:
        return Progress(region, period, 0, 0, 0)
    village_indicators = list(
        year.catalogue.indicators.filter(entry_level=Indicator.EntryLevel.VILLAGE).values_list(
            "pk", flat=True
        )
    )
    villages = _expected(region).get(Level.VILLAGE, 0)
    code = region.code if region is not None else ""
    filled = (
        CoverageRollup.objects.filter(
            region_code=code, period=period, indicator_id__in=village_indicators
        ).aggregate(n=Sum("complete_count"))["n"]
        or 0
    )
    verified = Submission.objects.filter(
        period=period, status=Submission.Status.VERIFIED, region__level=Level.SUBDISTRICT
    )
    if region is not None and region.level != Level.VILLAGE:
        from aksi.regions.selectors import subtree_q

        verified = verified.filter(subtree_q(region.code, prefix="region__"))
    verified_villages = verified.aggregate(n=Sum("region__village_count"))["n"] or 0
    n = len(village_indicators)
    return Progress(region, period, villages * n, filled, verified_villages * n)


def progress_for_user(*, user: object, period: str) -> list[Progress]:
    """Progress of each region the user sees (the nation for central roles), widest first."""
    scope = view_scope(user)
    if scope.national:
        return [progress_for_region(region=None, period=period)]
    regions = Region.objects.filter(code__in=scope.roots).order_by("code")[:10]
    return [progress_for_region(region=region, period=period) for region in regions]


# --- dashboards, scorecard -------------------------------------------------------------------
#
# Every function below reads for a region the caller has already resolved with
# `dashboard_region` (which applies the user's view scope), so none of them can be reached for a
# region outside it.

PERIOD_PARTS = ("", "S1", "S2")  # whole year, first and second semester
CHILD_LEVEL = {
    None: Level.PROVINCE,
    Level.PROVINCE: Level.DISTRICT,
    Level.DISTRICT: Level.SUBDISTRICT,
    Level.SUBDISTRICT: Level.VILLAGE,
}


class UnknownPeriod(Exception):
    """The period asked for has no catalogue, or is not a period at all."""


@dataclass(frozen=True)
class Filters:
    year: int
    part: str = ""  # "", "S1", "S2"
    intervention_type: str = ""
    target_group: str = ""
    sector: str = ""
    indicator: str = ""  # the indicator children are ranked by (empty: by progress)

    @property
    def period(self) -> str:
        return f"{self.year}{self.part}"

    @property
    def previous_period(self) -> str:
        if self.part == "S2":
            return f"{self.year}S1"
        if self.part == "S1":
            return f"{self.year - 1}S2"
        return str(self.year - 1)

    def query(self) -> str:
        """The filters as a query string (without "?"), empty values left out."""
        from django.utils.http import urlencode

        values = {
            "year": self.year,
            "period": self.part,
            "type": self.intervention_type,
            "group": self.target_group,
            "sector": self.sector,
            "indicator": self.indicator,
        }
        return urlencode({k: v for k, v in values.items() if v})


def dashboard_years() -> list[int]:
    """Reporting years with an indicator catalogue, newest first."""
    return list(
        ReportingYear.objects.filter(catalogue__isnull=False)
        .order_by("-year")
        .values_list("year", flat=True)
    )


def dashboard_filters(*, params: dict[str, str], years: list[int], default_year: int) -> Filters:
    """Filters from a query string; raises UnknownPeriod for a year or period without data.

    `period` is "", "S1", "S2" or a full DHIS2 period code ("2025S1"), which then sets the year.
    """
    from aksi.lib.periods import PeriodError, parse_period

    part = (params.get("period") or "").strip().upper()
    year_text = (params.get("year") or "").strip()
    if part not in PERIOD_PARTS:
        try:
            period = parse_period(part)
        except PeriodError:
            raise UnknownPeriod(part) from None
        if period.kind not in ("year", "semester"):
            raise UnknownPeriod(part)
        year_text, part = str(period.year), period.code[4:]
    try:
        year = int(year_text) if year_text else default_year
    except ValueError:
        raise UnknownPeriod(year_text) from None
    if year not in years:
        raise UnknownPeriod(str(year))
    intervention_type = params.get("type", "")
    return Filters(
        year=year,
        part=part,
        intervention_type=intervention_type
        if intervention_type in Indicator.InterventionType.values
        else "",
        target_group=params.get("group", "")[:40],
        sector=params.get("sector", "")[:24],
        indicator=params.get("indicator", "").upper()[:10],
    )


def catalogue_indicators(*, year: int) -> list[Indicator]:
    """Every indicator of the year's catalogue, with the target-group tree (for the filters)."""
    return list(
        Indicator.objects.filter(catalogue__years__year=year)
        .select_related("catalogue", "target_group__parent__parent")
        .order_by("order", "code")
    )


def indicators_filtered(*, indicators: list[Indicator], filters: Filters) -> list[Indicator]:
    """The indicators of the chosen group: intervention type, target group (with its
    sub-groups) and responsible sector."""
    chosen = []
    for indicator in indicators:
        if filters.intervention_type and indicator.intervention_type != filters.intervention_type:
            continue
        if filters.sector and filters.sector not in indicator.sectors:
            continue
        if filters.target_group:
            group, codes = indicator.target_group, set()
            while group is not None:
                codes.add(group.code)
                group = group.parent
            if filters.target_group not in codes:
                continue
        chosen.append(indicator)
    return chosen


@dataclass(frozen=True)
class FilterOptions:
    years: list[int]
    target_groups: list[tuple[str, str]]
    sectors: list[tuple[str, str]]
    indicators: list[Indicator]


def filter_options(*, years: list[int], indicators: list[Indicator]) -> FilterOptions:
    """Choices of the filter form, from the indicators of the year (no query)."""
    from aksi.reporting.models import Sector

    groups: dict[str, str] = {}
    sectors: set[str] = set()
    for indicator in indicators:
        root = indicator.target_group.root
        groups.setdefault(root.code, root.name)
        sectors.update(indicator.sectors)
    return FilterOptions(
        years=years,
        target_groups=sorted(groups.items(), key=lambda item: item[1]),
        sectors=[(key, str(label)) for key, label in Sector.choices if key in sectors],
        indicators=indicators,
    )


def dashboard_region(*, user: object, code: str | None) -> Region | None:
    """The region of a dashboard (None: Indonesia). Unknown code → Http404; a region outside
    the user's view scope (or the nation for a regional user) → PermissionDenied."""
    from django.core.exceptions import PermissionDenied

    from aksi.regions.selectors import region_get

    scope = view_scope(user)
    if code is None:
        if not scope.national:
            raise PermissionDenied
        return None
    region = region_get(code)
    if not scope.covers(region.code):
        raise PermissionDenied
    return region


def dashboard_roots(*, user: object) -> list[Region]:
    """The regions a regional user's dashboards start from (their view-scope roots)."""
    scope = view_scope(user)
    return list(Region.objects.filter(code__in=scope.roots).order_by("code")[:50])


def breadcrumb_trail(*, user: object, region: Region | None) -> list[tuple[Region, bool]]:
    """The ancestors of a region, each with whether the user may open its dashboard."""
    from aksi.regions.selectors import region_ancestors

    if region is None:
        return []
    scope = view_scope(user)
    return [(a, scope.covers(a.code)) for a in region_ancestors(region)]


def data_as_of(*, region: Region | None, period: str) -> datetime.datetime | None:
    """When the figures of a region last changed: the newest rollup of the region itself
    (every write below it updates it in the same transaction)."""
    from django.db.models import Max

    return CoverageRollup.objects.filter(
        region_code=region.code if region else "", period=period
    ).aggregate(at=Max("updated_at"))["at"]


@dataclass
class Timeliness:
    """Kecamatan reports (the coverage step) by timeliness: submitted on or before the
    deadline, submitted after it, not submitted with the deadline passed, not yet due."""

    expected: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    open: int = 0

    def add(self, other: Timeliness) -> None:
        self.expected += other.expected
        self.on_time += other.on_time
        self.late += other.late
        self.missing += other.missing
        self.open += other.open

    def percent(self, part: int) -> float | None:
        return round(part * 100 / self.expected, 1) if self.expected else None

    @property
    def on_time_percent(self) -> float | None:
        return self.percent(self.on_time)

    @property
    def late_percent(self) -> float | None:
        return self.percent(self.late)

    @property
    def missing_percent(self) -> float | None:
        return self.percent(self.missing)


@dataclass
class ChildRow:
    region: Region
    filled: int
    expected: int
    reports: Timeliness | None  # kecamatan reports below (None for desa)
    report_state: str = ""  # a kecamatan's own report: on_time, late, missing, open
    numerator: int = 0
    denominator: int = 0
    rank: int = 0

    @property
    def filled_percent(self) -> float | None:
        return round(self.filled * 100 / self.expected, 1) if self.expected else None

    @property
    def coverage(self) -> float | None:
        return coverage_percent(self.numerator, self.denominator)


@dataclass
class Dashboard:
    region: Region | None
    filters: Filters
    indicators: list[Indicator]
    progress: Progress
    timeliness: Timeliness | None
    coverage: list[CoverageRow]
    children: list[ChildRow]
    child_level: str | None
    ranking_indicator: Indicator | None
    data_as_of: datetime.datetime | None


def _region_timezone(region: Region | None) -> str:
    # The nation's reports fall due last in WIB, so a national "missing" is never early.
    return region.time_zone if region is not None else "Asia/Jakarta"


def _kecamatan_reports(
    *, region: Region | None, children: list[Region], period: str, year: int
) -> tuple[Timeliness | None, dict[str, Timeliness], dict[str, str]]:
    """Timeliness of the kecamatan reports in a region, in total and per child, in one query
    (two with the step). Kecamatan are the level that submits the desa values."""
    from django.utils import timezone

    from aksi.review import measures
    from aksi.review.models import Submission

    if region is not None and region.level == Level.VILLAGE:
        return None, {}, {}
    step = measures.coverage_step(year)
    if step is None:
        return None, {}, {}
    submissions = Submission.objects.filter(
        step=step,
        period=period,
        region__level=Level.SUBDISTRICT,
        first_submitted_at__isnull=False,
    )
    if region is not None:
        from aksi.regions.selectors import subtree_q

        submissions = submissions.filter(subtree_q(region.code, prefix="region__"))
    now = timezone.now()
    due_by_zone: dict[str, datetime.datetime | None] = {}

    def due(zone: str) -> datetime.datetime | None:
        if zone not in due_by_zone:
            due_by_zone[zone] = measures.deadline(
                step=step, region=Region(time_zone=zone), period=period
            )
        return due_by_zone[zone]

    own_level = region is not None and region.level == Level.SUBDISTRICT
    depth = 3 if own_level else LEVEL_DEPTH[Level(CHILD_LEVEL[region.level if region else None])]
    per_child: dict[str, Timeliness] = {}
    states: dict[str, str] = {}
    for code, zone, submitted_at in submissions.values_list(
        "region_id", "region__time_zone", "first_submitted_at"
    ):
        state = (
            "on_time" if measures.is_on_time(submitted_at=submitted_at, due=due(zone)) else "late"
        )
        states[code] = state
        key = ".".join(code.split(".")[:depth])
        bucket = per_child.setdefault(key, Timeliness())
        setattr(bucket, state, getattr(bucket, state) + 1)

    def not_submitted(bucket: Timeliness, expected: int, zone: str) -> None:
        bucket.expected = expected
        rest = max(expected - bucket.on_time - bucket.late, 0)
        deadline = due(zone)
        if deadline is not None and now > deadline:
            bucket.missing = rest
        else:
            bucket.open = rest

    total = Timeliness()
    if own_level:
        assert region is not None
        bucket = per_child.get(region.code, Timeliness())
        not_submitted(bucket, 1, region.time_zone)
        total.add(bucket)
        return total, {}, states
    result: dict[str, Timeliness] = {}
    for child in children:
        bucket = per_child.get(child.code, Timeliness())
        expected = 1 if child.level == Level.SUBDISTRICT else child.subdistrict_count
        not_submitted(bucket, expected, child.time_zone)
        if child.level == Level.SUBDISTRICT and child.code not in states:
            states[child.code] = "missing" if bucket.missing else "open"
        result[child.code] = bucket
        total.add(bucket)
    return total, result, states


def _coverage_rows(
    *, region: Region | None, period: str, indicators: list[Indicator]
) -> list[CoverageRow]:
    rollups = {
        r.indicator_id: r
        for r in CoverageRollup.objects.filter(
            region_code=region.code if region else "", period=period, indicator__in=indicators
        )
    }
    expected_by_level = _expected(region)
    rows = []
    for indicator in indicators:
        rollup = rollups.get(indicator.pk)
        rows.append(
            CoverageRow(
                indicator=indicator,
                numerator=rollup.numerator_sum if rollup else 0,
                denominator=rollup.denominator_sum if rollup else 0,
                reported=rollup.complete_count if rollup else 0,
                expected=expected_by_level.get(indicator.entry_level, 0),
            )
        )
    return [row for row in rows if row.expected]


def dashboard_get(
    *, region: Region | None, filters: Filters, all_indicators: list[Indicator]
) -> Dashboard:
    """Everything a region's dashboard shows, in a fixed number of queries however many
    children the region has."""
    from django.db.models import Sum

    from aksi.regions.selectors import region_children

    period = filters.period
    indicators = indicators_filtered(indicators=all_indicators, filters=filters)
    village_ids = [i.pk for i in all_indicators if i.entry_level == Indicator.EntryLevel.VILLAGE]
    children = (
        []
        if region is not None and region.level == Level.VILLAGE
        else list(region_children(region).order_by("code"))
    )
    codes = [c.code for c in children]
    filled = (
        dict(
            CoverageRollup.objects.filter(
                region_code__in=codes, period=period, indicator_id__in=village_ids
            )
            .values("region_code")
            .annotate(n=Sum("complete_count"))
            .values_list("region_code", "n")
        )
        if codes
        else {}
    )
    ranking = next((i for i in indicators if i.code == filters.indicator), None)
    values: dict[str, tuple[int, int]] = {}
    if ranking is not None and codes:
        values = {
            code: (n, d)
            for code, n, d in CoverageRollup.objects.filter(
                region_code__in=codes, period=period, indicator=ranking
            ).values_list("region_code", "numerator_sum", "denominator_sum")
        }
    timeliness, per_child, states = _kecamatan_reports(
        region=region, children=children, period=period, year=filters.year
    )
    rows = []
    for child in children:
        villages = 1 if child.level == Level.VILLAGE else child.village_count
        numerator, denominator = values.get(child.code, (0, 0))
        rows.append(
            ChildRow(
                region=child,
                filled=filled.get(child.code) or 0,
                expected=villages * len(village_ids),
                reports=per_child.get(child.code),
                report_state=states.get(child.code, ""),
                numerator=numerator,
                denominator=denominator,
            )
        )
    _rank(rows, ranking)
    return Dashboard(
        region=region,
        filters=filters,
        indicators=indicators,
        progress=progress_for_region(region=region, period=period),
        timeliness=timeliness,
        coverage=_coverage_rows(region=region, period=period, indicators=indicators),
        children=rows,
        child_level=CHILD_LEVEL.get(region.level if region else None),
        ranking_indicator=ranking,
        data_as_of=data_as_of(region=region, period=period),
    )


def _rank(rows: list[ChildRow], ranking: Indicator | None) -> None:
    """Best first: by the ranking indicator's coverage (direction-aware), else by the share of
    cells filled; regions without a value last, in code order."""

    def key(row: ChildRow) -> tuple[int, float, str]:
        if ranking is None:
            value = row.filled_percent
            return (value is None, -(value or 0.0), row.region.code)
        value = row.coverage
        if value is None:
            return (True, 0.0, row.region.code)
        sign = 1.0 if ranking.direction == Indicator.Direction.LOWER else -1.0
        return (False, sign * value, row.region.code)

    rows.sort(key=key)
    for position, row in enumerate(rows, start=1):
        row.rank = position


# --- what needs the user's action ------------------------------------------------------------


@dataclass(frozen=True)
class MyReport:
    region: Region
    state: str  # "not_submitted", "returned"
    days_late: int
    reason: str = ""


@dataclass
class Actions:
    to_verify: list[object]
    to_verify_count: int
    my_reports: list[MyReport]

    @property
    def any(self) -> bool:
        return bool(self.to_verify_count or self.my_reports)


def actions_for_user(*, user: object, period: str, limit: int = 5) -> Actions:
    """Reports waiting for the user's verification, and the user's own kecamatan reports that
    are returned or not yet submitted (with days past the deadline)."""
    from django.utils import timezone

    from aksi.review import measures, rules
    from aksi.review import selectors as review_selectors
    from aksi.review.models import Submission

    waiting = review_selectors.review_queue(user=user).filter(
        period=period, status=Submission.Status.SUBMITTED
    )
    to_verify_count = waiting.count()
    to_verify = list(waiting[:limit]) if to_verify_count else []
    roots = rules.role_roots(user, rules.SUBMIT_ROLES)
    kecamatan = (
        list(Region.objects.filter(code__in=roots, level=Level.SUBDISTRICT).order_by("code"))
        if roots
        else []
    )
    mine: list[MyReport] = []
    if kecamatan:
        step = measures.coverage_step(int(period[:4]))
        submissions = {
            s.region_id: s
            for s in Submission.objects.filter(step=step, period=period, region__in=kecamatan)
        }
        now = timezone.now()
        for region in kecamatan:
            submission = submissions.get(region.code)
            status = submission.status if submission else Submission.Status.DRAFT
            if status in (Submission.Status.SUBMITTED, Submission.Status.VERIFIED):
                continue
            due = measures.deadline(step=step, region=region, period=period) if step else None
            mine.append(
                MyReport(
                    region=region,
                    state="returned" if status == Submission.Status.RETURNED else "not_submitted",
                    days_late=measures.days_late(
                        submitted_at=submission.first_submitted_at if submission else None,
                        due=due,
                        now=now,
                    )
                    if status != Submission.Status.RETURNED
                    else 0,
                    reason=submission.returned_reason if submission else "",
                )
            )
    return Actions(to_verify=to_verify, to_verify_count=to_verify_count, my_reports=mine)
