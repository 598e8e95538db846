"""Every benchmark against a baseline measured in the same run, on a synthetic dataset.

    python -m benchmarks [--size kabupaten|province|national] [--region CODE] [--smoke]
                         [--only NAME[,NAME]] [--no-write]

Without DATABASE_URL it builds a throw-away SQLite database under a temporary AKSI_HOME; with
DATABASE_URL it uses (and fills) that database: give it one of its own. Prints a table and,
unless --smoke or --no-write, replaces the rows of the same benchmark, database and size in
docs/performance.md. Names: synth, bulk_load, reupload, cell_save, dashboard, rebuild, writers,
exports, excel_upload.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import multiprocessing
import os
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

NAMES = (
    "synth",
    "bulk_load",
    "reupload",
    "cell_save",
    "dashboard",
    "rebuild",
    "writers",
    "exports",
    "excel_upload",
    "api_import",
)
DOC = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
START, END = "<!-- benchmarks:start -->", "<!-- benchmarks:end -->"
RAW = "bench_raw_value"


@dataclass
class Row:
    name: str
    figure: str
    baseline: str
    ratio: float | None
    goal: str = ""
    met: bool | None = None

    @property
    def verdict(self) -> str:
        if self.met is None:
            return "—"
        return f"met ({self.ratio:.2f})" if self.met else f"**not met** ({self.ratio:.2f})"


@dataclass
class Context:
    size: str
    scope: Any  # aksi.synth.services.Scope
    seed: int
    smoke: bool
    year: int
    writers: int
    operator: Any = None
    raw_seconds: float = 0.0  # raw COPY of the synthetic village rows
    raw_rows: int = 0
    parquet: str = ""  # the raw values exported by `dashboard`, reused by `rebuild`


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


def _database() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    version = connection.cursor().connection.info.server_version
    return f"PostgreSQL {version // 10000}.{version % 10000}"


# --- the raw baseline table: the same primary key as coverage values, nothing else ---------


def _raw_table() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {RAW}")
        cursor.execute(
            f"CREATE TABLE {RAW} (indicator_id bigint NOT NULL, region_id varchar(13) NOT NULL, "
            "period varchar(8) NOT NULL, numerator bigint, denominator bigint, "
            "PRIMARY KEY (indicator_id, region_id, period))"
        )


def _village_rows(ctx: Context) -> Iterator[tuple[int, str, str, int, int]]:
    """The synthetic village values of the year (what an upload carries), streamed."""
    from aksi.catalogue.models import Indicator
    from aksi.synth.generators import value_rows

    indicators = list(
        Indicator.objects.filter(
            catalogue__year=ctx.year, entry_level=Indicator.EntryLevel.VILLAGE
        ).order_by("order")
    )
    rows = value_rows(scope=ctx.scope, year=ctx.year, seed=ctx.seed, indicators=indicators)
    # A generator expression: the query above has run before a COPY takes the connection.
    return (row[:5] for row in rows)


def _copy_raw(rows: Iterator[tuple[Any, ...]]) -> int:
    """Raw psycopg COPY (PostgreSQL) or one executemany per 20,000 rows (SQLite)."""
    from django.db import transaction

    from aksi.synth.services import _stream

    with transaction.atomic():
        return _stream(
            RAW, ["indicator_id", "region_id", "period", "numerator", "denominator"], rows
        )


# --- benchmarks ------------------------------------------------------------------------------


def bench_synth(ctx: Context) -> list[Row]:
    from aksi.synth import services

    started = time.perf_counter()
    result = services.synth_generate(
        size=ctx.size,
        region_code=ctx.scope.prefix or None,
        seed=ctx.seed,
        years=[ctx.year],
        replace=True,
    )
    seconds = time.perf_counter() - started
    _raw_table()
    started = time.perf_counter()
    ctx.raw_rows = _copy_raw(_village_rows(ctx))
    ctx.raw_seconds = time.perf_counter() - started
    _unlock(ctx)
    national = ctx.size == "national"
    return [
        Row(
            "synth: generate values, submissions, users, rollups",
            f"{result.values:,} values, {result.rollups:,} rollups in {seconds:.1f} s",
            f"raw COPY of {ctx.raw_rows:,} rows: {ctx.raw_seconds:.1f} s",
            seconds / ctx.raw_seconds,
            "national in minutes (< 10 min)" if national else "",
            seconds < 600 if national else None,
        )
    ]


def _unlock(ctx: Context) -> None:
    # The benchmarks write values: the synthetic submissions would lock most kecamatan.
    from django.db import connection

    from aksi.review.models import Submission, SubmissionEvent

    where, params = ctx.scope.sql("region_id")
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {SubmissionEvent._meta.db_table} WHERE submission_id IN "
            f"(SELECT id FROM {Submission._meta.db_table} WHERE {where})",
            params,
        )
        cursor.execute(f"DELETE FROM {Submission._meta.db_table} WHERE {where}", params)


def _import_by_kecamatan(
    ctx: Context, rows: Iterator[tuple[int, str, str, int | None, int | None]]
) -> int:
    """Feed rows (in region order) to the real import, one kecamatan and period at a time."""
    from aksi.regions.models import Region
    from aksi.reporting.imports import CellPair, coverage_values_import

    written = 0
    current = ""
    cells: dict[str, list[CellPair]] = {}

    def flush() -> int:
        if not cells:
            return 0
        subdistrict = Region.objects.get(code=current)
        count = 0
        for period, pairs in cells.items():
            report = coverage_values_import(
                actor=ctx.operator, subdistrict=subdistrict, period=period, cells=pairs, apply=True
            )
            assert report.is_valid, report.listed[:3]
            count += report.written
        return count

    for indicator_id, region, period, numerator, denominator in rows:
        if region[:8] != current:
            written += flush()
            current, cells = region[:8], {}
        cells.setdefault(period, []).append(CellPair(region, indicator_id, numerator, denominator))
    written += flush()
    return written


def bench_bulk_load(ctx: Context) -> list[Row]:
    from aksi.synth import services
    from aksi.synth.generators import SEMESTERS

    periods = [f"{ctx.year}{s}" for s in SEMESTERS]
    services._delete_existing(scope=ctx.scope, periods=periods)
    services.rollups_load(periods=periods)
    started = time.perf_counter()
    written = _import_by_kecamatan(ctx, _village_rows(ctx))
    seconds = time.perf_counter() - started
    ratio = seconds / ctx.raw_seconds
    return [
        Row(
            "bulk load of a year through the validating import",
            f"{written:,} values in {seconds:.1f} s ({written / seconds:,.0f}/s)",
            f"raw COPY into same PK: {ctx.raw_seconds:.1f} s",
            ratio,
            "≤ 3×",
            ratio <= 3,
        )
    ]


def bench_reupload(ctx: Context) -> list[Row]:
    from django.db import connection, transaction

    from aksi.reporting.models import CoverageValue

    district = ctx.scope.districts[0]
    period = f"{ctx.year}S2"
    changed = [
        (ind, region, period, (1 - num) if binary else (num * 9) // 10, den if binary else den + 1)
        for ind, region, num, den, binary in CoverageValue.objects.filter(
            region__district_code=district, period=period, indicator__entry_level="village"
        )
        .order_by("region_id", "indicator_id")
        .values_list(
            "indicator_id", "region_id", "numerator", "denominator", "indicator__is_binary"
        )
    ]
    started = time.perf_counter()
    written = _import_by_kecamatan(ctx, iter(changed))
    seconds = time.perf_counter() - started
    # Baseline: stage the same rows with COPY, then one upsert into the raw table.
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE bench_stage AS SELECT * FROM {RAW} WHERE 1 = 0")
        from aksi.synth.services import _stream

        _stream(
            "bench_stage",
            ["indicator_id", "region_id", "period", "numerator", "denominator"],
            iter(changed),
        )
        cursor.execute(
            f"INSERT INTO {RAW} SELECT * FROM bench_stage WHERE true "
            "ON CONFLICT (indicator_id, region_id, period) DO UPDATE SET "
            "numerator = excluded.numerator, denominator = excluded.denominator"
        )
        cursor.execute("DROP TABLE bench_stage")
    baseline = time.perf_counter() - started
    return [
        Row(
            f"re-upload of one kabupaten ({district}, {period})",
            f"{written:,} changed values in {seconds:.2f} s",
            f"staged COPY + INSERT … ON CONFLICT: {baseline:.2f} s",
            seconds / baseline,
        )
    ]


def _sample_values(ctx: Context, count: int, seed: int) -> list[Any]:
    from aksi.reporting.models import CoverageValue

    where = CoverageValue.objects.filter(
        period=f"{ctx.year}S2", indicator__entry_level="village", indicator__is_binary=False
    )
    if ctx.scope.prefix:
        where = where.filter(region__code__startswith=ctx.scope.prefix)
    ids = list(where.values_list("id", flat=True)[:50_000])
    picked = random.Random(seed).sample(ids, min(count, len(ids)))
    return list(
        CoverageValue.objects.filter(id__in=picked).select_related("indicator__catalogue", "region")
    )


def bench_cell_save(ctx: Context) -> list[Row]:
    from django.db import connection, transaction

    from aksi.reporting.models import CoverageValue
    from aksi.reporting.services import coverage_value_save

    values = _sample_values(ctx, 20 if ctx.smoke else 300, seed=5)
    saves = []
    for value in values:
        started = time.perf_counter()
        coverage_value_save(
            actor=ctx.operator,
            indicator=value.indicator,
            region=value.region,
            period=value.period,
            numerator=max(0, (value.numerator or 0) - 1),
            denominator=value.denominator,
        )
        saves.append(time.perf_counter() - started)
    # Baseline: the statements a save needs, hand-written: lock and update the value, one
    # history row, one increment per ancestor rollup row, in one transaction.
    from aksi.analytics.models import CoverageRollup
    from aksi.reporting.models import CoverageValueChange

    updates = []
    table = CoverageValue._meta.db_table
    history = CoverageValueChange._meta.db_table
    rollup = CoverageRollup._meta.db_table
    now = connection.ops.adapt_datetimefield_value(dt.datetime.now(dt.UTC))
    for value in values:
        parts = value.region_id.split(".")
        levels = [""] + [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""
            cursor.execute(f"SELECT numerator FROM {table} WHERE id = %s{lock}", [value.pk])
            cursor.execute(
                f"UPDATE {table} SET numerator = %s, version = version + 1 WHERE id = %s",
                [value.numerator, value.pk],
            )
            cursor.execute(
                f"INSERT INTO {history} (value_id, changed_at, actor_id, via, old_numerator, "
                "old_denominator, old_status, new_numerator, new_denominator, new_status, note) "
                "VALUES (%s, %s, NULL, 'entered', %s, %s, 'value', %s, %s, 'value', '')",
                [value.pk, now, value.numerator, value.denominator, value.numerator,
                 value.denominator],
            )  # fmt: skip
            for code in levels:
                cursor.execute(
                    f"UPDATE {rollup} SET numerator_sum = numerator_sum + 1 WHERE "
                    "indicator_id = %s AND region_code = %s AND period = %s",
                    [value.indicator_id, code, value.period],
                )
        updates.append(time.perf_counter() - started)
    return [
        Row(
            "one cell save with all ancestor rollups (p50 / p95)",
            f"{_ms(_p(saves, 0.5))} / {_ms(_p(saves, 0.95))}",
            f"the same statements in SQL: {_ms(_p(updates, 0.5))} / {_ms(_p(updates, 0.95))}",
            _p(saves, 0.95) / _p(updates, 0.95),
        )
    ]


def _export_parquet(folder: str) -> str:
    """Raw values with their ancestor codes, streamed to CSV, then to Parquet by DuckDB."""
    import duckdb
    from django.db import connection

    from aksi.regions.models import Region
    from aksi.reporting.models import CoverageValue

    path = os.path.join(folder, "values.csv")
    with open(path, "w", newline="") as out, connection.cursor() as cursor:
        writer = csv.writer(out)
        writer.writerow(["indicator_id", "region_id", "province_code", "district_code",
                         "subdistrict_code", "period", "numerator", "denominator"])  # fmt: skip
        cursor.execute(
            "SELECT v.indicator_id, v.region_id, r.province_code, r.district_code, "
            "r.subdistrict_code, v.period, v.numerator, v.denominator "
            f"FROM {CoverageValue._meta.db_table} v JOIN {Region._meta.db_table} r "
            "ON r.code = v.region_id WHERE v.status = 'value' AND v.numerator IS NOT NULL "
            "AND v.denominator IS NOT NULL"
        )
        while batch := cursor.fetchmany(20_000):
            writer.writerows(batch)
    parquet = os.path.join(folder, "values.parquet")
    duckdb.sql(
        f"COPY (SELECT * FROM read_csv('{path}', all_varchar=false, types={{'region_id': "
        "'VARCHAR', 'province_code': 'VARCHAR', 'district_code': 'VARCHAR', "
        f"'subdistrict_code': 'VARCHAR', 'period': 'VARCHAR'}})) TO '{parquet}' (FORMAT parquet)"
    )
    os.remove(path)
    return parquet


def bench_dashboard(ctx: Context) -> list[Row]:
    import duckdb

    from aksi.analytics.models import CoverageRollup
    from aksi.catalogue.models import Indicator
    from aksi.regions.models import Level, Region

    folder = tempfile.mkdtemp(prefix="aksi-bench-parquet-")
    started = time.perf_counter()
    parquet = _export_parquet(folder)
    export_seconds = time.perf_counter() - started
    duck_db = duckdb.connect()
    duck_db.execute(f"CREATE VIEW v AS SELECT * FROM read_parquet('{parquet}')")
    period = f"{ctx.year}S2"
    indicator = (
        Indicator.objects.filter(catalogue__year=ctx.year, entry_level="village", is_binary=False)
        .order_by("order")
        .first()
    )
    province = ctx.scope.provinces[0] if ctx.scope.provinces else ctx.scope.prefix[:2]
    subdistrict = ctx.scope.subdistricts[len(ctx.scope.subdistricts) // 2]

    def children(parent: str | None, level: str) -> list[str]:
        # As regions.selectors.region_children: by parent (its index), the level only at the top.
        regions = Region.objects.filter(valid_to__isnull=True)
        regions = regions.filter(parent_id=parent) if parent else regions.filter(level=level)
        return list(regions.values_list("code", flat=True))

    def rollups(parent: str | None, level: str, all_indicators: bool = False) -> int:
        rows = CoverageRollup.objects.filter(period=period, region_code__in=children(parent, level))
        if not all_indicators:
            rows = rows.filter(indicator_id=indicator.pk)
        return len(list(rows.values_list("indicator_id", "region_code", "numerator_sum",
                                         "denominator_sum", "complete_count")))  # fmt: skip

    def from_parquet(column: str, where: str, all_indicators: bool = False) -> int:
        pick = "" if all_indicators else f"AND indicator_id = {indicator.pk}"
        group = f"indicator_id, {column}" if all_indicators else column
        sql = (
            f"SELECT {group}, SUM(numerator), SUM(denominator), COUNT(*) FROM v "
            f"WHERE period = '{period}' {pick} {where} GROUP BY {group}"
        )
        return len(duck_db.execute(sql).fetchall())

    reads: list[tuple[str, Callable[[], int], Callable[[], int]]] = [
        ("national → provinsi", lambda: rollups(None, Level.PROVINCE),
         lambda: from_parquet("province_code", "")),
        (f"provinsi {province} → kab/kota", lambda: rollups(province, Level.DISTRICT),
         lambda: from_parquet("district_code", f"AND province_code = '{province}'")),
        (f"kecamatan {subdistrict} → desa", lambda: rollups(subdistrict, Level.VILLAGE),
         lambda: from_parquet("region_id", f"AND subdistrict_code = '{subdistrict}'")),
        (f"scorecard of provinsi {province} (all indicators × kab/kota)",
         lambda: rollups(province, Level.DISTRICT, all_indicators=True),
         lambda: from_parquet("district_code", f"AND province_code = '{province}'", True)),
    ]  # fmt: skip
    reads += _selector_reads(ctx, period, indicator, province, subdistrict, from_parquet)
    reps = 5 if ctx.smoke else 60
    rows = []
    for label, from_rollups, from_duck in reads:
        timings: dict[str, list[float]] = {"rollups": [], "duckdb": []}
        for _ in range(reps):
            for key, read in (("rollups", from_rollups), ("duckdb", from_duck)):
                started = time.perf_counter()
                read()
                timings[key].append(time.perf_counter() - started)
        p95, base = _p(timings["rollups"], 0.95), _p(timings["duckdb"], 0.95)
        rows.append(
            Row(
                f"dashboard read: {label} (p50 / p95)",
                f"{_ms(_p(timings['rollups'], 0.5))} / {_ms(p95)}",
                f"DuckDB over Parquet: {_ms(_p(timings['duckdb'], 0.5))} / {_ms(base)} "
                f"(export {export_seconds:.1f} s)",
                p95 / base,
                "faster than DuckDB, p95 ≤ 50 ms",
                p95 < base and p95 <= 0.05,
            )
        )
    duck_db.close()
    ctx.parquet = parquet
    return rows


def _selector_reads(
    ctx: Context,
    period: str,
    indicator: Any,
    province: str,
    subdistrict: str,
    from_parquet: Callable[..., int],
) -> list[tuple[str, Callable[[], int], Callable[[], int]]]:
    """The analytics app's own page selectors (what a dashboard request waits for)."""
    from aksi.analytics import scorecard, selectors
    from aksi.regions.models import Region

    filters = selectors.dashboard_filters(
        params={"period": period, "indicator": indicator.code},
        years=selectors.dashboard_years(),
        default_year=ctx.year,
    )
    indicators = selectors.catalogue_indicators(year=ctx.year)
    regions = {code: Region.objects.get(code=code) for code in (province, subdistrict)}

    def page(code: str | None) -> int:
        region = regions[code] if code else None
        found = selectors.dashboard_get(region=region, filters=filters, all_indicators=indicators)
        return len(found.children)

    def card(code: str) -> int:
        found = scorecard.scorecard_get(
            region=regions[code], filters=filters, indicators=indicators
        )
        return len(found.rows)

    return [
        ("page dashboard_get national", lambda: page(None),
         lambda: from_parquet("province_code", "")),
        (f"page dashboard_get provinsi {province}", lambda: page(province),
         lambda: from_parquet("district_code", f"AND province_code = '{province}'")),
        (f"page dashboard_get kecamatan {subdistrict}", lambda: page(subdistrict),
         lambda: from_parquet("region_id", f"AND subdistrict_code = '{subdistrict}'")),
        (f"page scorecard_get provinsi {province}", lambda: card(province),
         lambda: from_parquet("district_code", f"AND province_code = '{province}'", True)),
    ]  # fmt: skip


ROLLUP_SQL = (
    "SELECT v.indicator_id, v.period, r.province_code, r.district_code, r.subdistrict_code, "
    "v.region_id, SUM(v.numerator) AS n, SUM(v.denominator) AS d, COUNT(*) AS c "
    "FROM {value} v JOIN {region} r ON r.code = v.region_id "
    "WHERE v.status = 'value' AND v.numerator IS NOT NULL AND v.denominator IS NOT NULL "
    "GROUP BY v.indicator_id, v.period, "
    "ROLLUP (r.province_code, r.district_code, r.subdistrict_code, v.region_id)"
)


def _sql_rollup_baseline() -> tuple[float, int]:
    from django.db import connection, transaction

    from aksi.regions.models import Region
    from aksi.reporting.models import CoverageValue

    value, region = CoverageValue._meta.db_table, Region._meta.db_table
    if connection.vendor == "postgresql":
        select = ROLLUP_SQL.format(value=value, region=region)
    else:
        # SQLite has no GROUP BY ROLLUP: the same five groupings, UNION ALL.
        parts = []
        columns = ["r.province_code", "r.district_code", "r.subdistrict_code", "v.region_id"]
        for depth in range(5):
            kept = columns[:depth]
            shown = kept + ["NULL"] * (4 - depth)
            parts.append(
                f"SELECT v.indicator_id, v.period, {', '.join(shown)}, SUM(v.numerator), "
                f"SUM(v.denominator), COUNT(*) FROM {value} v JOIN {region} r "
                "ON r.code = v.region_id WHERE v.status = 'value' AND v.numerator IS NOT NULL "
                "AND v.denominator IS NOT NULL GROUP BY "
                + ", ".join(["v.indicator_id", "v.period", *kept])
            )
        select = " UNION ALL ".join(parts)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_rollup")
        cursor.execute(f"CREATE TABLE bench_rollup AS {select}")
        cursor.execute("SELECT COUNT(*) FROM bench_rollup")
        count = cursor.fetchone()[0]
    return time.perf_counter() - started, count


def bench_rebuild(ctx: Context) -> list[Row]:
    import duckdb
    from django.db import connection
    from django.db.models import Max

    from aksi.analytics.models import CoverageRollup
    from aksi.analytics.services import rollups_rebuild

    baseline, groups = _sql_rollup_baseline()
    # The command as run on a live database: every row recomputed and compared with the stored
    # one (here the rollups the synthetic load wrote: none differs, none is rewritten).
    stamp = CoverageRollup.objects.aggregate(at=Max("updated_at"))["at"]
    started = time.perf_counter()
    written = rollups_rebuild()
    seconds = time.perf_counter() - started
    rewritten = CoverageRollup.objects.aggregate(at=Max("updated_at"))["at"] != stamp
    # The same into an empty table, as after a first load or when most rows drifted: every row
    # inserted, the indexes and constraints built again.
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(CoverageRollup._meta.db_table)
        empty = "TRUNCATE" if connection.vendor == "postgresql" else "DELETE FROM"
        cursor.execute(f"{empty} {table}")
    started = time.perf_counter()
    loaded = rollups_rebuild()
    empty_seconds = time.perf_counter() - started
    if not ctx.parquet:
        ctx.parquet = _export_parquet(tempfile.mkdtemp(prefix="aksi-bench-parquet-"))
    parquet = ctx.parquet
    started = time.perf_counter()
    duckdb.sql(
        f"SELECT indicator_id, period, province_code, district_code, subdistrict_code, region_id,"
        f" SUM(numerator), SUM(denominator), COUNT(*) FROM read_parquet('{parquet}') GROUP BY "
        "indicator_id, period, ROLLUP (province_code, district_code, subdistrict_code, region_id)"
    ).fetchall()
    duck_seconds = time.perf_counter() - started
    ratio, empty_ratio = seconds / baseline, empty_seconds / baseline
    return [
        Row(
            "rebuild of all rollups (analytics rollups_rebuild)",
            f"{written:,} rows in {seconds:.1f} s (compared with the stored rows: "
            f"{'some' if rewritten else 'none'} rewritten)",
            f"SQL GROUP BY ROLLUP ({groups:,} groups): {baseline:.1f} s; "
            f"DuckDB over Parquet: {duck_seconds:.1f} s",
            ratio,
            "≤ 1.5×",
            ratio <= 1.5,
        ),
        Row(
            "rebuild of all rollups into an empty table (analytics rollups_rebuild)",
            f"{loaded:,} rows in {empty_seconds:.1f} s (indexes and constraints built after)",
            f"SQL GROUP BY ROLLUP: {baseline:.1f} s",
            empty_ratio,
            "≤ 1.5×",
            empty_ratio <= 1.5,
        ),
    ]


def _writer(args: tuple[str, int, int, int, str, int]) -> dict[str, Any]:
    """One writer process: `count` saves on random desa of one province."""
    from django.db import connections

    connections.close_all()
    province, user_id, count, seed, period, indicator_id = args
    from django.db import DatabaseError

    from aksi.accounts.models import User
    from aksi.catalogue.models import Indicator
    from aksi.regions.models import Region
    from aksi.reporting.services import ConflictError, coverage_value_save

    user = User.objects.get(pk=user_id)
    indicator = Indicator.objects.select_related("catalogue").get(pk=indicator_id)
    villages = list(
        Region.objects.filter(province_code=province, level="village", valid_to__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    rng = random.Random(seed)
    latencies, errors = [], []
    for _ in range(count):
        region = Region.objects.get(code=rng.choice(villages))
        denominator = rng.randint(20, 400)
        started = time.perf_counter()
        try:
            coverage_value_save(
                actor=user,
                indicator=indicator,
                region=region,
                period=period,
                numerator=rng.randint(0, denominator),
                denominator=denominator,
            )
        except (DatabaseError, ConflictError) as error:
            errors.append(type(error).__name__ + ": " + str(error)[:80])
            continue
        latencies.append(time.perf_counter() - started)
    connections.close_all()
    return {"latencies": latencies, "errors": errors}


def bench_writers(ctx: Context) -> list[Row]:
    from django.db import connection, connections
    from django.db.models import Sum

    from aksi.accounts.models import Role, RoleAssignment, User
    from aksi.analytics.models import CoverageRollup
    from aksi.catalogue.models import Indicator
    from aksi.regions.models import Level, Region
    from aksi.reporting.models import CoverageValue

    provinces = list(
        Region.objects.filter(level=Level.PROVINCE, valid_to__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)[: ctx.writers]
    )
    users = {}
    for code in provinces:
        user, created = User.objects.get_or_create(username=f"bench-writer-{code}")
        if created:
            RoleAssignment.objects.create(user=user, role=Role.OPERATOR, region_id=code)
        users[code] = user.pk
    indicator = (
        Indicator.objects.filter(catalogue__year=ctx.year, entry_level="village", is_binary=False)
        .order_by("order")
        .first()
    )
    period = f"{ctx.year}S1"
    count = 10 if ctx.smoke else 100
    connections.close_all()
    context = multiprocessing.get_context("fork")

    def run(codes: list[str]) -> tuple[float, list[float], list[str]]:
        started = time.perf_counter()
        with context.Pool(len(codes)) as pool:
            results = pool.map(
                _writer,
                [(c, users[c], count, i, period, indicator.pk) for i, c in enumerate(codes)],
            )
        seconds = time.perf_counter() - started
        latencies = [t for r in results for t in r["latencies"]]
        errors = [e for r in results for e in r["errors"]]
        return seconds, latencies, errors

    one_seconds, one, one_errors = run(provinces[:1])
    many_seconds, many, many_errors = run(provinces)
    # No lost updates: the shared national and province rows equal the sums of the values.
    lost = []
    for code in ["", *provinces]:
        values = CoverageValue.objects.filter(indicator=indicator, period=period, status="value")
        if code:
            values = values.filter(region__province_code=code)
        sums = values.aggregate(n=Sum("numerator"), d=Sum("denominator"))
        row = CoverageRollup.objects.filter(
            indicator=indicator, region_code=code, period=period
        ).first()
        stored = (row.numerator_sum, row.denominator_sum) if row else (None, None)
        if stored != (sums["n"], sums["d"]):
            lost.append(code or "ID")
    connection.close()
    rate, base = len(many) / many_seconds, len(one) / one_seconds
    deadlocks = sum("eadlock" in e for e in many_errors)
    return [
        Row(
            f"{len(provinces)} writers in {len(provinces)} provinces (saves/s, p95)",
            f"{rate:,.0f}/s, p95 {_ms(_p(many, 0.95))}; {len(many_errors)} errors "
            f"({deadlocks} deadlocks{'; ' + sorted(set(many_errors))[0] if many_errors else ''}), "
            f"rollups off in: {', '.join(lost) or 'none'}",
            f"1 writer: {base:,.0f}/s, p95 {_ms(_p(one, 0.95))}",
            rate / base,
            "no deadlocks, no lost updates",
            not many_errors and not one_errors and not lost,
        )
    ]


def _traced(function: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, seconds, peak MB): timed untraced first, then run again under tracemalloc."""
    import tracemalloc

    started = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    function()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, seconds, peak / 1024 / 1024


def bench_exports(ctx: Context) -> list[Row]:
    """The province's every-desa scorecard as XLSX and a kabupaten's PDF report, through the
    analytics app's own functions (as its views call them)."""
    import io

    import xlsxwriter
    from weasyprint import HTML

    from aksi.accounts.models import Role, RoleAssignment, User
    from aksi.analytics import exports, report, scorecard, selectors, tables
    from aksi.regions.models import Region

    province = Region.objects.get(code=ctx.scope.districts[0][:2])
    district = Region.objects.get(code=ctx.scope.districts[0])
    monitor, created = User.objects.get_or_create(username="bench-monitor")
    if created:
        RoleAssignment.objects.create(user=monitor, role=Role.CENTRAL_MONITOR)
    years = selectors.dashboard_years()
    filters = selectors.dashboard_filters(
        params={"period": f"{ctx.year}S2"}, years=years, default_year=ctx.year
    )
    indicators = selectors.catalogue_indicators(year=ctx.year)
    shape = [0, 0]

    def xlsx() -> int:
        table = tables.village_scorecard_table(
            region=province, filters=filters, indicators=indicators, as_of=None
        )
        shape[0], shape[1] = 0, len(table.columns)
        rows = table.rows

        def counted() -> Iterator[list[Any]]:
            for row in rows:
                shape[0] += 1
                yield row

        table.rows = counted()
        out = io.BytesIO()
        exports.write_xlsx(table, out)
        return len(out.getvalue())

    def bare_xlsx() -> int:
        out = io.BytesIO()
        workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
        sheet = workbook.add_worksheet()
        for r in range(shape[0]):
            sheet.write_row(r, 0, [r * 7 + c for c in range(shape[1])])
        workbook.close()
        return len(out.getvalue())

    # The view asks for the yearly report; the synthetic set has semesters: report semester 2.
    year_filters = selectors.Filters(year=ctx.year, part="S2")

    def pdf() -> int:
        board = selectors.dashboard_get(
            region=district, filters=year_filters, all_indicators=indicators
        )
        card = scorecard.scorecard_get(
            region=district, filters=year_filters, indicators=board.indicators
        )
        return len(
            report.report_pdf(
                user=monitor, dashboard=board, scorecard=card, base_url="http://localhost/"
            )
        )

    def bare_pdf() -> int:
        return len(HTML(string="<h1>Aksi</h1><p>1</p>").write_pdf())

    size, seconds, peak = _traced(xlsx)
    _b, base_seconds, base_peak = _traced(bare_xlsx)
    pdf_size, pdf_seconds, pdf_peak = _traced(pdf)
    _p2, bare_seconds, bare_peak = _traced(bare_pdf)
    return [
        Row(
            f"XLSX of every desa of provinsi {province.code} ({shape[0]:,} rows × {shape[1]})",
            f"{seconds:.1f} s, peak {peak:.0f} MB, {size / 1024:,.0f} KB",
            f"bare XlsxWriter, same shape: {base_seconds:.1f} s, peak {base_peak:.0f} MB",
            seconds / base_seconds,
        ),
        Row(
            f"PDF report of kabupaten {district.code}",
            f"{pdf_seconds:.1f} s, peak {pdf_peak:.0f} MB, {pdf_size / 1024:,.0f} KB",
            f"WeasyPrint of a one-line page: {bare_seconds:.2f} s, peak {bare_peak:.0f} MB",
            pdf_seconds / bare_seconds,
        ),
    ]


def bench_excel_upload(ctx: Context) -> list[Row]:
    from benchmarks import excel_upload

    district = ctx.scope.districts[0] if ctx.smoke else "16.07"
    result = excel_upload._run(district, str(ctx.year), quiet=True)
    return [
        Row(
            f"Excel upload of kabupaten {district} (values/s)",
            f"{result['values/s']}/s, peak {result['peak MB']} MB",
            f"openpyxl read-only read: {result['baseline (openpyxl read) values/s']}/s",
            float(result["ratio"]),
            "≥ 10,000 values/s",
            float(result["values/s"].replace(",", "")) >= 10_000,
        )
    ]


def bench_api_import(ctx: Context) -> list[Row]:
    """A DHIS2 JSON data value set through POST /api/dataValueSets (last: it replaces the
    values of its period)."""
    from django.test.utils import override_settings

    from aksi.api.v1 import api
    from benchmarks import api_import

    region = ctx.scope.districts[0] if ctx.smoke else ctx.scope.districts[0][:2]
    throttle = api.throttle[0]
    saved = throttle.num_requests
    throttle.num_requests = 10**9
    try:
        with override_settings(ALLOWED_HOSTS=["127.0.0.1"], AKSI_API_MAX_BYTES=2 * 1024**3):
            result = api_import.run([region], str(ctx.year))
    finally:
        throttle.num_requests = saved
    rate = float(result["values/s"].replace(",", ""))
    copy_rate = float(result["copy values/s"].replace(",", ""))
    return [
        Row(
            f"DHIS2 JSON import of {result['size']} (values/s)",
            f"{result['values/s']}/s, peak {result['peak MB']} MB",
            f"COPY of the same pairs: {result['copy values/s']}/s; "
            f"parse only: {result['parse values/s']}/s",
            copy_rate / rate,
            "≥ 20,000 values/s, constant memory",
            rate >= 20_000,
        )
    ]


BENCHMARKS: dict[str, Callable[[Context], list[Row]]] = {
    "synth": bench_synth,
    "bulk_load": bench_bulk_load,
    "reupload": bench_reupload,
    "cell_save": bench_cell_save,
    "dashboard": bench_dashboard,
    "rebuild": bench_rebuild,
    "writers": bench_writers,
    "exports": bench_exports,
    "excel_upload": bench_excel_upload,
    "api_import": bench_api_import,
}


# --- the table -------------------------------------------------------------------------------

HEADER = (
    "| date | machine | database | size | benchmark | figure | baseline (same run) | ratio "
    "| goal | met |\n|---|---|---|---|---|---|---|---:|---|---|"
)


def _line(meta: dict[str, str], row: Row) -> str:
    ratio = "—" if row.ratio is None else f"{row.ratio:.2f}"
    cells = [meta["date"], meta["machine"], meta["database"], meta["size"], row.name,
             row.figure, row.baseline, ratio, row.goal or "—", row.verdict]  # fmt: skip
    return "| " + " | ".join(cell.replace("|", "/") for cell in cells) + " |"


# Rows sort by database, size, then in the order the benchmarks run.
ORDER = ("synth", "bulk load", "re-upload", "one cell", "dashboard read: n", "dashboard read: p",
         "dashboard read: k", "dashboard read: s", "dashboard read: page", "rebuild of",
         "rebuild,", "writers", "XLSX", "PDF", "Excel")  # fmt: skip


def _order(line: str) -> tuple[str, str, int, str]:
    cells = line.split(" | ")
    name = cells[4]
    rank = next((i for i, key in enumerate(ORDER) if name.startswith(key)), 99)
    if name.startswith("dashboard read: page"):
        rank = ORDER.index("dashboard read: page")
    elif " writers " in name:
        rank = ORDER.index("writers")
    return cells[2], cells[3], rank, name


def _write_doc(meta: dict[str, str], rows: list[Row]) -> None:
    text = DOC.read_text() if DOC.exists() else "# Performance\n"
    if START not in text:
        text = text.rstrip() + f"\n\n## Benchmarks against same-run baselines\n\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    body, tail = rest.split(END, 1)
    keep = [
        line
        for line in body.strip().splitlines()
        if line.startswith("| 20")
        and not (
            f"| {meta['database']} | {meta['size']} |" in line
            and any(f"| {row.name} |" in line for row in rows)
        )
    ]
    lines = sorted(keep + [_line(meta, row) for row in rows], key=_order)
    text = f"{head}{START}\n{HEADER}\n" + "\n".join(lines) + f"\n{END}{tail}"
    DOC.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--size", choices=("kabupaten", "province", "national"))
    parser.add_argument("--region", help="kabupaten or province code (default 35.19 / 35)")
    parser.add_argument("--smoke", action="store_true", help="tiny and quick: that they run")
    parser.add_argument("--only", help="comma-separated names: " + ", ".join(NAMES))
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/performance.md")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--writers", type=int, default=8)
    options = parser.parse_args(argv)
    names = options.only.split(",") if options.only else list(NAMES)
    unknown = set(names) - set(NAMES)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    size = options.size or ("kabupaten" if options.smoke else "province")
    region = options.region or ("65.01" if options.smoke and size == "kabupaten" else None)

    from benchmarks.excel_upload import _setup

    home = _setup()
    try:
        return _run(options, names, size, region)
    finally:
        if home:
            import shutil

            shutil.rmtree(home, ignore_errors=True)


def _run(options: argparse.Namespace, names: list[str], size: str, region: str | None) -> int:
    from aksi.accounts.models import Role, RoleAssignment, User
    from aksi.synth import services

    scope = services.scope_resolve(size=size, region_code=region)
    ctx = Context(
        size=size,
        scope=scope,
        seed=options.seed,
        smoke=options.smoke,
        year=2025,
        writers=2 if options.smoke else options.writers,
    )
    operator, created = User.objects.get_or_create(username="bench-operator")
    if created:
        for code in [scope.prefix] if scope.prefix else scope.provinces:
            RoleAssignment.objects.create(user=operator, role=Role.OPERATOR, region_id=code)
    ctx.operator = operator
    # The dataset, and the raw baseline every load compares against, come first.
    selected = ["synth", *[n for n in names if n != "synth"]]
    rows: list[Row] = []
    for name in selected:
        started = time.perf_counter()
        print(f"… {name}", file=sys.stderr, flush=True)
        result = BENCHMARKS[name](ctx)
        print(f"  {name} took {time.perf_counter() - started:.1f} s", file=sys.stderr)
        if name in names:
            rows.extend(result)
    if ctx.parquet:
        import shutil

        shutil.rmtree(os.path.dirname(ctx.parquet), ignore_errors=True)
    meta = {
        "date": dt.date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}",
        "database": _database(),
        "size": f"{size} {scope.label}: {len(scope.villages):,} desa",
    }
    print(" · ".join(meta.values()))
    width = max(len(row.name) for row in rows)
    for row in rows:
        ratio = "—" if row.ratio is None else f"{row.ratio:6.2f}"
        print(
            f"{row.name.ljust(width)}  {row.figure}  |  {row.baseline}  |  {ratio}  {row.verdict}"
        )
    if not options.smoke and not options.no_write:
        _write_doc(meta, rows)
        print(f"written to {DOC}", file=sys.stderr)
    return 0
