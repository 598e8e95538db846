from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from aksi.accounts.scopes import entry_scope
from aksi.catalogue.models import Indicator, ReportingYear
from aksi.regions.models import Level, Region
from aksi.regions.selectors import active_regions
from aksi.reporting.models import CoverageValue, CoverageValueChange, ReportingUnit, UnitKind


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


def entry_indicators(*, user: object, year: int) -> list[Indicator]:
    """Village-level indicators of the year the user's units are responsible for."""
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
    sectors = {unit.sector for unit in units}
    if sectors:
        indicators = [i for i in indicators if sectors & set(i.sectors)]
    return indicators


@dataclass
class GridRow:
    village: Region
    cells: list[tuple[Indicator, CoverageValue | None]]


def entry_grid(*, subdistrict: Region, indicators: list[Indicator], period: str) -> list[GridRow]:
    """One row per desa with the saved values, in two queries."""
    villages = list(active_regions().filter(parent=subdistrict).order_by("code"))
    values = CoverageValue.objects.filter(
        region__in=villages, period=period, indicator__in=indicators
    )
    by_key = {(v.region_id, v.indicator_id): v for v in values}
    return [
        GridRow(village, [(i, by_key.get((village.code, i.pk))) for i in indicators])
        for village in villages
    ]


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
