"""Reading: the items a user answers for, a kecamatan's grid, history, completeness."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from aksi.catalogue.models import SupportingItem
from aksi.lib.periods import parse_period
from aksi.regions.models import Region
from aksi.regions.selectors import active_regions
from aksi.reporting.models import (
    ReportingDuty,
    ReportingUnit,
    SupportingValue,
    SupportingValueChange,
    UnitKind,
)


def year_items(year: int) -> list[SupportingItem]:
    """The supporting items of the year's catalogue, in catalogue order."""
    return list(
        SupportingItem.objects.filter(catalogue__years__year=year)
        .select_related("catalogue")
        .order_by("order")
    )


def unit_item_ids(*, unit_ids: list[int], subdistrict: Region, period: str) -> set[int] | None:
    """Items the units' duties in a kecamatan expect in the period; None without any duty of
    theirs there in the year (the caller falls back to the units' sectors)."""
    parsed = parse_period(period)
    found = ReportingDuty.objects.filter(
        year=parsed.year, region=subdistrict, unit_id__in=unit_ids
    ).filter(
        Q(period="") | Q(period=parsed.code),
        Q(valid_from__isnull=True) | Q(valid_from__lte=parsed.end),
        Q(valid_to__isnull=True) | Q(valid_to__gte=parsed.start),
    )
    if not ReportingDuty.objects.filter(
        year=parsed.year, region=subdistrict, unit_id__in=unit_ids
    ).exists():
        return None
    return set(
        ReportingDuty.supporting_items.through.objects.filter(reportingduty__in=found).values_list(
            "supportingitem_id", flat=True
        )
    )


def entry_items(
    *, units: list[ReportingUnit], year: int, subdistrict: Region, period: str
) -> list[SupportingItem]:
    """The items the user's units answer for: a kecamatan office (or a user without a unit)
    all of them; a sector unit those of its duties, else those of its sector."""
    items = year_items(year)
    if not units or any(u.kind == UnitKind.SUBDISTRICT_OFFICE for u in units):
        return items
    assigned = unit_item_ids(unit_ids=[u.pk for u in units], subdistrict=subdistrict, period=period)
    if assigned is not None:
        return [i for i in items if i.pk in assigned]
    sectors = {u.sector for u in units}
    return [i for i in items if i.sector in sectors]


@dataclass
class SupportingRow:
    region: Region
    cells: list[tuple[SupportingItem, SupportingValue | None]]


def supporting_grid(
    *, subdistrict: Region, items: Iterable[SupportingItem], period: str
) -> tuple[list[SupportingRow], SupportingRow | None]:
    """Rows per desa for the village items and one row for the kecamatan's own items, in two
    queries."""
    items = list(items)
    village_items = [i for i in items if i.entry_level == SupportingItem.EntryLevel.VILLAGE]
    own_items = [i for i in items if i.entry_level == SupportingItem.EntryLevel.SUBDISTRICT]
    villages = list(active_regions().filter(parent=subdistrict).order_by("code"))
    stored = SupportingValue.objects.filter(
        Q(region__in=villages) | Q(region=subdistrict), period=period, item__in=items
    ).select_related("updated_by")
    by_key = {(v.region_id, v.item_id): v for v in stored}
    rows = [
        SupportingRow(v, [(i, by_key.get((v.code, i.pk))) for i in village_items]) for v in villages
    ]
    own = (
        SupportingRow(subdistrict, [(i, by_key.get((subdistrict.code, i.pk))) for i in own_items])
        if own_items
        else None
    )
    return (rows if village_items else []), own


@dataclass
class HistoryRow:
    item: SupportingItem
    value: SupportingValue | None
    changes: list[SupportingValueChange]


def region_history(*, region: Region, items: list[SupportingItem], period: str) -> list[HistoryRow]:
    """Each item's value in a region with its changes, newest first, in two queries."""
    values = {
        v.item_id: v
        for v in SupportingValue.objects.filter(
            region=region, period=period, item__in=items
        ).select_related("updated_by")
    }
    changes: dict[int, list[SupportingValueChange]] = {}
    for change in SupportingValueChange.objects.filter(value__in=values.values()).select_related(
        "actor"
    ):
        changes.setdefault(change.value_id, []).append(change)
    return [
        HistoryRow(
            item,
            values.get(item.pk),
            changes.get(values[item.pk].pk, []) if item.pk in values else [],
        )
        for item in items
    ]


def completeness(
    *, subdistrict: Region, items: Iterable[SupportingItem], period: str
) -> tuple[int, int]:
    """(filled, expected) supporting values of a kecamatan for the given items."""
    items = list(items)
    village_ids = [i.pk for i in items if i.entry_level == SupportingItem.EntryLevel.VILLAGE]
    own_ids = [i.pk for i in items if i.entry_level == SupportingItem.EntryLevel.SUBDISTRICT]
    filled = SupportingValue.objects.filter(
        Q(region__parent=subdistrict, region__valid_to__isnull=True, item_id__in=village_ids)
        | Q(region=subdistrict, item_id__in=own_ids),
        period=period,
        value__isnull=False,
    ).count()
    return filled, subdistrict.village_count * len(village_ids) + len(own_ids)
