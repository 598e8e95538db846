"""Reads of prevalence figures.

Survey figures are published by the health ministry and e-PPGBM counts are published per desa
once imported (DOMAIN §6.3: the old public dashboard showed province → desa), so the figure
selectors take no user: the public pages show them without login. What is scoped is the
working page (`prevalence_region_get`) and the import, by the user's view and managed scope.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q, Sum
from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext as _

from aksi.accounts.scopes import view_scope
from aksi.catalogue.models import NationalTarget
from aksi.lib.numbers import coverage_percent
from aksi.lib.periods import PeriodError, parse_period
from aksi.prevalence.models import (
    AdministrativeCount,
    AdministrativeSource,
    SurveyPrevalence,
    SurveySource,
)
from aksi.regions.models import Level, Region
from aksi.regions.selectors import region_children, region_get, subtree_q

STUNTING_METRIC = "stunting_prevalence"


def low_n_threshold() -> int:
    """Below this many children measured a desa percentage is noise (1 of 2 is 50%); the
    count is shown and the percentage greyed (DOMAIN §6.3, assumption — configurable)."""
    return int(getattr(settings, "AKSI_PREVALENCE_LOW_N", 30))


def low_measurement_threshold() -> float:
    """Below this share of targeted children measured, the figure is flagged (assumption)."""
    return float(getattr(settings, "AKSI_PREVALENCE_LOW_MEASUREMENT", 80))


# --- regions and periods ----------------------------------------------------------------------


def prevalence_region_get(*, user: object, code: str) -> Region | None:
    """The region of the working page (None: Indonesia), if the user's view scope covers it;
    an unknown or unseen code is a 404, the nation without national scope a 403."""
    scope = view_scope(user)
    if not code:
        if not scope.national:
            raise PermissionDenied
        return None
    region = region_get(code)
    if not scope.covers(region.code):
        raise Http404(code)
    return region


def public_region_get(*, code: str) -> Region:
    """A current province, kab/kota or kecamatan for the public pages; anything else is a 404."""
    region = region_get(code)
    if not region.is_active or region.level == Level.VILLAGE:
        raise Http404(code)
    return region


def period_sort_key(code: str) -> tuple[dt.date, dt.date]:
    period = parse_period(code)
    return (period.end, period.start)


def period_label(code: str) -> str:
    """202408 → "Agustus 2024", 2024S2 → "Semester 2 2024", 2024 → "2024" (active language)."""
    try:
        period = parse_period(code)
    except PeriodError:
        return code
    if period.kind == "month":
        return formats.date_format(period.start, "F Y")
    if period.kind == "semester":
        return _("Semester %(part)s %(year)s") % {"part": period.part, "year": period.year}
    if period.kind == "quarter":
        return _("Quarter %(part)s %(year)s") % {"part": period.part, "year": period.year}
    return str(period.year)


def _subtree(region: Region | None) -> Q:
    return Q() if region is None else subtree_q(region.code, prefix="region__")


def administrative_periods(*, region: Region | None) -> list[str]:
    """Periods with e-PPGBM counts in the region, latest first (one query)."""
    codes = (
        AdministrativeCount.objects.filter(_subtree(region), source=AdministrativeSource.EPPGBM)
        .order_by("period")  # not the model's ordering: DISTINCT would then add region_id
        .values_list("period", flat=True)
        .distinct()
    )
    return sorted(set(codes), key=period_sort_key, reverse=True)


def administrative_period_get(
    *, region: Region | None, period: str | None
) -> tuple[str, list[str]]:
    """The period asked for (or the latest) and all periods; an unknown period is a 404."""
    periods = administrative_periods(region=region)
    if period is None:
        return (periods[0] if periods else ""), periods
    try:
        code = parse_period(period).code
    except PeriodError:
        raise Http404(period) from None
    if code not in periods:
        raise Http404(period)
    return code, periods


# --- survey -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyTrend:
    region: Region | None
    figures: list[SurveyPrevalence]  # by year, then survey
    targets: list[NationalTarget]

    @property
    def years(self) -> list[int]:
        return sorted({f.year for f in self.figures})

    @property
    def series(self) -> dict[str, list[float | None]]:
        """One series per survey over all years (None where that survey has no figure)."""
        by_source: dict[str, dict[int, float]] = {}
        for figure in self.figures:
            label = SurveySource(figure.source).label
            by_source.setdefault(label, {})[figure.year] = float(figure.prevalence)
        return {
            label: [values.get(year) for year in self.years] for label, values in by_source.items()
        }

    @property
    def latest(self) -> SurveyPrevalence | None:
        return self.figures[-1] if self.figures else None

    @property
    def target_lines(self) -> dict[str, float]:
        return {
            _("National target %(year)s") % {"year": t.year}: float(t.value) for t in self.targets
        }

    @property
    def updated_at(self) -> dt.datetime | None:
        return max((f.updated_at for f in self.figures), default=None)


def national_targets() -> list[NationalTarget]:
    """The prevalence targets still ahead of the latest national survey, within five years of
    it (today: 18.8% for 2025 and 14.2% for 2029; 2045's 5% is a horizon, not a trend line)."""
    last = (
        SurveyPrevalence.objects.filter(region__isnull=True)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    targets = NationalTarget.objects.filter(metric=STUNTING_METRIC).order_by("year")
    if last is not None:
        targets = targets.filter(year__gt=last, year__lte=last + 5)
    return list(targets)


def survey_trend(*, region: Region | None) -> SurveyTrend:
    """Published survey figures of one region (None: Indonesia) and the national targets."""
    figures = SurveyPrevalence.objects.filter(
        Q(region__isnull=True) if region is None else Q(region=region)
    ).order_by("year", "source")
    return SurveyTrend(region=region, figures=list(figures), targets=national_targets())


@dataclass(frozen=True)
class SurveyChildren:
    """Survey figures of the child regions: one column per survey and year, never merged."""

    columns: list[tuple[str, int]]  # (survey label, year)
    rows: list[tuple[Region, list[SurveyPrevalence | None]]]

    @property
    def has_figures(self) -> bool:
        return any(any(cells) for _, cells in self.rows)


def survey_children(*, region: Region | None) -> SurveyChildren:
    """Survey figures of the provinces (Indonesia) or kab/kota (a province); two queries."""
    if region is not None and region.level != Level.PROVINCE:
        return SurveyChildren(columns=[], rows=[])
    children = list(region_children(region).only("code", "name", "level", "kind"))
    figures = SurveyPrevalence.objects.filter(region__in=[c.code for c in children])
    cells: dict[tuple[str, str, int], SurveyPrevalence] = {}
    keys: set[tuple[int, str]] = set()
    for figure in figures:
        cells[(figure.region_id or "", figure.source, figure.year)] = figure
        keys.add((figure.year, figure.source))
    ordered = sorted(keys)
    return SurveyChildren(
        columns=[(SurveySource(source).label, year) for year, source in ordered],
        rows=[
            (child, [cells.get((child.code, source, year)) for year, source in ordered])
            for child in children
        ],
    )


# --- administrative (e-PPGBM) -----------------------------------------------------------------


@dataclass(frozen=True)
class AdministrativeFigure:
    region: Region | None
    measured: int = 0
    stunted: int = 0
    severely_stunted: int = 0
    villages: int = 0  # desa with counts
    targeted: int | None = None  # sum over the desa that give a target count
    measured_of_targeted: int = 0  # measured in those same desa
    expected_villages: int = 0  # desa in the region, reporting or not

    @property
    def has_data(self) -> bool:
        return self.villages > 0

    @property
    def villages_percent(self) -> float | None:
        return coverage_percent(self.villages, self.expected_villages)

    @property
    def all_stunted(self) -> int:
        return self.stunted + self.severely_stunted

    @property
    def prevalence(self) -> float | None:
        return coverage_percent(self.all_stunted, self.measured) if self.has_data else None

    @property
    def low_n(self) -> bool:
        return self.has_data and self.measured < low_n_threshold()

    @property
    def measurement_coverage(self) -> float | None:
        return coverage_percent(self.measured_of_targeted, self.targeted)

    @property
    def low_measurement(self) -> bool:
        coverage = self.measurement_coverage
        return coverage is not None and coverage < low_measurement_threshold()


@dataclass(frozen=True)
class AdministrativeBreakdown:
    region: Region | None
    period: str
    periods: list[str]
    total: AdministrativeFigure
    children: list[AdministrativeFigure] = field(default_factory=list)
    updated_at: dt.datetime | None = None

    @property
    def period_label(self) -> str:
        return period_label(self.period)

    @property
    def low_n_threshold(self) -> int:
        return low_n_threshold()

    @property
    def children_with_data(self) -> list[AdministrativeFigure]:
        return [c for c in self.children if c.has_data]

    @property
    def children_without_data(self) -> list[AdministrativeFigure]:
        return [c for c in self.children if not c.has_data]


_CHILD_COLUMN = {
    None: "region__province_code",
    Level.PROVINCE: "region__district_code",
    Level.DISTRICT: "region__subdistrict_code",
    Level.SUBDISTRICT: "region_id",
    Level.VILLAGE: "region_id",
}


def administrative_breakdown(
    *, region: Region | None, period: str, periods: list[str] | None = None
) -> AdministrativeBreakdown:
    """e-PPGBM counts of a region for a period, summed per child region (province → kab/kota
    → kecamatan → desa); a desa shows itself. Two queries: the sums and the child regions."""
    column = _CHILD_COLUMN[None if region is None else Level(region.level)]
    sums = (
        AdministrativeCount.objects.filter(
            _subtree(region), source=AdministrativeSource.EPPGBM, period=period
        )
        .values(column)
        .annotate(
            measured=Sum("measured_count"),
            stunted=Sum("stunted_count"),
            severe=Sum("severely_stunted_count"),
            villages=Count("id"),
            targeted=Sum("targeted_count"),
            measured_of_targeted=Sum("measured_count", filter=Q(targeted_count__isnull=False)),
            updated=Max("updated_at"),
        )
        .order_by(column)
    )
    by_code = {row[column]: row for row in sums}
    if region is not None and region.level == Level.VILLAGE:
        children_regions: list[Region] = []
    else:
        children_regions = list(
            region_children(region).only("code", "name", "level", "kind", "village_count")
        )

    def figure(of: Region | None, rows: list[dict], expected: int) -> AdministrativeFigure:
        targeted = [r["targeted"] for r in rows if r["targeted"] is not None]
        return AdministrativeFigure(
            region=of,
            measured=sum(r["measured"] for r in rows),
            stunted=sum(r["stunted"] for r in rows),
            severely_stunted=sum(r["severe"] for r in rows),
            villages=sum(r["villages"] for r in rows),
            targeted=sum(targeted) if targeted else None,
            measured_of_targeted=sum(r["measured_of_targeted"] or 0 for r in rows),
            expected_villages=expected,
        )

    def villages_in(place: Region) -> int:
        return 1 if place.level == Level.VILLAGE else place.village_count

    children = [
        figure(child, [by_code[child.code]] if child.code in by_code else [], villages_in(child))
        for child in children_regions
    ]
    if region is None:
        expected_total = sum(villages_in(child) for child in children_regions)
    else:
        expected_total = villages_in(region)
    updated = max((r["updated"] for r in by_code.values()), default=None)
    return AdministrativeBreakdown(
        region=region,
        period=period,
        periods=periods if periods is not None else [],
        total=figure(region, list(by_code.values()), expected_total),
        children=children,
        updated_at=updated,
    )
