from __future__ import annotations

from dataclasses import dataclass

from aksi.accounts.scopes import view_scope
from aksi.analytics.models import CoverageRollup
from aksi.catalogue.models import Indicator, ReportingYear
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
        return round(self.numerator * 100 / self.denominator, 1) if self.denominator else None

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
