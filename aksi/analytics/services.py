"""The coverage read model: rollups kept current by every write, and rebuilt set-based."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from aksi.analytics.models import CoverageRollup
from aksi.analytics.rollup_sql import rollups_recompute
from aksi.core.bulk import insert_rows, update_rows
from aksi.reporting.models import ValueStatus


@dataclass(frozen=True)
class Contribution:
    numerator: int
    denominator: int
    complete: int

    @classmethod
    def of(cls, numerator: int | None, denominator: int | None, status: str) -> Contribution:
        if status != ValueStatus.VALUE or numerator is None or denominator is None:
            return cls(0, 0, 0)
        return cls(numerator, denominator, 1)


def _levels(region_code: str) -> list[str]:
    """The nation, then each ancestor, then the region itself: always in this order, so
    concurrent writers lock shared rows in the same order and cannot deadlock."""
    parts = region_code.split(".")
    return [""] + [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def rollups_apply(
    changes: Iterable[tuple[int, str, str, Contribution, Contribution]],
) -> None:
    """Apply (indicator id, region code, period, old, new) changes to every level above.

    Call inside the transaction of the write. Deltas are summed first, so a bulk import of a
    whole kecamatan touches each ancestor row once.
    """
    deltas: dict[tuple[int, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for indicator_id, region_code, period, old, new in changes:
        delta = (
            new.numerator - old.numerator,
            new.denominator - old.denominator,
            new.complete - old.complete,
        )
        if delta == (0, 0, 0):
            continue
        for code in _levels(region_code):
            row = deltas[(indicator_id, code, period)]
            row[0] += delta[0]
            row[1] += delta[1]
            row[2] += delta[2]
    ordered = sorted(deltas.items(), key=lambda item: (len(item[0][1]), item[0]))
    if len(ordered) > BULK_THRESHOLD:
        _add_bulk(ordered)
        return
    for (indicator_id, code, period), (d_num, d_den, d_count) in ordered:
        _add(indicator_id, code, period, d_num, d_den, d_count)


# A single save touches about five rows: atomic increments, no read. A bulk import touches
# thousands: lock the existing rows once, add in Python, write back in a few statements.
BULK_THRESHOLD = 50


def _add_bulk(ordered: list[tuple[tuple[int, str, str], list[int]]]) -> None:
    indicator_ids = {key[0] for key, _ in ordered}
    codes = {key[1] for key, _ in ordered}
    periods = {key[2] for key, _ in ordered}
    # Plain tuples, not model instances: a bulk import touches thousands of rows.
    existing = {
        (indicator_id, code, period): (pk, numerator, denominator, count)
        for indicator_id, code, period, pk, numerator, denominator, count in (
            CoverageRollup.objects.select_for_update()
            .filter(indicator_id__in=indicator_ids, region_code__in=codes, period__in=periods)
            .order_by("region_code", "indicator_id", "period")
            .values_list(
                "indicator_id",
                "region_code",
                "period",
                "pk",
                "numerator_sum",
                "denominator_sum",
                "complete_count",
            )
        )
    }
    now = timezone.now()
    changed, missing = [], []
    for key, (d_num, d_den, d_count) in ordered:
        row = existing.get(key)
        if row is None:
            missing.append((*key, d_num, d_den, d_count, now))
            continue
        pk, numerator, denominator, count = row
        changed.append((numerator + d_num, denominator + d_den, count + d_count, now, pk))
    update_rows(
        CoverageRollup,
        ["numerator_sum", "denominator_sum", "complete_count", "updated_at"],
        changed,
    )
    if not missing:
        return
    try:
        with transaction.atomic():
            insert_rows(
                CoverageRollup,
                [
                    "indicator_id",
                    "region_code",
                    "period",
                    "numerator_sum",
                    "denominator_sum",
                    "complete_count",
                    "updated_at",
                ],
                missing,
            )
    except IntegrityError:
        # A concurrent writer created some of them: fall back to one increment each.
        for indicator_id, code, period, d_num, d_den, d_count, _now in missing:
            _add(indicator_id, code, period, d_num, d_den, d_count)


def _add(indicator_id: int, code: str, period: str, d_num: int, d_den: int, d_count: int) -> None:
    key = {"indicator_id": indicator_id, "region_code": code, "period": period}
    # update() skips auto_now: set updated_at, the "data as of" time the dashboards show.
    updated = CoverageRollup.objects.filter(**key).update(
        numerator_sum=F("numerator_sum") + d_num,
        denominator_sum=F("denominator_sum") + d_den,
        complete_count=F("complete_count") + d_count,
        updated_at=timezone.now(),
    )
    if updated:
        return
    try:
        with transaction.atomic():
            CoverageRollup.objects.create(
                **key, numerator_sum=d_num, denominator_sum=d_den, complete_count=d_count
            )
    except IntegrityError:
        # Another writer created the row a moment ago: add to it instead.
        CoverageRollup.objects.filter(**key).update(
            numerator_sum=F("numerator_sum") + d_num,
            denominator_sum=F("denominator_sum") + d_den,
            complete_count=F("complete_count") + d_count,
            updated_at=timezone.now(),
        )


@transaction.atomic
def rollups_rebuild(*, period: str | None = None) -> int:
    """Recompute every rollup (or those of one period) from the raw values; returns the rows
    written. Set-based in SQL (`rollup_sql`): constant memory at any size, one transaction."""
    return rollups_recompute(periods=[period] if period else None)


@transaction.atomic
def rollups_differences(*, period: str | None = None) -> list[str]:
    """Rows where the stored rollups differ from a fresh rebuild (empty when consistent)."""
    stored = {
        (r.indicator_id, r.region_code, r.period): (
            r.numerator_sum,
            r.denominator_sum,
            r.complete_count,
        )
        for r in CoverageRollup.objects.filter(Q(period=period) if period else Q())
        if (r.numerator_sum, r.denominator_sum, r.complete_count) != (0, 0, 0)
    }
    sid = transaction.savepoint()
    try:
        rollups_rebuild(period=period)
        fresh = {
            (r.indicator_id, r.region_code, r.period): (
                r.numerator_sum,
                r.denominator_sum,
                r.complete_count,
            )
            for r in CoverageRollup.objects.filter(Q(period=period) if period else Q())
        }
    finally:
        transaction.savepoint_rollback(sid)
    keys = set(stored) | set(fresh)
    return [
        f"{k}: stored {stored.get(k)} rebuilt {fresh.get(k)}"
        for k in sorted(keys, key=str)
        if stored.get(k) != fresh.get(k)
    ]
