"""The yearly PDF report of a region: summary, progress, coverage table, a chart and a map,
rendered by WeasyPrint from an HTML template."""

from __future__ import annotations

import base64
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from aksi.analytics import figures
from aksi.analytics.legend import legend
from aksi.analytics.scorecard import Scorecard
from aksi.analytics.selectors import Actions, Dashboard
from aksi.analytics.tables import region_label


def _data_uri(svg: str) -> str:
    # As an <img>: WeasyPrint sizes an SVG image to the page box reliably.
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def map_svg_or_none(*, user: Any, dashboard: Dashboard) -> str | None:
    """The choropleth of the maps module for the region's first indicator, if that module is
    installed (aksi/analytics/maps.py, written separately); None otherwise."""
    try:
        from aksi.analytics.maps import map_svg  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    indicator = dashboard.ranking_indicator or next(iter(dashboard.indicators), None)
    if indicator is None:
        return None
    return map_svg(
        user=user, region=dashboard.region, indicator=indicator, period=dashboard.filters.period
    )


# Columns per scorecard table: an A4 page holds about a dozen indicators legibly.
SCORE_COLUMNS = 12


def _score_parts(scorecard: Scorecard) -> list[dict[str, Any]]:
    """The scorecard cut into tables of SCORE_COLUMNS indicators each."""
    parts = []
    for start in range(0, len(scorecard.indicators), SCORE_COLUMNS):
        end = start + SCORE_COLUMNS
        parts.append(
            {
                "indicators": scorecard.indicators[start:end],
                "rows": [(row.region, row.cells[start:end]) for row in scorecard.rows],
            }
        )
    return parts


def report_pdf(
    *,
    user: Any,
    dashboard: Dashboard,
    scorecard: Scorecard,
    actions: Actions | None = None,
    base_url: str,
) -> bytes:
    from weasyprint import HTML

    chart = figures.coverage_chart(dashboard)
    map_svg = map_svg_or_none(user=user, dashboard=dashboard)
    context = {
        "dashboard": dashboard,
        "scorecard": scorecard,
        "region_name": region_label(dashboard.region),
        "legend": legend(),
        "legend_css": legend().css(),
        "chart_uri": _data_uri(chart) if chart else "",
        "map_uri": _data_uri(map_svg) if map_svg else "",
        "title": _("Convergence action report %(region)s %(year)s")
        % {"region": region_label(dashboard.region), "year": dashboard.filters.year},
    }
    context["score_parts"] = _score_parts(scorecard)
    html = render_to_string("analytics/report.html", context)
    return HTML(string=html, base_url=base_url).write_pdf()
