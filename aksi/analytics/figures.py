"""The dashboard's charts, drawn by the shared chart module (aksi/lib/charts.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from aksi.analytics.selectors import Dashboard
from aksi.lib import charts


def coverage_chart(dashboard: Dashboard) -> str:
    """Coverage per indicator (horizontal bars); the table beside it carries the targets."""
    rows = [row for row in dashboard.coverage if row.coverage is not None]
    if not rows:
        return ""
    return charts.bar_chart(
        title=_("Coverage per indicator, %(period)s") % {"period": dashboard.filters.period},
        labels=[row.indicator.code for row in rows],
        values=[row.coverage for row in rows],
        horizontal=True,
    )


def ranking_chart(dashboard: Dashboard) -> str:
    """Coverage of the ranking indicator per child region, against its national target."""
    indicator = dashboard.ranking_indicator
    rows = [row for row in dashboard.children if row.coverage is not None]
    if indicator is None or not rows:
        return ""
    target = indicator.national_target
    return charts.bar_chart(
        title=_("%(code)s by region, %(period)s")
        % {"code": indicator.code, "period": dashboard.filters.period},
        labels=[row.region.name for row in rows],
        values=[row.coverage for row in rows],
        target=float(target) if target is not None else None,
        horizontal=True,
    )
