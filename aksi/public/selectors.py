"""What the public pages show, without login: published figures only.

Prevalence comes from the prevalence selectors (both kinds are published once imported).
Service coverage comes from the analytics rollups, which also hold values still awaiting
verification; the analytics selectors keep those for signed-in users whose scope covers the
region. Here a region's coverage is published only when every kecamatan in it that has values
for the period is verified — otherwise the page shows the reporting progress and says why the
coverage is not shown yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from aksi.analytics.models import CoverageRollup
from aksi.analytics.selectors import CoverageRow, Progress, progress_for_region
from aksi.catalogue.models import ReportingYear
from aksi.regions.models import Level, Region
from aksi.regions.selectors import active_regions, subtree_q
from aksi.review.models import Submission


@dataclass(frozen=True)
class PublicCoverage:
    period: str
    progress: Progress | None
    published: bool
    rows: list[CoverageRow]
    updated_at: dt.datetime | None


def latest_period(*, region: Region | None) -> str:
    """The latest period with any coverage value in the region ("" if none)."""
    code = region.code if region is not None else ""
    return (
        CoverageRollup.objects.filter(region_code=code, complete_count__gt=0)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
        or ""
    )


def coverage_is_published(*, region: Region | None, period: str) -> bool:
    """Every kecamatan of the region with values for the period has a verified submission."""
    subdistricts = active_regions().filter(level=Level.SUBDISTRICT)
    if region is not None:
        if region.level == Level.VILLAGE:
            return False  # a desa is published with its kecamatan, not on its own
        subdistricts = subdistricts.filter(subtree_q(region.code))
    with_data = CoverageRollup.objects.filter(
        period=period, complete_count__gt=0, region_code__in=subdistricts.values("code")
    )
    if not with_data.exists():
        return False
    verified = Submission.objects.filter(
        period=period, status=Submission.Status.VERIFIED, region__level=Level.SUBDISTRICT
    ).values("region_id")
    # Two yes/no questions, never the kecamatan × indicator rows themselves.
    return not with_data.exclude(region_code__in=verified).exists()


def _expected(region: Region | None, nation_villages: int, nation_districts: int) -> dict:
    if region is None:
        return {Level.VILLAGE: nation_villages, Level.DISTRICT: nation_districts}
    if region.level == Level.DISTRICT:
        return {Level.VILLAGE: region.village_count, Level.DISTRICT: 1}
    if region.level == Level.PROVINCE:
        return {Level.VILLAGE: region.village_count, Level.DISTRICT: region.district_count}
    return {Level.VILLAGE: region.village_count}


def public_coverage(*, region: Region | None) -> PublicCoverage:
    """Coverage per indicator of the latest period, if published, with reporting progress."""
    period = latest_period(region=region)
    if not period:
        return PublicCoverage("", None, False, [], None)
    progress = progress_for_region(region=region, period=period)
    if not coverage_is_published(region=region, period=period):
        return PublicCoverage(period, progress, False, [], None)
    year = ReportingYear.objects.filter(year=int(period[:4])).select_related("catalogue").first()
    if year is None or year.catalogue is None:
        return PublicCoverage(period, progress, False, [], None)
    indicators = list(year.catalogue.indicators.order_by("order"))
    rollups = {
        r.indicator_id: r
        for r in CoverageRollup.objects.filter(
            region_code=region.code if region else "", period=period, indicator__in=indicators
        )
    }
    nation_villages = nation_districts = 0
    if region is None:
        from aksi.regions.selectors import national_summary

        nation = national_summary()
        nation_villages, nation_districts = nation.villages, nation.districts
    expected = _expected(region, nation_villages, nation_districts)
    rows = []
    for indicator in indicators:
        rollup = rollups.get(indicator.pk)
        rows.append(
            CoverageRow(
                indicator=indicator,
                numerator=rollup.numerator_sum if rollup else 0,
                denominator=rollup.denominator_sum if rollup else 0,
                reported=rollup.complete_count if rollup else 0,
                expected=expected.get(indicator.entry_level, 0),
            )
        )
    updated = max((r.updated_at for r in rollups.values()), default=None)
    return PublicCoverage(period, progress, True, rows, updated)


def children_for_links(*, region: Region | None) -> list[Region]:
    """Child regions that have a public page (provinces, kab/kota, kecamatan)."""
    if region is not None and region.level in {Level.SUBDISTRICT, Level.VILLAGE}:
        return []
    from aksi.regions.selectors import region_children

    return list(region_children(region).only("code", "name", "level", "kind"))


def data_timestamp(*stamps: dt.datetime | None) -> dt.datetime | None:
    """The newest of the figures a page shows: its "data as of"."""
    present = [s for s in stamps if s is not None]
    return max(present) if present else None
