"""DHIS2 metadata: organisationUnits, dataElements, dataSets, and the user signed in (me)."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aksi.accounts.scopes import view_scope
from aksi.api.dhis2.common import (
    DEN,
    NUM,
    SIDE_OF,
    TARGET_GROUP_PREFIX,
    ApiError,
    _api_view,
    _paged,
    _principal,
)
from aksi.catalogue.models import Indicator, IndicatorCatalogue, SupportingItem, TargetGroup
from aksi.regions.models import DEPTH_LEVEL, LEVEL_DEPTH, Region
from aksi.regions.selectors import subtree_q


def _path(code: str) -> str:
    parts = code.split(".")
    return "/" + "/".join(".".join(parts[:i]) for i in range(1, len(parts) + 1))


def _org_unit(region: Region) -> dict[str, Any]:
    return {
        "id": region.code,
        "code": region.code,
        "name": region.name,
        "displayName": region.name,
        "shortName": region.name[:50],
        "level": LEVEL_DEPTH.get(region.level),
        "path": _path(region.code),
        "parent": {"id": region.parent_id} if region.parent_id else None,
        "openingDate": region.valid_from.isoformat() if region.valid_from else None,
    }


_FILTER = re.compile(r"^(?P<field>[\w.]+):(?P<op>eq|in|ilike|like|\$ilike):(?P<value>.*)$")


def _region_filter(expression: str) -> Q:
    match = _FILTER.match(expression)
    if match is None:
        raise ApiError(400, _("Unsupported filter %(filter)s.") % {"filter": expression})
    field_name, op, value = match["field"], match["op"], match["value"]
    values = value.strip("[]").split(",") if op == "in" else [value]
    if field_name in {"id", "code"}:
        return Q(code__in=values)
    if field_name in {"parent.id", "parent.code"}:
        return Q(parent_id__in=values)
    if field_name == "level":
        try:
            return Q(level__in=[DEPTH_LEVEL[int(v)] for v in values])
        except (KeyError, ValueError):
            raise ApiError(400, _("Levels are 1 to 4.")) from None
    if field_name in {"name", "displayName"}:
        return Q(name__iexact=value) if op == "eq" else Q(name__icontains=value)
    if field_name == "path" and op in {"like", "ilike", "$ilike"}:
        return subtree_q(value.strip("/").split("/")[-1])
    raise ApiError(400, _("Unsupported filter %(filter)s.") % {"filter": expression})


@_api_view
@require_http_methods(["GET"])
def organisation_units(request: HttpRequest, suffix: str = "") -> HttpResponse:
    _principal(request)
    regions = Region.objects.filter(valid_to__isnull=True).order_by("code")
    for expression in request.GET.getlist("filter"):
        regions = regions.filter(_region_filter(expression))
    if request.GET.get("level"):
        regions = regions.filter(_region_filter(f"level:eq:{request.GET['level']}"))
    return _paged(request, regions, "organisationUnits", _org_unit)


@_api_view
@require_http_methods(["GET"])
def organisation_unit(request: HttpRequest, code: str, suffix: str = "") -> HttpResponse:
    _principal(request)
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ApiError(404, _("No organisation unit %(code)s.") % {"code": code})
    return JsonResponse(_org_unit(region))


def _catalogue(request: HttpRequest) -> IndicatorCatalogue:
    catalogues = IndicatorCatalogue.objects.filter(status=IndicatorCatalogue.Status.PUBLISHED)
    year = request.GET.get("year")
    if year:
        found = catalogues.filter(year=year).first() if year.isdigit() else None
        if found is None:
            raise ApiError(404, _("No published catalogue for %(year)s.") % {"year": year})
        return found
    found = catalogues.order_by("-year").first()
    if found is None:
        raise ApiError(404, _("No published catalogue yet."))
    return found


def data_element_code(indicator: Indicator, side: str) -> str:
    return f"{indicator.code}.{side}"


def _data_elements(indicator: Indicator) -> list[dict[str, Any]]:
    sides = [NUM] if indicator.is_binary else [NUM, DEN]
    rows = []
    for side in sides:
        if side == NUM:
            label = _("numerator") if not indicator.is_binary else _("yes/no")
            definition = indicator.numerator_definition
        else:
            label, definition = _("denominator"), indicator.denominator_definition
        code = data_element_code(indicator, side)
        rows.append(
            {
                "id": code,
                "code": code,
                "name": f"{indicator.code} {indicator.name} ({label})",
                "shortName": f"{indicator.code} {label}"[:50],
                "description": definition,
                "valueType": "BOOLEAN" if indicator.is_binary else "INTEGER_ZERO_OR_POSITIVE",
                "aggregationType": "SUM",
                "domainType": "AGGREGATE",
                "periodType": "Yearly",
                "zeroIsSignificant": True,
                "indicator": {"code": indicator.code, "side": SIDE_OF[side]},
                "categoryCombo": {"id": "default"},
            }
        )
    return rows


# The organisation unit level of the regions a supporting item is entered for.
_ITEM_LEVEL: dict[str, int] = {
    SupportingItem.EntryLevel.VILLAGE: 4,
    SupportingItem.EntryLevel.SUBDISTRICT: 3,
}


def _item_level_text(item: SupportingItem) -> str:
    if item.entry_level == SupportingItem.EntryLevel.SUBDISTRICT:
        return _("per kecamatan (organisation unit level 3)")
    return _("per desa (organisation unit level 4)")


def _unit_text(unit: str) -> str:
    if unit == SupportingItem.Unit.YES_NO:
        return _("yes/no (true/false, or 1/0)")
    if unit == SupportingItem.Unit.RUPIAH:
        return _("an amount in whole rupiah")
    return _("a count (a whole number, 0 or more)")


def supporting_element(item: SupportingItem) -> dict[str, Any]:
    """The data element of a supporting item: its own code."""
    description = _("Supporting data (data pendukung), entered %(level)s, as %(unit)s.") % {
        "level": _item_level_text(item),
        "unit": _unit_text(item.unit),
    }
    if item.help_text:
        description = f"{description} {item.help_text}"
    return {
        "id": item.code,
        "code": item.code,
        "name": f"{item.code} {item.name}",
        "shortName": f"{item.code} {item.name}"[:50],
        "description": description,
        "valueType": "BOOLEAN"
        if item.unit == SupportingItem.Unit.YES_NO
        else "INTEGER_ZERO_OR_POSITIVE",
        "aggregationType": "SUM",
        "domainType": "AGGREGATE",
        "periodType": "Yearly",
        "zeroIsSignificant": True,
        "supportingItem": {
            "code": item.code,
            "unit": item.unit,
            "entryLevel": item.entry_level,
            "orgUnitLevel": _ITEM_LEVEL[item.entry_level],
            "sector": item.sector,
            "source": item.source,
        },
        "categoryCombo": {"id": "default"},
    }


def target_group_element_code(group: TargetGroup) -> str:
    return f"{TARGET_GROUP_PREFIX}{group.code}"


def target_group_element(group: TargetGroup) -> dict[str, Any]:
    """The data element of a target group's count: its code after `TG.`."""
    code = target_group_element_code(group)
    description = _(
        "Target-group data (data sasaran): how many %(group)s, entered %(level)s, as %(unit)s."
    ) % {
        "group": group.name,
        "level": _("per desa (organisation unit level 4)"),
        "unit": _unit_text(SupportingItem.Unit.COUNT),
    }
    if group.description:
        description = f"{description} {group.description}"
    return {
        "id": code,
        "code": code,
        "name": f"{code} {group.name}",
        "shortName": f"{code} {group.name}"[:50],
        "description": description,
        "valueType": "INTEGER_ZERO_OR_POSITIVE",
        "aggregationType": "SUM",
        "domainType": "AGGREGATE",
        "periodType": "Yearly",
        "zeroIsSignificant": True,
        "targetGroup": {
            "code": group.code,
            "unit": SupportingItem.Unit.COUNT,
            "entryLevel": SupportingItem.EntryLevel.VILLAGE,
            "orgUnitLevel": 4,
        },
        "categoryCombo": {"id": "default"},
    }


@_api_view
@require_http_methods(["GET"])
def data_elements(request: HttpRequest, suffix: str = "") -> HttpResponse:
    _principal(request)
    catalogue = _catalogue(request)
    rows = [
        row
        for indicator in catalogue.indicators.order_by("order", "code")
        for row in _data_elements(indicator)
    ]
    rows += [
        supporting_element(item) for item in catalogue.supporting_items.order_by("order", "code")
    ]
    rows += [target_group_element(group) for group in TargetGroup.objects.order_by("order", "code")]
    return JsonResponse({"catalogue": catalogue.year, "dataElements": rows})


COVERAGE_SET, SUPPORTING_SET, TARGET_GROUPS_SET = "COVERAGE_", "SUPPORTING_", "TARGET_GROUPS_"


def data_set_code(year: int) -> str:
    return f"{COVERAGE_SET}{year}"


@_api_view
@require_http_methods(["GET"])
def data_sets(request: HttpRequest, suffix: str = "") -> HttpResponse:
    _principal(request)
    catalogues = IndicatorCatalogue.objects.filter(status=IndicatorCatalogue.Status.PUBLISHED)
    groups = [
        {"dataElement": {"id": target_group_element_code(group)}}
        for group in TargetGroup.objects.order_by("order", "code")
    ]
    rows = []
    for catalogue in catalogues.order_by("year").prefetch_related("indicators", "supporting_items"):
        year = catalogue.year
        elements = [
            {"dataElement": {"id": row["id"]}}
            for indicator in catalogue.indicators.all()
            for row in _data_elements(indicator)
        ]
        rows.append(
            {
                "id": data_set_code(year),
                "code": data_set_code(year),
                "name": _("Service coverage %(year)s") % {"year": year},
                "periodType": "Yearly",
                "dataSetElements": elements,
            }
        )
        items = [{"dataElement": {"id": item.code}} for item in catalogue.supporting_items.all()]
        if items:
            rows.append(
                {
                    "id": f"{SUPPORTING_SET}{year}",
                    "code": f"{SUPPORTING_SET}{year}",
                    "name": _("Supporting data %(year)s") % {"year": year},
                    "periodType": "Yearly",
                    "dataSetElements": items,
                }
            )
        rows.append(
            {
                "id": f"{TARGET_GROUPS_SET}{year}",
                "code": f"{TARGET_GROUPS_SET}{year}",
                "name": _("Target-group data %(year)s") % {"year": year},
                "periodType": "Yearly",
                "dataSetElements": groups,
            }
        )
    return JsonResponse({"dataSets": rows})


@_api_view
@require_http_methods(["GET"])
def me(request: HttpRequest, suffix: str = "") -> HttpResponse:
    principal = _principal(request)
    user = principal.user
    scope = view_scope(user)
    return JsonResponse(
        {
            "id": user.pk,
            "username": user.get_username(),
            "name": user.get_full_name(),
            "organisationUnits": [{"id": code} for code in scope.roots]
            if not scope.national
            else [{"id": "ID", "name": "Indonesia"}],
        }
    )
