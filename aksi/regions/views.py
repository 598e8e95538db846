from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from aksi.analytics import selectors as analytics_selectors
from aksi.catalogue import selectors as catalogue_selectors
from aksi.regions import selectors
from aksi.regions.models import Level


@require_GET
def browse(request: HttpRequest, code: str | None = None) -> HttpResponse:
    region = selectors.region_get(code) if code else None
    if region is not None and region.code != code:
        return redirect("regions:detail", code=region.code)
    context: dict[str, object] = {
        "region": region,
        "ancestors": selectors.region_ancestors(region) if region else [],
        "national": selectors.national_summary() if region is None else None,
    }
    if region is not None and region.level == Level.DISTRICT:
        context["groups"] = selectors.villages_by_subdistrict(region)
    else:
        context["children"] = selectors.region_children(region)
    if region is not None and region.level in (Level.DISTRICT, Level.SUBDISTRICT):
        context["units"] = list(region.units.order_by("kind", "name"))
    # Regional coverage is for signed-in users within their view scope (not yet verified data).
    current = (
        catalogue_selectors.current_catalogue_summary() if request.user.is_authenticated else None
    )
    if current is not None:
        context["coverage_period"] = str(current.year)
        context["coverage"] = analytics_selectors.coverage_for_region(
            user=request.user, region=region, period=str(current.year)
        )
    return render(request, "regions/browse.html", context)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    results = selectors.region_search(query) if query else []
    context = {"query": query, "results": results, "limit": selectors.SEARCH_LIMIT}
    template = "regions/search.html#results" if request.htmx else "regions/search.html"
    return render(request, template, context)
