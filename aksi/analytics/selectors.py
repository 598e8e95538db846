from __future__ import annotations

from dataclasses import dataclass

from aksi.accounts.scopes import view_scope
from aksi.analytics.models import CoverageRollup
from aksi.catalogue.models import Indicator, ReportingYear
from aksi.lib.numbers import coverage_percent
from aksi.regions.models import Level, Region


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
