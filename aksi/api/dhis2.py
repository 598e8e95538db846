"""DHIS2-compatible data exchange: organisationUnits, dataElements, dataSets, dataValueSets.

Identifiers are our codes whatever `idScheme` says (UID, CODE): regions by their Kemendagri
code (`52.03.07.2001`), data elements by the indicator code and the side of the ratio:
`RP-01.NUM` (numerator) and `RP-01.DEN` (denominator); a yes/no indicator has only `.NUM`
(BOOLEAN). Supporting data items (data pendukung) are data elements under their own code
(`DP-01`), target-group counts (data sasaran) under the group's code after `TG.`
(`TG.pregnant_woman`); a code ending in `.NUM` or `.DEN` is always a coverage side. The
parser sets supporting values and counts aside for their own services (`_exchange`), so the
coverage values stream on unchanged. Periods are DHIS2's: `2025`,
`2025S1`, `2025Q1`, `202507`. Organisation unit levels: 1 provinsi, 2 kabupaten/kota,
3 kecamatan, 4 desa/kelurahan.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Iterator
from typing import Any

import ijson
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Left
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from aksi.accounts.scopes import view_scope
from aksi.api.auth import Principal, principal_from_request
from aksi.catalogue.models import Indicator, IndicatorCatalogue, SupportingItem, TargetGroup
from aksi.core.read_ahead import read_ahead
from aksi.lib.periods import PeriodError, parse_period
from aksi.regions.models import DEPTH_LEVEL, LEVEL_DEPTH, Region
from aksi.regions.selectors import subtree_q
from aksi.reporting.count_imports import target_group_counts_exchange
from aksi.reporting.exchange import (
    CREATE_AND_UPDATE,
    E_DATA_ELEMENT,
    STRATEGIES,
    ExchangeSummary,
    Incoming,
    values_exchange,
)
from aksi.reporting.models import (
    CoverageValue,
    Origin,
    SupportingValue,
    TargetGroupCount,
    ValueStatus,
)
from aksi.reporting.supporting import supporting_values_exchange

NUM, DEN = "NUM", "DEN"
SIDE_OF = {NUM: "numerator", DEN: "denominator"}
CSV_COLUMNS = [
    "dataelement",
    "period",
    "orgunit",
    "categoryoptioncombo",
    "attributeoptioncombo",
    "value",
    "storedby",
    "lastupdated",
    "comment",
    "followup",
    "deleted",
]
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
_CODE = re.compile(r"^(?P<code>.+)\.(?P<side>NUM|DEN)$")
TARGET_GROUP_PREFIX = "TG."
# What a data element that is not a coverage side is: a supporting item or a target group.
SUPPORTING, TARGET_GROUP = "supporting", "target_group"
_ASIDE = frozenset({SUPPORTING, TARGET_GROUP})
TRUE_WORDS, FALSE_WORDS = {"true", "1", "ya", "yes"}, {"false", "0", "tidak", "no"}


# --- helpers ---------------------------------------------------------------------------------


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _message(status: int, message: str) -> JsonResponse:
    names = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found"}
    names |= {405: "Method Not Allowed", 409: "Conflict", 413: "Payload Too Large"}
    names |= {415: "Unsupported Media Type"}
    response = JsonResponse(
        {
            "httpStatus": names.get(status, "Error"),
            "httpStatusCode": status,
            "status": "ERROR",
            "message": message,
        },
        status=status,
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Basic realm="Aksi", charset="UTF-8"'
    return response


def _principal(request: HttpRequest) -> Principal:
    principal = principal_from_request(request)
    if principal is None:
        raise ApiError(401, _("Authentication required: a valid token or user name and password."))
    if principal.token_id is None and "Authorization" not in request.headers:
        # A browser session writes only with its CSRF token, as every form does.
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            if CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, None, (), {}):
                raise ApiError(403, _("CSRF check failed."))
    return principal


def _api_view(view: Any) -> Any:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if any("\x00" in value for values in request.GET.lists() for value in values[1]):
            return _message(400, _("A parameter contains a NUL character."))
        try:
            return view(request, *args, **kwargs)
        except ApiError as error:
            return _message(error.status, str(error))
        except PermissionDenied as denied:
            return _message(403, str(denied) or _("Not allowed."))
        except ValidationError as error:
            return _message(409, " ".join(error.messages))

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return csrf_exempt(wrapped)


def _wants_csv(request: HttpRequest, suffix: str) -> bool:
    if suffix:
        return suffix == "csv"
    return "text/csv" in request.headers.get("Accept", "")


def _bool(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"


def _pager(request: HttpRequest, total: int) -> tuple[dict[str, int], int, int] | None:
    if request.GET.get("paging", "").lower() == "false":
        return None
    try:
        page = max(1, int(request.GET.get("page", 1)))
        size = min(MAX_PAGE_SIZE, max(1, int(request.GET.get("pageSize", DEFAULT_PAGE_SIZE))))
    except ValueError:
        raise ApiError(400, _("page and pageSize are whole numbers.")) from None
    pages = max(1, math.ceil(total / size))
    return {"page": page, "pageCount": pages, "total": total, "pageSize": size}, page, size


def _paged(request: HttpRequest, queryset: QuerySet, key: str, item: Any) -> JsonResponse:
    total = queryset.count()
    pager = _pager(request, total)
    if pager is None:
        if total > settings.AKSI_API_MAX_UNPAGED:
            raise ApiError(
                400,
                _("%(total)s objects: too many without paging; use page and pageSize.")
                % {"total": total},
            )
        return JsonResponse({key: [item(obj) for obj in queryset]})
    meta, page, size = pager
    rows = queryset[(page - 1) * size : page * size]
    return JsonResponse({"pager": meta, key: [item(obj) for obj in rows]})


# --- metadata ----------------------------------------------------------------------------


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


# --- reading data values ---------------------------------------------------------------------


def _value_text(number: int | None, binary: bool) -> str:
    if binary:
        return "true" if number else "false"
    return str(number)


def _row(
    element: str, region: str, period: str, value: str, user: str | None, updated: Any, note: str
) -> dict[str, str]:
    return {
        "dataElement": element,
        "period": period,
        "orgUnit": region,
        "categoryOptionCombo": "default",
        "attributeOptionCombo": "default",
        "value": value,
        "storedBy": user or "",
        "lastUpdated": updated.isoformat(timespec="seconds"),
        "comment": note,
        "followup": "false",
    }


def _coverage_rows(queryset: QuerySet) -> Iterator[dict[str, str]]:
    fields = (
        "indicator__code",
        "indicator__is_binary",
        "region_id",
        "period",
        "numerator",
        "denominator",
        "note",
        "updated_by__username",
        "updated_at",
    )
    for row in queryset.values_list(*fields).iterator(chunk_size=2000):
        code, binary, region, period, numerator, denominator, note, user, updated = row
        sides = ((NUM, numerator),) if binary else ((NUM, numerator), (DEN, denominator))
        for side, number in sides:
            if number is None:
                continue
            yield _row(
                f"{code}.{side}", region, period, _value_text(number, binary), user, updated, note
            )


def _supporting_rows(queryset: QuerySet) -> Iterator[dict[str, str]]:
    fields = (
        "item__code",
        "item__unit",
        "region_id",
        "period",
        "value",
        "note",
        "updated_by__username",
        "updated_at",
    )
    for row in queryset.values_list(*fields).iterator(chunk_size=2000):
        code, unit, region, period, number, note, user, updated = row
        text = _value_text(number, unit == SupportingItem.Unit.YES_NO)
        yield _row(code, region, period, text, user, updated, note)


def _target_group_rows(queryset: QuerySet) -> Iterator[dict[str, str]]:
    fields = ("target_group__code", "region_id", "period", "count", "updated_by__username")
    for row in queryset.values_list(*fields, "updated_at").iterator(chunk_size=2000):
        code, region, period, number, user, updated = row
        # A count has no note of its own.
        yield _row(f"{TARGET_GROUP_PREFIX}{code}", region, period, str(number), user, updated, "")


def _export_rows(querysets: list[tuple[str, QuerySet]]) -> Iterator[dict[str, str]]:
    """Coverage values, then supporting values, then target-group counts, each streamed."""
    rows = {
        "coverage": _coverage_rows,
        SUPPORTING: _supporting_rows,
        TARGET_GROUP: _target_group_rows,
    }
    for kind, queryset in querysets:
        yield from rows[kind](queryset)


def _split_elements(elements: list[str]) -> tuple[set[str], set[str], set[str]]:
    """Data element codes asked for, as indicator, supporting item and target-group codes. A
    code without `.NUM`/`.DEN` names an indicator (both sides) or a supporting item."""
    indicators, items, groups = set(), set(), set()
    for element in elements:
        if element.startswith(TARGET_GROUP_PREFIX):
            groups.add(element.removeprefix(TARGET_GROUP_PREFIX))
        elif (match := _CODE.match(element)) is not None:
            indicators.add(match["code"])
        else:
            indicators.add(element)
            items.add(element)
    return indicators, items, groups


def _set_years(asked: list[str], prefix: str) -> list[str]:
    """The years of the data sets of one kind (`COVERAGE_2025` → 2025) among those asked."""
    return [y for d in asked if d.startswith(prefix) and (y := d.removeprefix(prefix)).isdigit()]


def _values_querysets(request: HttpRequest, principal: Principal) -> list[tuple[str, QuerySet]]:
    """The stored values asked for, per kind of data (coverage, supporting, target groups);
    a kind the data sets or data elements asked for leave out is not read at all."""
    params = request.GET
    org_units = [c for v in params.getlist("orgUnit") for c in v.split(",") if c]
    if not org_units:
        raise ApiError(409, _("At least one orgUnit must be specified."))
    periods = [p for v in params.getlist("period") for p in v.split(",") if p]
    data_sets_asked = [d for v in params.getlist("dataSet") for d in v.split(",") if d]
    elements = [e for v in params.getlist("dataElement") for e in v.split(",") if e]
    if not (periods or params.get("startDate") or params.get("lastUpdated")):
        raise ApiError(409, _("At least one period, startDate or lastUpdated must be specified."))
    scope = view_scope(principal.user)
    children = _bool(params.get("children"))
    where = Q()
    for code in org_units:
        if not scope.covers(code):
            raise ApiError(403, _("%(code)s is outside the regions you may see.") % {"code": code})
        where |= (
            subtree_q(code, prefix="region__") | Q(region_id=code)
            if children
            else Q(region_id=code)
        )
    try:
        parsed = [parse_period(p) for p in periods]
    except PeriodError as error:
        raise ApiError(409, str(error)) from None
    years: list[int] | None = None
    if params.get("startDate") or params.get("endDate"):
        years = list(
            range(
                int((params.get("startDate") or "2000")[:4]),
                int((params.get("endDate") or "2100")[:4]) + 1,
            )
        )
    indicators, items, groups = _split_elements(elements)

    def common(queryset: QuerySet) -> QuerySet:
        queryset = queryset.filter(where)
        if parsed:
            queryset = queryset.filter(period__in=[p.code for p in parsed])
        if params.get("lastUpdated"):
            queryset = queryset.filter(updated_at__date__gte=params["lastUpdated"][:10])
        return queryset

    def wanted(codes: set[str], prefix: str) -> tuple[bool, list[str] | None]:
        """Whether a kind is asked for at all, and the years of its data sets asked (None:
        no data set named)."""
        set_years = _set_years(data_sets_asked, prefix) if data_sets_asked else None
        return (not elements or bool(codes)) and set_years != [], set_years

    querysets: list[tuple[str, QuerySet]] = []
    asked, set_years = wanted(indicators, COVERAGE_SET)
    if asked:
        values = common(CoverageValue.objects.filter(status=ValueStatus.VALUE))
        if years is not None:
            values = values.filter(indicator__catalogue__year__in=years)
        if set_years is not None:
            values = values.filter(indicator__catalogue__year__in=set_years)
        if elements:
            values = values.filter(indicator__code__in=indicators)
        querysets.append(("coverage", values.order_by("region_id", "period", "indicator__code")))
    asked, set_years = wanted(items, SUPPORTING_SET)
    if asked:
        supporting = common(SupportingValue.objects.filter(value__isnull=False))
        if years is not None:
            supporting = supporting.filter(item__catalogue__year__in=years)
        if set_years is not None:
            supporting = supporting.filter(item__catalogue__year__in=set_years)
        if elements:
            supporting = supporting.filter(item__code__in=items)
        querysets.append(
            (SUPPORTING, supporting.order_by("region_id", "period", "item__order", "item__code"))
        )
    asked, set_years = wanted(groups, TARGET_GROUPS_SET)
    if asked:
        counts = common(TargetGroupCount.objects.filter(count__isnull=False))
        if years is not None or set_years is not None:
            # A count belongs to no catalogue: the year of its period decides.
            counts = counts.annotate(period_year=Left("period", 4))
            for limit in (years, set_years):
                if limit is not None:
                    counts = counts.filter(period_year__in=[str(year) for year in limit])
        if elements:
            counts = counts.filter(target_group__code__in=groups)
        querysets.append(
            (
                TARGET_GROUP,
                counts.order_by("region_id", "period", "target_group__order", "target_group__code"),
            )
        )
    return querysets


def _stream_json(rows: Iterable[dict[str, str]]) -> Iterator[str]:
    yield '{"dataValues":['
    first = True
    for row in rows:
        yield ("" if first else ",") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "]}"


def _stream_csv(rows: Iterable[dict[str, str]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    keys = ["dataElement", "period", "orgUnit", "categoryOptionCombo", "attributeOptionCombo"]
    keys += ["value", "storedBy", "lastUpdated", "comment", "followup"]
    for count, row in enumerate(rows, start=1):
        writer.writerow([row[k] for k in keys] + ["false"])
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


# --- receiving data values -------------------------------------------------------------------


def _number(raw: Any, binary: bool) -> int | None:
    """A machine-format value: digits only (DHIS2 sends strings), `true`/`false` for yes/no."""
    if raw is None:
        return None
    if type(raw) is str and raw.isascii() and raw.isdigit():
        return int(raw)  # the common case, first
    if isinstance(raw, bool):
        if binary:
            return int(raw)
        raise ValueError(_("not a whole number"))
    if isinstance(raw, int):
        if raw < 0:
            raise ValueError(_("a count cannot be negative"))
        return raw
    text = str(raw).strip()
    if text == "":
        return None
    if binary and text.lower() in TRUE_WORDS | FALSE_WORDS:
        return 1 if text.lower() in TRUE_WORDS else 0
    if text.isdigit():
        return int(text)
    if text.startswith("-") and text[1:].isdigit():
        raise ValueError(_("a count cannot be negative"))
    raise ValueError(_("not a whole number"))


class _Binaries:
    """Which indicator codes are yes/no and which codes are supporting items (and of those,
    yes/no ones), read once per import before parsing starts; data element codes parsed once.

    The parser sets the supporting values and target-group counts it meets aside here
    (`supporting`, `counts`), for their services once the coverage values are stored.
    """

    def __init__(self) -> None:
        self.codes = set(Indicator.objects.filter(is_binary=True).values_list("code", flat=True))
        self.items: dict[str, bool] = {}  # supporting item code → yes/no (in any catalogue)
        for code, unit in SupportingItem.objects.values_list("code", "unit"):
            self.items[code] = self.items.get(code, False) or unit == SupportingItem.Unit.YES_NO
        self.elements: dict[str, tuple[str, str] | None] = {}
        self.supporting: list[Incoming] = []
        self.counts: list[Incoming] = []

    def element(self, element: str) -> tuple[str, str] | None:
        """(indicator code, side) of a data element code, (item code, SUPPORTING) or (target
        group code, TARGET_GROUP) when it is one of those, None when it is none of them."""
        try:
            return self.elements[element]
        except KeyError:
            match = _CODE.match(element)
            parsed = None if match is None else (match["code"], SIDE_OF[match["side"]])
            if parsed is None and element in self.items:
                parsed = (element, SUPPORTING)
            elif parsed is None and element.startswith(TARGET_GROUP_PREFIX):
                parsed = (element.removeprefix(TARGET_GROUP_PREFIX), TARGET_GROUP)
            if len(self.elements) < 10_000:
                self.elements[element] = parsed
            return parsed

    def set_aside(self, base: Incoming, kind: str, raw: dict[str, Any], deleted: Any) -> None:
        """Keep a supporting value or target-group count (`base` without its number yet)."""
        value = raw.get("value")
        try:
            base.numerator = _number(value, kind == SUPPORTING and self.items[base.indicator_code])
        except ValueError as error:
            base.error = _("%(value)s: %(reason)s") % {"value": value, "reason": error}
        base.delete = base.numerator is None or (
            deleted is not None and str(deleted).lower() == "true"
        )
        (self.supporting if kind == SUPPORTING else self.counts).append(base)


def _field(raw: dict[str, Any], defaults: dict[str, Any], names: tuple[str, ...]) -> Any:
    """The first of `names` the value gives, else the set gives (blank counts as not given)."""
    for name in names:
        value = raw.get(name)
        if value is not None and value != "":
            return value
        value = defaults.get(name)
        if value is not None and value != "":
            return value
    return None


_ELEMENT, _ORG_UNIT = ("dataElement", "dataelement"), ("orgUnit", "orgunit")
_PERIOD, _COMMENT, _DELETED = ("period",), ("comment",), ("deleted",)


def _incoming(
    index: int, raw: dict[str, Any], defaults: dict[str, Any], binaries: _Binaries
) -> Incoming | None:
    """The coverage value of `raw`; None for a supporting value or target-group count, which
    is set aside in `binaries` instead."""
    element = str(_field(raw, defaults, _ELEMENT) or "")
    region = str(_field(raw, defaults, _ORG_UNIT) or "")
    period = str(_field(raw, defaults, _PERIOD) or "")
    parsed = binaries.element(element)
    if parsed is None:
        return Incoming(
            index=index,
            object=element,
            indicator_code="",
            region_code=region,
            period=period,
            error=_(
                "%(element)s is not a data element (use CODE.NUM or CODE.DEN for coverage, a "
                "supporting item's code, or TG. and a target group's code)."
            )
            % {"element": element or "—"},
            error_code=E_DATA_ELEMENT,
            error_property="dataElement",
        )
    code, side = parsed
    comment = _field(raw, defaults, _COMMENT)
    base = Incoming(
        index=index,
        object=element,
        indicator_code=code,
        region_code=region,
        period=period,
        sides=(side,),
        comment=None if comment is None else str(comment),
    )
    if side in _ASIDE:
        binaries.set_aside(base, side, raw, _field(raw, defaults, _DELETED))
        return None
    binary = code in binaries.codes
    if binary and side == "denominator":
        base.error = _("%(code)s is yes/no: it has no denominator.") % {"code": code}
        base.error_code, base.error_property = E_DATA_ELEMENT, "dataElement"
        return base
    value = raw.get("value")
    try:
        number = _number(value, binary)
    except ValueError as error:
        base.error = _("%(value)s: %(reason)s") % {"value": value, "reason": error}
        return base
    deleted = _field(raw, defaults, _DELETED)
    base.delete = number is None or (deleted is not None and str(deleted).lower() == "true")
    if side == "numerator":
        base.numerator = number
    else:
        base.denominator = number
    return base


DEFAULT_KEYS = frozenset({"period", "orgUnit", "dataSet", "attributeOptionCombo"})
# How much of a JSON body is read ahead for the set-level keys before `dataValues`.
PRELUDE_BYTES = 1024 * 1024


class _Replay(io.RawIOBase):
    """The bytes already read from a stream, then the rest of it."""

    def __init__(self, head: bytes, rest: Any) -> None:
        super().__init__()
        self.head, self.rest = memoryview(head), rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.head:
            size = min(len(buffer), len(self.head))
            buffer[:size] = self.head[:size]
            self.head = self.head[size:]
            return size
        return self.rest.readinto(buffer)


def _prelude(stream: Any) -> tuple[bytes, dict[str, Any], bool]:
    """Read the body up to the start of `dataValues` (at most about PRELUDE_BYTES): the bytes
    read, the set-level keys before it, and whether it was found."""
    events = ijson.sendable_list()
    parser = ijson.parse_coro(events, use_float=True)
    head = bytearray()
    defaults: dict[str, Any] = {}
    while len(head) <= PRELUDE_BYTES:
        chunk = stream.read(64 * 1024)
        if not chunk:
            break
        head += chunk
        parser.send(chunk)
        for prefix, event, value in events:
            if prefix == "dataValues" and event == "start_array":
                return bytes(head), defaults, True
            if prefix in DEFAULT_KEYS and event in {"string", "number"}:
                defaults[prefix] = value
        del events[:]
    return bytes(head), defaults, False


def _json_values(stream: Any, binaries: _Binaries) -> Iterator[Incoming]:
    """Data values from a DHIS2 JSON payload, parsed as a stream (constant memory).

    Set-level `period`, `orgUnit`, `attributeOptionCombo` apply to values without their own;
    they must come before `dataValues`, as DHIS2 writes them. The values themselves are built
    by ijson's C parser (`items`) once the keys before them are known.
    """
    try:
        head, defaults, found = _prelude(stream)
        body = _Replay(head, stream)
        if found:
            index = 0
            for raw in ijson.items(body, "dataValues.item", use_float=True):
                if isinstance(raw, dict):
                    incoming = _incoming(index, raw, defaults, binaries)
                    if incoming is not None:
                        yield incoming
                    index += 1
            return
        yield from _json_values_by_event(body, binaries)
    except ijson.JSONError as error:
        raise ApiError(400, _("The body is not valid JSON: %(error)s") % {"error": error}) from None


def _json_values_by_event(stream: Any, binaries: _Binaries) -> Iterator[Incoming]:
    """`_json_values` event by event, for a body whose `dataValues` come late or not at all."""
    defaults: dict[str, Any] = {}
    builder: ijson.ObjectBuilder | None = None
    index = 0
    for prefix, event, value in ijson.parse(stream, use_float=True):
        if builder is not None:
            if prefix == "dataValues.item" and event == "end_map":
                incoming = _incoming(index, builder.value, defaults, binaries)
                if incoming is not None:
                    yield incoming
                index += 1
                builder = None
            else:
                builder.event(event, value)
            continue
        if prefix == "dataValues.item" and event == "start_map":
            builder = ijson.ObjectBuilder()
            builder.event(event, value)
        elif prefix in DEFAULT_KEYS:
            if event in {"string", "number"}:
                defaults[prefix] = value


def _csv_values(stream: Any, binaries: _Binaries) -> Iterator[Incoming]:
    text = io.TextIOWrapper(io.BufferedReader(stream), encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    header = CSV_COLUMNS
    try:
        for number, row in enumerate(reader):
            if not any(cell.strip() for cell in row):
                continue
            if number == 0 and row and row[0].strip().lower().replace("_", "") == "dataelement":
                header = [cell.strip().lower().replace("_", "") for cell in row]
                continue
            raw = dict(zip(header, row, strict=False))
            incoming = _incoming(number, raw, {}, binaries)
            if incoming is not None:
                yield incoming
    except (csv.Error, UnicodeDecodeError) as error:
        raise ApiError(
            400, _("The body is not a readable CSV file: %(error)s") % {"error": error}
        ) from None


class _LimitedStream(io.RawIOBase):
    """The request body, refused once it grows past the API's size limit."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__()
        self.request, self.limit, self.read_bytes = request, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self.request.read(len(buffer))
        self.read_bytes += len(chunk)
        if self.read_bytes > self.limit:
            raise ApiError(
                413,
                _("The payload is larger than %(mb)s MB; send it in parts.")
                % {"mb": self.limit // (1024 * 1024)},
            )
        buffer[: len(chunk)] = chunk
        return len(chunk)


def import_summary(summary: Any) -> dict[str, Any]:
    """DHIS2's import summary (WebMessage with an ImportSummary response)."""
    ok = summary.status == "SUCCESS"
    return {
        "httpStatus": "OK" if ok else "Conflict",
        "httpStatusCode": 200 if ok else 409,
        "status": "OK" if ok else summary.status,
        "message": _("Import was successful.")
        if ok
        else _("One or more conflicts encountered, please check import summary."),
        "response": {
            "responseType": "ImportSummary",
            "status": summary.status,
            "importOptions": {
                "idSchemes": {"idScheme": "CODE"},
                "dryRun": summary.dry_run,
                "importStrategy": summary.strategy,
            },
            "description": _("Import process completed successfully"),
            "importCount": {
                "imported": summary.imported,
                "updated": summary.updated,
                "ignored": summary.ignored,
                "deleted": summary.deleted,
            },
            "conflicts": [conflict.as_dict() for conflict in summary.conflicts],
            "conflictCount": summary.conflict_count,
            "rejectedIndexes": sorted(i for c in summary.conflicts for i in c.indexes),
            "dataSetComplete": "false",
        },
    }


def _exchange(
    *,
    actor: Any,
    binaries: _Binaries,
    incoming: Iterable[Incoming],
    strategy: str,
    dry_run: bool,
    atomic: bool,
) -> ExchangeSummary:
    """Store a data value set: the coverage values through `values_exchange` as they stream
    in, then the supporting values and target-group counts the parser set aside (few, next to
    coverage) through their own services, counted and listed in the same summary. One
    transaction holds them all, so a dry run or atomicMode=ALL covers the whole payload."""
    with transaction.atomic():
        summary = values_exchange(
            actor=actor,
            incoming=incoming,
            strategy=strategy,
            dry_run=dry_run,
            via=Origin.API,
            atomic=atomic,
        )
        # The parser thread has finished: values_exchange read every value it produced.
        if binaries.supporting:
            supporting_values_exchange(actor=actor, values=binaries.supporting, summary=summary)
        if binaries.counts:
            target_group_counts_exchange(actor=actor, values=binaries.counts, summary=summary)
        if dry_run:
            transaction.set_rollback(True)
        elif atomic and summary.conflict_count:
            transaction.set_rollback(True)
            summary.written, summary.rolled_back = 0, True
    return summary


@_api_view
@require_http_methods(["GET", "POST"])
def data_value_sets(request: HttpRequest, suffix: str = "") -> HttpResponse:
    principal = _principal(request)
    if request.method == "GET":
        rows = _export_rows(_values_querysets(request, principal))
        if _wants_csv(request, suffix):
            response = StreamingHttpResponse(_stream_csv(rows), content_type="text/csv")
            response["Content-Disposition"] = 'attachment; filename="dataValueSets.csv"'
            return response
        return StreamingHttpResponse(_stream_json(rows), content_type="application/json")
    content_type = request.content_type or ""
    if content_type not in {"application/json", "text/csv", "application/csv"}:
        raise ApiError(
            415,
            _("Send application/json or text/csv, not %(type)s.") % {"type": content_type or "—"},
        )
    if int(request.headers.get("Content-Length") or 0) > settings.AKSI_API_MAX_BYTES:
        raise ApiError(
            413,
            _("The payload is larger than %(mb)s MB; send it in parts.")
            % {"mb": settings.AKSI_API_MAX_BYTES // (1024 * 1024)},
        )
    strategy = (request.GET.get("importStrategy") or CREATE_AND_UPDATE).upper()
    if strategy not in STRATEGIES:
        raise ApiError(
            409,
            _("importStrategy is one of %(names)s.") % {"names": ", ".join(STRATEGIES)},
        )
    stream = _LimitedStream(request, settings.AKSI_API_MAX_BYTES)
    binaries = _Binaries()
    parse = _json_values if content_type == "application/json" else _csv_values
    summary = _exchange(
        actor=principal.user,
        binaries=binaries,
        incoming=read_ahead(parse(stream, binaries)),
        strategy=strategy,
        dry_run=_bool(request.GET.get("dryRun")),
        atomic=(request.GET.get("atomicMode") or "NONE").upper() == "ALL",
    )
    body = import_summary(summary)
    return JsonResponse(body, status=body["httpStatusCode"])


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
