from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.db.models.functions import Length
from django.http import Http404

from aksi.regions.models import Level, Region
from aksi.regions.sources import normalize_code


def active_regions() -> QuerySet[Region]:
    return Region.objects.filter(valid_to__isnull=True)


def subtree_q(code: str, *, prefix: str = "") -> Q:
    """Q matching a region and all its descendants by the stored ancestor columns."""
    depth = code.count(".") + 1
    column = {1: "province_code", 2: "district_code", 3: "subdistrict_code", 4: "code"}[depth]
    return Q(**{f"{prefix}{column}": code})


@dataclass(frozen=True)
class NationalSummary:
    provinces: int
    districts: int
    subdistricts: int
    villages: int


def national_summary() -> NationalSummary:
    counts = dict.fromkeys(Level.values, 0)
    provinces = (
        active_regions()
        .filter(level=Level.PROVINCE)
        .values_list("district_count", "subdistrict_count", "village_count")
    )
    for districts, subdistricts, villages in provinces:
        counts[Level.PROVINCE] += 1
        counts[Level.DISTRICT] += districts
        counts[Level.SUBDISTRICT] += subdistricts
        counts[Level.VILLAGE] += villages
    return NationalSummary(
        provinces=counts[Level.PROVINCE],
        districts=counts[Level.DISTRICT],
        subdistricts=counts[Level.SUBDISTRICT],
        villages=counts[Level.VILLAGE],
    )


def region_get(code: str) -> Region:
    """A region by code (dotted or plain digits), retired ones included; 404 when unknown."""
    try:
        return Region.objects.select_related("parent", "successor").get(code=normalize_code(code))
    except Region.DoesNotExist:
        raise Http404(code) from None


def region_ancestors(region: Region) -> list[Region]:
    codes = region.ancestor_codes
    by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [by_code[c] for c in codes if c in by_code]


def region_children(region: Region | None) -> QuerySet[Region]:
    if region is None:
        return active_regions().filter(level=Level.PROVINCE)
    return active_regions().filter(parent=region)


def villages_by_subdistrict(district: Region) -> list[tuple[Region, list[Region]]]:
    """All desa/kelurahan of a kab/kota grouped by kecamatan, in two queries."""
    subdistricts = list(region_children(district))
    villages = active_regions().filter(district_code=district.code, level=Level.VILLAGE)
    grouped: dict[str, list[Region]] = {s.code: [] for s in subdistricts}
    for village in villages.only("code", "name", "kind", "parent_id"):
        grouped.setdefault(village.parent_id or "", []).append(village)
    return [(s, grouped[s.code]) for s in subdistricts]


SEARCH_LIMIT = 50
_CODE_LIKE = re.compile(r"^[\d.\s]+$")


def region_search(query: str, *, limit: int = SEARCH_LIMIT) -> list[Region]:
    """Regions whose code starts with, or whose name contains, the query; upper levels first."""
    query = " ".join(query.split())
    if len(query) < 2:
        return []
    if _CODE_LIKE.match(query):
        code = normalize_code(query.replace(" ", ""))
        found = active_regions().filter(Q(code=code) | Q(code__startswith=f"{code}."))
    else:
        found = active_regions().filter(name__icontains=query)
    results = list(found.order_by(Length("code"), "name", "code")[:limit])
    ancestor_codes = {code for r in results for code in r.ancestor_codes}
    names = dict(Region.objects.filter(code__in=ancestor_codes).values_list("code", "name"))
    for region in results:
        region.path_names = [names[c] for c in reversed(region.ancestor_codes) if c in names]
    return results
