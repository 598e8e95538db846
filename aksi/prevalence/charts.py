"""The prevalence charts (survey trend, e-PPGBM by child region), shared by the working and the
public pages; each page also shows the same numbers as a table."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from aksi.lib import charts
from aksi.prevalence.selectors import AdministrativeBreakdown, SurveyTrend


def _name(trend_region: object) -> str:
    return getattr(trend_region, "name", "") or _("Indonesia")


def survey_chart(trend: SurveyTrend) -> SafeString:
    if not trend.figures:
        return mark_safe("")
    svg = charts.line_chart(
        title=_("Stunting prevalence, surveys — %(region)s") % {"region": _name(trend.region)},
        series=trend.series,
        x_labels=[str(year) for year in trend.years],
        target_lines=trend.target_lines,
    )
    # Built by ElementTree from our own numbers and escaped names: safe to inline.
    return mark_safe(svg)  # noqa: S308


def administrative_chart(breakdown: AdministrativeBreakdown) -> SafeString:
    shown = [c for c in breakdown.children if c.has_data and c.region is not None]
    if len(shown) < 2:
        return mark_safe("")
    labels = [
        f"{c.region.name} (N={charts.format_number(c.measured, decimals=0)})"  # type: ignore[union-attr]
        for c in shown
    ]
    svg = charts.bar_chart(
        title=_("e-PPGBM stunting prevalence, %(period)s — %(region)s")
        % {"period": breakdown.period_label, "region": _name(breakdown.region)},
        labels=labels,
        values=[c.prevalence for c in shown],
        horizontal=True,
    )
    return mark_safe(svg)  # noqa: S308
