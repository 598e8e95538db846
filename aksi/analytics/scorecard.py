"""Scorecard reads: regions × indicators, each cell banded against the national target, with
the change from the previous period.

Selectors for a region already resolved by `selectors.dashboard_region` (the user's view scope
applied there). Children of a region come in a fixed number of queries; every desa of a
province or of the nation comes through `village_rows`, one kab/kota at a time, so an export of
tens of thousands of desa never holds more than one kab/kota in memory.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from aksi.analytics.legend import Band, Legend, legend
from aksi.analytics.models import CoverageRollup
from aksi.analytics.selectors import Filters, data_as_of
from aksi.catalogue.models import Indicator
from aksi.lib.numbers import coverage_percent
from aksi.regions.models import Level, Region
from aksi.regions.selectors import active_regions, region_children, subtree_q

# A change smaller than this (percentage points) shows as "no change": values have one decimal.
STEADY = 0.05


@dataclass(frozen=True)
class ScoreCell:
    indicator: Indicator
    numerator: int | None
    denominator: int | None
    previous: float | None
    band: Band

    @property
    def coverage(self) -> float | None:
        return coverage_percent(self.numerator, self.denominator)

    @property
    def change(self) -> float | None:
        if self.coverage is None or self.previous is None:
            return None
        return round(self.coverage - self.previous, 1)

    @property
    def trend(self) -> str:
        """ "up", "down", "same", or "" when either period has no value."""
        change = self.change
        if change is None:
            return ""
        if abs(change) < STEADY:
            return "same"
        return "up" if change > 0 else "down"

    @property
    def arrow(self) -> str:
        return {"up": "↑", "down": "↓", "same": "→"}.get(self.trend, "")


@dataclass(frozen=True)
class ScoreRow:
    region: Region | None  # None: Indonesia
    cells: list[ScoreCell]


@dataclass
class Scorecard:
    region: Region | None
    filters: Filters
    indicators: list[Indicator]
    total: ScoreRow
    rows: list[ScoreRow]
    legend: Legend
    data_as_of: datetime.datetime | None

    @property
    def previous_period(self) -> str:
        return self.filters.previous_period


def _current(
    *, codes: list[str], period: str, indicators: list[Indicator]
) -> dict[tuple[str, int], tuple[int, int]]:
    if not codes or not indicators:
        return {}
    return {
        (code, indicator_id): (n, d)
        for code, indicator_id, n, d in CoverageRollup.objects.filter(
            region_code__in=codes, period=period, indicator__in=indicators
        ).values_list("region_code", "indicator_id", "numerator_sum", "denominator_sum")
    }


def _previous(
    *, codes: list[str], filters: Filters, indicators: list[Indicator]
) -> dict[tuple[str, str], float | None]:
    """Coverage in the previous period, matched by indicator code (catalogues are versioned
    per year: the same code is a different row in each year's catalogue)."""
    if not codes or not indicators:
        return {}
    previous = filters.previous_period
    rows = CoverageRollup.objects.filter(
        region_code__in=codes,
        period=previous,
        indicator__code__in=[i.code for i in indicators],
        indicator__catalogue__years__year=int(previous[:4]),
    ).values_list("region_code", "indicator__code", "numerator_sum", "denominator_sum")
    return {(code, indicator): coverage_percent(n, d) for code, indicator, n, d in rows}


def _row(
    *,
    region: Region | None,
    indicators: list[Indicator],
    current: dict[tuple[str, int], tuple[int, int]],
    previous: dict[tuple[str, str], float | None],
    bands: Legend,
) -> ScoreRow:
    code = region.code if region else ""
    cells = []
    for indicator in indicators:
        numerator, denominator = current.get((code, indicator.pk), (None, None))
        coverage = coverage_percent(numerator, denominator)
        cells.append(
            ScoreCell(
                indicator=indicator,
                numerator=numerator,
                denominator=denominator,
                previous=previous.get((code, indicator.code)),
                band=bands.band_for(indicator=indicator, coverage=coverage),
            )
        )
    return ScoreRow(region=region, cells=cells)


def scorecard_get(
    *, region: Region | None, filters: Filters, indicators: list[Indicator]
) -> Scorecard:
    """The children of a region (a desa: the desa alone) × the chosen indicators, with the
    region's own total. Four queries: children, current and previous rollups, data time."""
    children = (
        []
        if region is not None and region.level == Level.VILLAGE
        else list(region_children(region).order_by("code"))
    )
    codes = [c.code for c in children] + [region.code if region else ""]
    current = _current(codes=codes, period=filters.period, indicators=indicators)
    previous = _previous(codes=codes, filters=filters, indicators=indicators)
    bands = legend()
    args = {"indicators": indicators, "current": current, "previous": previous, "bands": bands}
    return Scorecard(
        region=region,
        filters=filters,
        indicators=indicators,
        total=_row(region=region, **args),
        rows=[_row(region=child, **args) for child in children],
        legend=bands,
        data_as_of=data_as_of(region=region, period=filters.period),
    )


def _chunks(region: Region | None) -> list[Region | None]:
    """The kab/kota under a region (the region itself below that level)."""
    if region is not None and region.level in (Level.DISTRICT, Level.SUBDISTRICT, Level.VILLAGE):
        return [region]
    districts = active_regions().filter(level=Level.DISTRICT)
    if region is not None:
        districts = districts.filter(province_code=region.code)
    return list(districts.order_by("code").only("code", "name", "level"))


def village_rows(
    *, region: Region | None, filters: Filters, indicators: list[Indicator]
) -> Iterator[ScoreRow]:
    """Every desa/kelurahan under a region, in code order, as scorecard rows; three queries
    per kab/kota and never more than one kab/kota's rows in memory."""
    bands = legend()
    for chunk in _chunks(region):
        villages = active_regions().filter(level=Level.VILLAGE)
        if chunk is not None:
            villages = villages.filter(subtree_q(chunk.code))
        villages_list = list(villages.order_by("code").only("code", "name", "level"))
        codes = [v.code for v in villages_list]
        current = _current(codes=codes, period=filters.period, indicators=indicators)
        previous = _previous(codes=codes, filters=filters, indicators=indicators)
        for village in villages_list:
            yield _row(
                region=village,
                indicators=indicators,
                current=current,
                previous=previous,
                bands=bands,
            )
