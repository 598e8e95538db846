"""Rollups recomputed set-based in SQL, the same sums as `analytics.rollups_rebuild`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.utils import timezone

from aksi.analytics.models import CoverageRollup
from aksi.regions.models import Region
from aksi.reporting.models import CoverageValue, ValueStatus


def _in(values: Sequence[str]) -> str:
    return ", ".join(["%s"] * len(values))


# One GROUP BY per level over the ancestor columns, as analytics.rollups_rebuild does; the
# region's own row only where it is not already one of its ancestor columns (a kabupaten value
# is the kabupaten's rollup).
ROLLUP_LEVELS = (
    ("''", "", ""),
    ("r.province_code", "r.province_code", "AND r.province_code <> ''"),
    ("r.district_code", "r.district_code", "AND r.district_code <> ''"),
    ("r.subdistrict_code", "r.subdistrict_code", "AND r.subdistrict_code <> ''"),
    (
        "v.region_id",
        "v.region_id",
        "AND v.region_id NOT IN (r.province_code, r.district_code, r.subdistrict_code)",
    ),
)


# The same rows from one GROUP BY ROLLUP: the code of the finest grouped column, and the
# grouping sets that ROLLUP_LEVELS leaves out (empty codes, a region that is its own ancestor).
ROLLUP_CODE = (
    "CASE WHEN GROUPING(v.region_id) = 0 THEN v.region_id "
    "WHEN GROUPING(r.subdistrict_code) = 0 THEN r.subdistrict_code "
    "WHEN GROUPING(r.district_code) = 0 THEN r.district_code "
    "WHEN GROUPING(r.province_code) = 0 THEN r.province_code ELSE '' END"
)
ROLLUP_KEEP = (
    "NOT (GROUPING(v.region_id) = 0 "
    "AND v.region_id IN (r.province_code, r.district_code, r.subdistrict_code)) "
    "AND NOT (GROUPING(v.region_id) = 1 AND GROUPING(r.subdistrict_code) = 0 "
    "AND r.subdistrict_code = '') "
    "AND NOT (GROUPING(r.subdistrict_code) = 1 AND GROUPING(r.district_code) = 0 "
    "AND r.district_code = '') "
    "AND NOT (GROUPING(r.district_code) = 1 AND GROUPING(r.province_code) = 0 "
    "AND r.province_code = '')"
)


def rollups_load(*, periods: Sequence[str], prefix: str = "") -> int:
    """Recompute the rollups of `periods` from their values in SQL; returns rows written.

    The same sums as `analytics.services.rollups_rebuild`, without loading rows into Python
    (at national size that is 5 million rollup rows). With a region `prefix`, only the rows
    of that subtree and of its ancestors are recomputed: the rest of the country stays.
    """
    rollup = CoverageRollup._meta.db_table
    value = CoverageValue._meta.db_table
    region = Region._meta.db_table
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    marks = _in(periods)
    parts = prefix.split(".") if prefix else []
    ancestors = [".".join(parts[:i]) for i in range(len(parts))]  # "" (the nation) first
    written = 0
    with connection.cursor() as cursor:
        if not prefix:
            cursor.execute(f"DELETE FROM {rollup} WHERE period IN ({marks})", list(periods))
        else:
            cursor.execute(
                f"DELETE FROM {rollup} WHERE period IN ({marks}) AND (region_code = %s "
                f"OR region_code LIKE %s OR region_code IN ({_in(ancestors)}))",
                [*periods, prefix, f"{prefix}.%", *ancestors],
            )
        insert = (
            f"INSERT INTO {rollup} (indicator_id, region_code, period, numerator_sum, "
            "denominator_sum, complete_count, updated_at) "
        )
        complete = (
            "v.status = %s AND v.numerator IS NOT NULL AND v.denominator IS NOT NULL "
            f"AND v.period IN ({marks})"
        )
        if not prefix and connection.vendor == "postgresql":
            # One pass over the values instead of five: GROUP BY ROLLUP (SQLite has none).
            cursor.execute(
                f"{insert}SELECT v.indicator_id, {ROLLUP_CODE}, v.period, SUM(v.numerator), "
                f"SUM(v.denominator), COUNT(*), %s FROM {value} v JOIN {region} r "
                f"ON r.code = v.region_id WHERE {complete} GROUP BY v.indicator_id, v.period, "
                "ROLLUP (r.province_code, r.district_code, r.subdistrict_code, v.region_id) "
                f"HAVING {ROLLUP_KEEP}",
                [now, ValueStatus.VALUE, *periods],
            )
            return cursor.rowcount
        for select, group, extra in ROLLUP_LEVELS:
            params: list[Any] = [now, ValueStatus.VALUE, *periods]
            if prefix:
                # Values of the subtree, grouped on codes inside it (ancestors follow below).
                extra += f" AND (v.region_id = %s OR v.region_id LIKE %s) AND {select} LIKE %s"
                params += [prefix, f"{prefix}.%", f"{prefix}%"]
            group_by = ", ".join(["v.indicator_id", "v.period"] + ([group] if group else []))
            cursor.execute(
                f"{insert}SELECT v.indicator_id, {select}, v.period, SUM(v.numerator), "
                "SUM(v.denominator), COUNT(*), %s "
                f"FROM {value} v JOIN {region} r ON r.code = v.region_id "
                f"WHERE {complete} {extra} GROUP BY {group_by}",
                params,
            )
            written += cursor.rowcount
        for code in ancestors:
            where, params = (
                ("1 = 1", [])
                if not code
                else ("(v.region_id = %s OR v.region_id LIKE %s)", [code, f"{code}.%"])
            )
            cursor.execute(
                f"{insert}SELECT v.indicator_id, %s, v.period, SUM(v.numerator), "
                f"SUM(v.denominator), COUNT(*), %s FROM {value} v "
                f"WHERE {complete} AND {where} GROUP BY v.indicator_id, v.period",
                [code, now, ValueStatus.VALUE, *periods, *params],
            )
            written += cursor.rowcount
    return written
