from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404

from aksi.accounts.scopes import entry_scope, managed_scope
from aksi.catalogue.models import Indicator, ReportingYear, TargetGroup
from aksi.regions.models import Level, Region
from aksi.regions.selectors import active_regions
from aksi.reporting import denominators, duties
from aksi.reporting.models import (
    CoverageValue,
    CoverageValueChange,
    ReportingUnit,
    TargetGroupCount,
    UnitKind,
)


def entry_subdistricts(*, user: object) -> QuerySet[Region]:
    """Kecamatan the user may enter data for (their desa rows)."""
    scope = entry_scope(user)
    return active_regions().filter(scope.q(), level=Level.SUBDISTRICT).select_related("parent")


def entry_subdistrict_get(*, user: object, code: str) -> Region:
    region = entry_subdistricts(user=user).filter(code=code).first()
    if region is None:
        raise Http404(code)
    return region


def user_units(*, user: object) -> list[ReportingUnit]:
    unit_ids = entry_scope(user).unit_ids
    return list(ReportingUnit.objects.filter(pk__in=unit_ids)) if unit_ids else []


def entry_indicators(
    *, user: object, year: int, subdistrict: Region | None = None, period: str = ""
) -> list[Indicator]:
    """Village-level indicators of the year the user's units are responsible for.

    With `subdistrict` and `period`, a sector unit that has reporting duties there gets the
    indicators of its duties open in the period (an admin may have edited them); otherwise,
    the indicators of its sector.
    """
    reporting_year = ReportingYear.objects.filter(year=year).select_related("catalogue").first()
    if reporting_year is None or reporting_year.catalogue is None:
        return []
    indicators = list(
        reporting_year.catalogue.indicators.filter(entry_level=Indicator.EntryLevel.VILLAGE)
        .select_related("target_group")
        .order_by("order")
    )
    units = user_units(user=user)
    # A kecamatan office compiles the whole ansit; sector units enter their own indicators.
    if any(u.kind == UnitKind.SUBDISTRICT_OFFICE for u in units):
        return indicators
    if units and subdistrict is not None and period:
        assigned = duties.unit_indicator_ids(
            unit_ids=[u.pk for u in units], subdistrict=subdistrict, period=period
        )
        if assigned is not None:
            return [i for i in indicators if i.pk in assigned]
    sectors = {unit.sector for unit in units}
    if sectors:
        indicators = [i for i in indicators if sectors & set(i.sectors)]
    return indicators


@dataclass
class GridCell:
    indicator: Indicator
    value: CoverageValue | None
    # The target-group count offered as the denominator (data sasaran), if loaded.
    count: TargetGroupCount | None = None


@dataclass
class GridRow:
    village: Region
    cells: list[tuple[Indicator, CoverageValue | None]]
    entries: list[GridCell] = field(default_factory=list)


def entry_grid(
    *, subdistrict: Region, indicators: list[Indicator], period: str, with_counts: bool = False
) -> list[GridRow]:
    """One row per desa with the saved values, in two queries (three `with_counts`)."""
    villages = list(active_regions().filter(parent=subdistrict).order_by("code"))
    values = CoverageValue.objects.filter(
        region__in=villages, period=period, indicator__in=indicators
    )
    by_key = {(v.region_id, v.indicator_id): v for v in values}
    counts: dict[tuple[str, int], TargetGroupCount] = {}
    if with_counts and indicators and villages:
        counts = denominators.counts_for(
            region_codes=[v.code for v in villages],
            target_group_ids={i.target_group_id for i in indicators if not i.is_binary},
            period=period,
        )
    rows = []
    for village in villages:
        cells = [(i, by_key.get((village.code, i.pk))) for i in indicators]
        entries = [
            GridCell(
                i, value, None if i.is_binary else counts.get((village.code, i.target_group_id))
            )
            for i, value in cells
        ]
        rows.append(GridRow(village, cells, entries))
    return rows


@dataclass
class VillageRow:
    indicator: Indicator
    value: CoverageValue | None
    changes: list[CoverageValueChange]


def village_history(
    *, village: Region, period: str, indicators: list[Indicator]
) -> list[VillageRow]:
    """Each indicator's value of one desa with its change history, in two queries."""
    values = {
        v.indicator_id: v
        for v in CoverageValue.objects.filter(
            region=village, period=period, indicator__in=indicators
        ).select_related("updated_by")
    }
    changes: dict[int, list[CoverageValueChange]] = {}
    for change in CoverageValueChange.objects.filter(value__in=values.values()).select_related(
        "actor", "value"
    ):
        changes.setdefault(change.value.indicator_id, []).append(change)
    return [VillageRow(i, values.get(i.pk), changes.get(i.pk, [])) for i in indicators]


def entry_target_groups(*, year: int) -> list[TargetGroup]:
    """The data-sasaran columns: target groups of the year's village-level indicators, and
    their ancestors defined by age (baduta above its infants), so rules can compare them."""
    groups = {g.pk: g for g in TargetGroup.objects.all()}
    used = set(
        Indicator.objects.filter(
            catalogue__years__year=year,
            entry_level=Indicator.EntryLevel.VILLAGE,
            is_binary=False,
        ).values_list("target_group_id", flat=True)
    )
    wanted = set(used)
    for pk in used:
        parent_id = groups[pk].parent_id
        while parent_id is not None:
            parent = groups[parent_id]
            if parent.age_max_months is not None:
                wanted.add(parent.pk)
            parent_id = parent.parent_id
    return sorted((groups[pk] for pk in wanted), key=lambda g: (g.order, g.code))


@dataclass
class CountGridRow:
    village: Region
    cells: list[tuple[TargetGroup, TargetGroupCount | None]]


def target_group_grid(
    *, subdistrict: Region, target_groups: list[TargetGroup], period: str
) -> list[CountGridRow]:
    """One row per desa with its saved target-group counts, in two queries."""
    villages = list(active_regions().filter(parent=subdistrict).order_by("code"))
    counts = TargetGroupCount.objects.filter(
        region__in=villages, period=period, target_group__in=target_groups
    )
    by_key = {(c.region_id, c.target_group_id): c for c in counts}
    return [
        CountGridRow(village, [(g, by_key.get((village.code, g.pk))) for g in target_groups])
        for village in villages
    ]


def setup_district_get(*, user: object, code: str) -> Region:
    """A kab/kota the user administers (its reporting setup), else 404."""
    region = active_regions().filter(code=code, level=Level.DISTRICT).first()
    if region is None or not managed_scope(user).covers(region.code):
        raise Http404(code)
    return region


def setup_districts(*, user: object) -> QuerySet[Region]:
    """Kab/kota whose reporting setup the user administers."""
    return active_regions().filter(managed_scope(user).q(), level=Level.DISTRICT)


def district_subdistricts(*, district: Region) -> list[Region]:
    """The active kecamatan of a kab/kota the caller already scoped (setup_district_get)."""
    return list(active_regions().filter(parent=district, level=Level.SUBDISTRICT).order_by("code"))
