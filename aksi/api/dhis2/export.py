"""GET dataValueSets: the stored values asked for, streamed as DHIS2 JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Left
from django.http import HttpRequest
from django.utils.translation import gettext as _

from aksi.accounts.scopes import view_scope
from aksi.api.auth import Principal
from aksi.api.dhis2.common import (
    _CODE,
    CSV_COLUMNS,
    DEN,
    NUM,
    SUPPORTING,
    TARGET_GROUP,
    TARGET_GROUP_PREFIX,
    ApiError,
    _bool,
)
from aksi.api.dhis2.metadata import COVERAGE_SET, SUPPORTING_SET, TARGET_GROUPS_SET
from aksi.catalogue.models import SupportingItem
from aksi.lib.periods import PeriodError, parse_period
from aksi.regions.selectors import subtree_q
from aksi.reporting.models import CoverageValue, SupportingValue, TargetGroupCount, ValueStatus


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
