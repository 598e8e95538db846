"""Aksi Publikasi: national and regional pages without login, small enough for a phone."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from aksi.prevalence import charts as prevalence_charts
from aksi.prevalence import selectors as prevalence
from aksi.public import selectors
from aksi.regions.models import Level, Region
from aksi.regions.selectors import region_ancestors

# Anonymous visitors (and any cache between them and us) may keep a page five minutes: figures
# change by import, a few times a year. Signed-in users get the same page, but only privately.
PUBLIC_MAX_AGE = 300


def _cached(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, max_age=0)
    else:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


def _not_found(request: HttpRequest, code: str) -> HttpResponse:
    response = render(request, "public/not_found.html", {"code": code}, status=404)
    return _cached(request, response)


def _page(request: HttpRequest, region: Region | None) -> HttpResponse:
    try:
        period, periods = prevalence.administrative_period_get(
            region=region, period=request.GET.get("periode") or None
        )
    except Http404:
        return _not_found(request, request.GET.get("periode", ""))
    trend = prevalence.survey_trend(region=region)
    breakdown = (
        prevalence.administrative_breakdown(region=region, period=period, periods=periods)
        if period
        else None
    )
    coverage = selectors.public_coverage(region=region)
    child_view = "public:region" if region is None or region.level != Level.SUBDISTRICT else None
    context = {
        "region": region,
        "ancestors": region_ancestors(region) if region is not None else [],
        "trend": trend,
        "survey_svg": prevalence_charts.survey_chart(trend),
        "survey_children": prevalence.survey_children(region=region),
        "breakdown": breakdown,
        "administrative_svg": (
            prevalence_charts.administrative_chart(breakdown) if breakdown else ""
        ),
        "coverage": coverage,
        "children": selectors.children_for_links(region=region),
        "child_view": child_view,
        "page_view": "public:region",
        "period_options": [(p, prevalence.period_label(p)) for p in periods],
        "data_as_of": selectors.data_timestamp(
            trend.updated_at,
            breakdown.updated_at if breakdown else None,
            coverage.updated_at,
        ),
    }
    return _cached(request, render(request, "public/region.html", context))


@require_GET
def national(request: HttpRequest) -> HttpResponse:
    return _page(request, None)


@require_GET
def region(request: HttpRequest, code: str) -> HttpResponse:
    try:
        place = prevalence.public_region_get(code=code)
    except Http404:
        return _not_found(request, code)
    return _page(request, place)
