"""Completeness and timeliness of submissions: measured and shown, never blocking."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.utils import timezone

from aksi.catalogue.models import Indicator, Step
from aksi.regions.models import Level, Region
from aksi.reporting import duties
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
    """Filled cells ÷ expected cells: desa × the indicators the kecamatan's reporting duties
    expect in the period (a unit that opened mid-year only from then on). Without duties for
    the year: desa × village-level indicators of the period's catalogue. Only expected cells
    count as filled, so completeness never exceeds 100%."""
    if indicator_ids is None:
        expected = duties.expected_indicator_ids(
            subdistrict_codes=[subdistrict.code], period=period
        )[subdistrict.code]
        indicator_ids = (
            village_indicator_ids(int(period[:4])) if expected is None else sorted(expected)
        )
    filled = CoverageValue.objects.filter(
        FILLED_Q,
        region__parent=subdistrict,
        region__valid_to__isnull=True,
        period=period,
        indicator_id__in=indicator_ids,
    ).count()
    return Completeness(filled, subdistrict.village_count * len(indicator_ids))


def district_completeness(*, district_code: str, period: str) -> dict[str, Completeness]:
    """Completeness of every kecamatan of a kab/kota from their duties, in four queries."""
    subdistricts = list(
        Region.objects.filter(
            parent_id=district_code, level=Level.SUBDISTRICT, valid_to__isnull=True
        ).only("code", "village_count")
    )
    expected = duties.expected_indicator_ids(
        subdistrict_codes=[s.code for s in subdistricts], period=period
    )
    catalogue_ids = set(village_indicator_ids(int(period[:4])))
    wanted = {
        s.code: (catalogue_ids if expected[s.code] is None else expected[s.code])
        for s in subdistricts
    }
    rows = (
        CoverageValue.objects.filter(
            FILLED_Q,
            region__district_code=district_code,
            region__valid_to__isnull=True,
            period=period,
            indicator_id__in=catalogue_ids | {i for ids in wanted.values() if ids for i in ids},
        )
        .values("region__subdistrict_code", "indicator_id")
        .annotate(n=Count("pk"))
    )
    filled: dict[str, int] = {}
    for row in rows:
        code = row["region__subdistrict_code"]
        if row["indicator_id"] in (wanted.get(code) or ()):
            filled[code] = filled.get(code, 0) + row["n"]
    return {
        s.code: Completeness(filled.get(s.code, 0), s.village_count * len(wanted[s.code] or ()))
        for s in subdistricts
    }


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
