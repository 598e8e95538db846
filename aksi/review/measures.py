"""Completeness and timeliness of submissions: measured and shown, never blocking."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.utils import timezone

from aksi.catalogue.models import Indicator, Step
from aksi.regions.models import Region
from aksi.reporting.models import CoverageValue, ValueStatus

COVERAGE_STEP_CODE = "1"  # Analisis Situasi: the step that collects coverage per desa

# A cell counts as filled with a numerator, or when marked "not applicable" / "no data".
FILLED_Q = Q(numerator__isnull=False) | ~Q(status=ValueStatus.VALUE)


def coverage_step(year: int) -> Step | None:
    """The step of the year's framework under which coverage data are submitted."""
    return Step.objects.filter(framework__years__year=year, code=COVERAGE_STEP_CODE).first()


def village_indicator_ids(year: int) -> list[int]:
    return list(
        Indicator.objects.filter(
            catalogue__years__year=year, entry_level=Indicator.EntryLevel.VILLAGE
        ).values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class Completeness:
    filled: int
    expected: int

    @property
    def percent(self) -> float | None:
        if not self.expected:
            return None
        return round(self.filled * 100 / self.expected, 1)

    def as_dict(self) -> dict[str, object]:
        return {"filled": self.filled, "expected": self.expected, "percent": self.percent}


def subdistrict_completeness(
    *, subdistrict: Region, period: str, indicator_ids: list[int] | None = None
) -> Completeness:
    """Filled cells ÷ desa × village-level indicators of the period's catalogue."""
    if indicator_ids is None:
        indicator_ids = village_indicator_ids(int(period[:4]))
    filled = CoverageValue.objects.filter(
        FILLED_Q,
        region__parent=subdistrict,
        region__valid_to__isnull=True,
        period=period,
        indicator_id__in=indicator_ids,
    ).count()
    return Completeness(filled, subdistrict.village_count * len(indicator_ids))


def filled_by_subdistrict(*, district_code: str, period: str, indicator_ids: list[int]) -> dict:
    """Filled cells per kecamatan of a kab/kota, in one query."""
    rows = (
        CoverageValue.objects.filter(
            FILLED_Q,
            region__district_code=district_code,
            region__valid_to__isnull=True,
            period=period,
            indicator_id__in=indicator_ids,
        )
        .values("region__subdistrict_code")
        .annotate(n=Count("pk"))
    )
    return {row["region__subdistrict_code"]: row["n"] for row in rows}


def deadline(*, step: Step, region: Region, period: str) -> datetime.datetime | None:
    """The step's default due date in the period's year, end of day in the region's zone."""
    if not step.due_on:
        return None
    month, day = (int(part) for part in step.due_on.split("-"))
    due = datetime.date(int(period[:4]) + step.due_year_offset, month, day)
    return datetime.datetime.combine(due, datetime.time.max, tzinfo=ZoneInfo(region.time_zone))


def is_on_time(*, submitted_at: datetime.datetime | None, due: datetime.datetime | None) -> bool:
    if due is None:
        return submitted_at is not None
    return submitted_at is not None and submitted_at <= due


def days_late(
    *,
    submitted_at: datetime.datetime | None,
    due: datetime.datetime | None,
    now: datetime.datetime | None = None,
) -> int:
    """Whole days (started) past the deadline at the first submission, or till now if none."""
    if due is None:
        return 0
    moment = submitted_at or now or timezone.now()
    if moment <= due:
        return 0
    return math.ceil((moment - due).total_seconds() / 86400)
