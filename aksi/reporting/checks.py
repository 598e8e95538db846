"""Outlier checks: shown to the person entering, never blocking (a comment explains them).

Thresholds are settings (AKSI_OUTLIER_*): no official rule exists, so they are assumptions
kept configurable.
"""

from __future__ import annotations

from statistics import median

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from aksi.lib.numbers import coverage_percent
from aksi.reporting.models import CoverageValue, ValueStatus


def outlier_warnings(value: CoverageValue) -> list[str]:
    """Warnings for a saved value: far from its sibling desa, or a big jump from last year."""
    current = value.coverage
    if current is None or value.indicator.is_binary:
        return []
    warnings = []
    siblings = [
        coverage_percent(n, d)
        for n, d in CoverageValue.objects.filter(
            indicator=value.indicator,
            period=value.period,
            region__parent_id=value.region.parent_id,
            status=ValueStatus.VALUE,
        )
        .exclude(pk=value.pk)
        .values_list("numerator", "denominator")
    ]
    others = [c for c in siblings if c is not None]
    if len(others) >= settings.AKSI_OUTLIER_MIN_SIBLINGS:
        middle = median(others)
        spread = median(abs(c - middle) for c in others)
        # Robust z-score (median and median absolute deviation): one odd desa cannot hide it.
        if spread and abs(0.6745 * (current - middle) / spread) > settings.AKSI_OUTLIER_Z:
            warnings.append(
                _("Far from the other villages of the subdistrict (median %(median)s%%).")
                % {"median": number_format(middle, 1)}
            )
    previous = (
        CoverageValue.objects.filter(
            indicator__code=value.indicator.code,
            region_id=value.region_id,
            period=str(int(value.period[:4]) - 1) + value.period[4:],
            status=ValueStatus.VALUE,
        )
        .values_list("numerator", "denominator")
        .first()
    )
    before = coverage_percent(*previous) if previous else None
    if before is not None and abs(current - before) > settings.AKSI_OUTLIER_CHANGE_POINTS:
        warnings.append(
            _("Changed by more than %(points)s points from last year (%(before)s%%).")
            % {
                "points": settings.AKSI_OUTLIER_CHANGE_POINTS,
                "before": number_format(before, 1),
            }
        )
    return warnings
