"""Denominators from target-group data (data sasaran): the prefill and the consistency check.

A coverage denominator defaults to the count of the indicator's target group in the desa
(Dukcapil where loaded, DOMAIN §6.4). The operator may override it; a denominator that differs
from the count by more than AKSI_DENOMINATOR_TOLERANCE_PERCENT (an assumption, kept
configurable) is flagged and needs a reason in the value's comment.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from aksi.catalogue.models import Indicator
from aksi.lib.periods import PeriodError, parse_period
from aksi.reporting.models import CountSource, TargetGroupCount

DEFAULT_TOLERANCE_PERCENT = 10


def tolerance_percent() -> float:
    return float(getattr(settings, "AKSI_DENOMINATOR_TOLERANCE_PERCENT", DEFAULT_TOLERANCE_PERCENT))


def count_periods(period: str) -> list[str]:
    """Periods whose count may serve as the denominator of `period`, best first.

    The same period; for a year its latest semester (Dukcapil publishes per semester); for a
    semester or quarter the year's count.
    """
    try:
        parsed = parse_period(period)
    except PeriodError:
        return [period]
    if parsed.kind == "year":
        return [parsed.code, f"{parsed.year}S2", f"{parsed.year}S1"]
    return [parsed.code, str(parsed.year)]


def denominator_source_of(count: TargetGroupCount) -> str:
    """The coverage value's `denominator_source` when it takes this count."""
    if count.source == CountSource.DUKCAPIL:
        return Indicator.DenominatorSource.DUKCAPIL
    return Indicator.DenominatorSource.TARGET_GROUP_DATA


def counts_for(
    *, region_codes: Iterable[str], target_group_ids: Iterable[int], period: str
) -> dict[tuple[str, int], TargetGroupCount]:
    """The best count per (desa code, target group id) for a coverage period, in one query."""
    periods = count_periods(period)
    rank = {code: i for i, code in enumerate(periods)}
    best: dict[tuple[str, int], TargetGroupCount] = {}
    rows = TargetGroupCount.objects.filter(
        region_id__in=list(region_codes),
        target_group_id__in=list(target_group_ids),
        period__in=periods,
        count__isnull=False,
    )
    for row in rows:
        key = (row.region_id, row.target_group_id)
        held = best.get(key)
        if held is None or rank[row.period] < rank[held.period]:
            best[key] = row
    return best


def count_for(*, region_code: str, target_group_id: int, period: str) -> TargetGroupCount | None:
    found = counts_for(
        region_codes=[region_code], target_group_ids=[target_group_id], period=period
    )
    return found.get((region_code, target_group_id))


def differs(denominator: int, count: int, *, tolerance: float | None = None) -> bool:
    """True when the denominator is further from the count than the tolerance (in % of it)."""
    limit = tolerance_percent() if tolerance is None else tolerance
    if count == 0:
        return denominator != 0
    return abs(denominator - count) * 100 > limit * count


def mismatch_message(*, denominator: int, count: TargetGroupCount) -> str:
    return _(
        "The denominator %(denominator)s differs from the target-group data (%(count)s, "
        "%(period)s) by more than %(tolerance)s%%: give the reason in the village comment."
    ) % {
        "denominator": number_format(denominator, force_grouping=True),
        "count": number_format(count.count, force_grouping=True),
        "period": count.period,
        "tolerance": number_format(tolerance_percent(), 0),
    }
