"""Dashboards by role, the scorecard, the table downloads and the PDF report.

Every page takes its region from the URL (none: Indonesia) and its filters from the query
string; an unknown region or period answers 404 with links back, a region outside the user's
view scope 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from aksi.accounts.scopes import view_scope
from aksi.analytics import exports, figures, report, scorecard, selectors, tables
from aksi.analytics.legend import legend
from aksi.catalogue.models import Indicator
from aksi.regions.models import Region
from aksi.review import selectors as review_selectors


@dataclass
class Page:
    region: Region | None
    filters: selectors.Filters
    all_indicators: list[Indicator]
    options: selectors.FilterOptions


class NotFound(Exception):
    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def _not_found(request: HttpRequest, what: str) -> HttpResponse:
    context = {"what": what}
    return render(request, "analytics/not_found.html", context, status=404)


def _page(request: HttpRequest, code: str | None) -> Page:
    try:
        region = selectors.dashboard_region(user=request.user, code=code)
    except Http404:
        raise NotFound(_("There is no region with the code %(code)s.") % {"code": code}) from None
    years = selectors.dashboard_years()
    if not years:
        raise NotFound(_("No reporting year has an indicator catalogue yet."))
    default = int(review_selectors.default_period()[:4])
    try:
        filters = selectors.dashboard_filters(
            params=request.GET.dict(),
            years=years,
            default_year=default if default in years else years[0],
        )
    except selectors.UnknownPeriod as error:
        raise NotFound(
            _("There are no data for the period %(period)s.") % {"period": error}
        ) from None
    indicators = selectors.catalogue_indicators(year=filters.year)
    return Page(
        region=region,
        filters=filters,
        all_indicators=indicators,
        options=selectors.filter_options(years=years, indicators=indicators),
    )


def _base_context(request: HttpRequest, page: Page) -> dict[str, object]:
    return {
        "region": page.region,
        "region_name": tables.region_label(page.region),
        "code": page.region.code if page.region else "",
        "trail": selectors.breadcrumb_trail(user=request.user, region=page.region),
        "national_scope": view_scope(request.user).national,
        "filters": page.filters,
        "query": page.filters.query(),
        "options": page.options,
        "period_parts": [
            ("", _("Whole year")),
            ("S1", _("Semester 1")),
            ("S2", _("Semester 2")),
        ],
        "intervention_types": Indicator.InterventionType.choices,
    }


def _url(name: str, region: Region | None, **kwargs: str) -> str:
    if region is None:
        return reverse(f"analytics:{name}_national", kwargs=kwargs or None)
    return reverse(f"analytics:{name}", kwargs={"code": region.code, **kwargs})


@login_required
@require_GET
def dashboard(request: HttpRequest, code: str | None = None) -> HttpResponse:
    if code is None and not view_scope(request.user).national:
        # A regional user's home is the dashboard of their region (or a choice of them).
        roots = selectors.dashboard_roots(user=request.user)
        if len(roots) == 1:
            target = reverse("analytics:dashboard", args=[roots[0].code])
            query = request.GET.urlencode()
            return redirect(f"{target}?{query}" if query else target)
        return render(request, "analytics/choose.html", {"roots": roots})
    try:
        page = _page(request, code)
    except NotFound as error:
        return _not_found(request, error.what)
    if page.region is not None and page.region.code != code:
        return redirect(f"{_url('dashboard', page.region)}?{page.filters.query()}")
    data = selectors.dashboard_get(
        region=page.region, filters=page.filters, all_indicators=page.all_indicators
    )
    context = _base_context(request, page)
    context.update(
        {
            "dashboard": data,
            "actions": selectors.actions_for_user(user=request.user, period=page.filters.period),
            "coverage_chart": figures.coverage_chart(data),
            "ranking_chart": figures.ranking_chart(data),
            "legend": legend(),
            "bands": {
                row.indicator.pk: legend().band_for(indicator=row.indicator, coverage=row.coverage)
                for row in data.coverage
            },
        }
    )
    return render(request, "analytics/dashboard.html", context)


@login_required
@require_GET
def scorecard_page(request: HttpRequest, code: str | None = None) -> HttpResponse:
    try:
        page = _page(request, code)
    except NotFound as error:
        return _not_found(request, error.what)
    indicators = selectors.indicators_filtered(indicators=page.all_indicators, filters=page.filters)
    card = scorecard.scorecard_get(region=page.region, filters=page.filters, indicators=indicators)
    context = _base_context(request, page)
    context.update({"scorecard": card, "legend": card.legend})
    return render(request, "analytics/scorecard.html", context)


TABLES = ("coverage", "regions", "scorecard", "villages")
FORMATS = ("csv", "xlsx")


@login_required
@require_GET
def export(request: HttpRequest, table: str, fmt: str, code: str | None = None) -> HttpResponse:
    if table not in TABLES or fmt not in FORMATS:
        return _not_found(request, _("There is no such download."))
    try:
        page = _page(request, code)
    except NotFound as error:
        return _not_found(request, error.what)
    filters = page.filters
    indicators = selectors.indicators_filtered(indicators=page.all_indicators, filters=filters)
    if table == "scorecard":
        data = tables.scorecard_table(
            scorecard.scorecard_get(region=page.region, filters=filters, indicators=indicators)
        )
    elif table == "villages":
        data = tables.village_scorecard_table(
            region=page.region,
            filters=filters,
            indicators=indicators,
            as_of=selectors.data_as_of(region=page.region, period=filters.period),
        )
    else:
        board = selectors.dashboard_get(
            region=page.region, filters=filters, all_indicators=page.all_indicators
        )
        data = tables.coverage_table(board) if table == "coverage" else tables.children_table(board)
    filename = f"aksi-{table}-{page.region.code if page.region else 'indonesia'}-{filters.period}"
    response = (
        exports.csv_response(data, filename=filename)
        if fmt == "csv"
        else exports.xlsx_response(data, filename=filename)
    )
    if data.as_of is not None:
        # The data time travels with the file (a CSV has no room for it in its rows).
        response["Last-Modified"] = http_date(data.as_of.timestamp())
    return response


@login_required
@require_GET
def report_pdf(request: HttpRequest, code: str | None = None) -> HttpResponse:
    try:
        page = _page(request, code)
    except NotFound as error:
        return _not_found(request, error.what)
    # The report is yearly: always the whole year, whatever semester the page showed.
    filters = selectors.Filters(
        year=page.filters.year,
        intervention_type=page.filters.intervention_type,
        target_group=page.filters.target_group,
        sector=page.filters.sector,
        indicator=page.filters.indicator,
    )
    board = selectors.dashboard_get(
        region=page.region, filters=filters, all_indicators=page.all_indicators
    )
    card = scorecard.scorecard_get(region=page.region, filters=filters, indicators=board.indicators)
    pdf = report.report_pdf(
        user=request.user,
        dashboard=board,
        scorecard=card,
        base_url=request.build_absolute_uri("/"),
    )
    name = f"aksi-{page.region.code if page.region else 'indonesia'}-{filters.year}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@cache_control(max_age=3600, public=True)
def legend_css(request: HttpRequest) -> HttpResponse:
    """The legend's colours as classes: the CSP allows our stylesheets, not inline styles."""
    return HttpResponse(legend().css(), content_type="text/css; charset=utf-8")
