"""Rollups recomputed from the raw values in SQL: no row passes through Python.

The one implementation behind `services.rollups_rebuild` (every rollup, or one period's) and
the synthetic-data loader (its periods, or one region's subtree and its ancestors). Memory in
Python stays constant at any size: the database groups, compares and writes.

The sums are those the incremental path keeps (`services.rollups_apply`): per indicator and
period, the values with the status "value", a numerator and a denominator, summed for the nation
(""), each province, kabupaten/kota and kecamatan (the ancestor columns every region carries) and
each region itself, unless the region is one of its own ancestor columns (a kabupaten-level value
counts once, in the kabupaten's row). A region's own row is its single value (values are unique
per indicator, region and period), so only the levels above are grouped: one pass over the
values per kecamatan, then the kabupaten, province and nation rows from those few groups.

A rebuild compares the recomputed rows with the stored ones and writes only those that differ
(usually few: readers keep reading meanwhile, writers wait). When nothing is stored yet, or more
than a tenth of the rows differ, the rows are replaced instead; if they are all the table holds,
the table is emptied, its indexes and key constraints dropped, the rows inserted, then the
indexes built and the constraints added again (building an index once costs far less than
maintaining it row by row, and adding the foreign key checks every row with one join instead of
one deferred check per row). On PostgreSQL that replacement holds an ACCESS EXCLUSIVE lock until
the transaction ends: readers wait for the new rows, none sees an empty table. Everything happens
in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.utils import timezone

from aksi.analytics.models import CoverageRollup
from aksi.regions.models import Region
from aksi.reporting.models import CoverageValue, ValueStatus

COLUMNS = (
    "indicator_id",
    "region_code",
    "period",
    "numerator_sum",
    "denominator_sum",
    "complete_count",
)
SUMS = COLUMNS[3:]
KEY = COLUMNS[:3]
# Temporary tables of a rebuild: the rows that differ from the stored ones, and (SQLite) all the
# recomputed rows.
FRESH = "analytics_rollup_fresh"
CHANGE = "analytics_rollup_change"
# Above this share of differing rows, replacing every row costs less than changing them in place
# (each change touches five indexes).
CHANGE_SHARE = 0.1
# Memory for the grouping and for the index builds (PostgreSQL; raised, never lowered).
WORK_MEM_KB = 128 * 1024
MAINTENANCE_WORK_MEM_KB = 256 * 1024

# The subtree path (synthetic data of one kabupaten or province): one GROUP BY per level, the
# region's own row only where it is not already one of its ancestor columns.
LEVELS = (
    ("r.province_code", "AND r.province_code <> ''"),
    ("r.district_code", "AND r.district_code <> ''"),
    ("r.subdistrict_code", "AND r.subdistrict_code <> ''"),
    (
        "v.region_id",
        "AND v.region_id NOT IN (r.province_code, r.district_code, r.subdistrict_code)",
    ),
)


def _in(values: Sequence[str]) -> str:
    return ", ".join(["%s"] * len(values))


def _temp(name: str) -> str:
    """A temporary table's name, qualified so that no table of the schema is ever meant."""
    return f"{'pg_temp' if connection.vendor == 'postgresql' else 'temp'}.{name}"


def rollups_recompute(*, periods: Sequence[str] | None = None, prefix: str = "") -> int:
    """Make the rollups of `periods` (None: every period) the sums of their values; returns the
    number of rollup rows they now are. Call inside a transaction.

    With a region `prefix`, only the rows of that subtree and of its ancestors are replaced:
    the rest of the country stays.
    """
    table = connection.ops.quote_name(CoverageRollup._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    complete = "v.status = %s AND v.numerator IS NOT NULL AND v.denominator IS NOT NULL"
    params: list[Any] = [ValueStatus.VALUE]
    scope, scope_params = "1 = 1", []
    if periods is not None:
        complete += f" AND v.period IN ({_in(periods)})"
        params += list(periods)
        scope, scope_params = f"period IN ({_in(periods)})", list(periods)
    with connection.cursor() as cursor, _memory(cursor):
        if prefix:
            return _recompute_subtree(
                cursor, table, now, complete, params, scope, scope_params, prefix
            )
        if connection.vendor == "postgresql":
            # Writers wait for the new sums (a save's increment is never lost); readers go on.
            # (SQLite: the transaction already holds the database's write lock.)
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        whole = periods is None or _holds_only(cursor, table, periods)
        select, select_params = _select(complete, params)
        insert = (
            f"INSERT INTO {table} ({', '.join(COLUMNS)}, updated_at) "
            f"SELECT x.*, %s FROM ({select}) x"
        )
        insert_params = [now, *select_params]
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {scope}", scope_params)
        stored = cursor.fetchone()[0]
        if not stored:
            # Nothing stored to compare with (a first load): the sums go straight in.
            return _replace(cursor, table, insert, insert_params, whole, scope, scope_params)
        changed, inserted, deleted = _changes(
            cursor, table, select, select_params, scope, scope_params
        )
        if changed > stored * CHANGE_SHARE:
            written = _replace(cursor, table, insert, insert_params, whole, scope, scope_params)
        else:
            if changed:
                _apply(cursor, table, now)
            written = stored + inserted - deleted
        cursor.execute(f"DROP TABLE {_temp(CHANGE)}")
        cursor.execute(f"DROP TABLE IF EXISTS {_temp(FRESH)}")
        return written


def _select(complete: str, params: list[Any]) -> tuple[str, list[Any]]:
    """A SELECT of every rollup row (the COLUMNS) of the values `complete` selects."""
    quote = connection.ops.quote_name
    value = quote(CoverageValue._meta.db_table)
    region = quote(Region._meta.db_table)
    # SQLite would read the values through the indicator index, for the order of the grouping;
    # reading the table straight through is faster.
    scan = f"{value} v NOT INDEXED" if connection.vendor == "sqlite" else f"{value} v"
    # One pass over the values groups them per kecamatan (and per kabupaten and province for
    # values above the kecamatan): a few tens of thousands of groups, from which the levels
    # above are summed.
    grouped = (
        "SELECT v.indicator_id, v.period, r.province_code AS p, r.district_code AS d, "
        "r.subdistrict_code AS s, SUM(v.numerator) AS n, SUM(v.denominator) AS dn, "
        f"COUNT(*) AS c FROM {scan} JOIN {region} r ON r.code = v.region_id WHERE {complete} "
        "GROUP BY v.indicator_id, v.period, r.province_code, r.district_code, r.subdistrict_code"
    )
    # A region's own row: its value, unless the region is one of its own ancestor columns.
    own = (
        "SELECT v.indicator_id, v.region_id AS region_code, v.period, "
        "v.numerator AS numerator_sum, v.denominator AS denominator_sum, 1 AS complete_count "
        f"FROM {scan} WHERE {complete} AND v.region_id NOT IN (SELECT code FROM {region} "
        "WHERE code IN (province_code, district_code, subdistrict_code))"
    )
    sums = "CAST(SUM(n) AS bigint), CAST(SUM(dn) AS bigint), CAST(SUM(c) AS bigint)"
    levels = (
        "SELECT indicator_id, s, period, CAST(n AS bigint), CAST(dn AS bigint), "
        "CAST(c AS bigint) FROM g WHERE s <> '' "
        f"UNION ALL SELECT indicator_id, d, period, {sums} FROM g WHERE d <> '' "
        "GROUP BY indicator_id, period, d "
        f"UNION ALL SELECT indicator_id, p, period, {sums} FROM g WHERE p <> '' "
        "GROUP BY indicator_id, period, p "
        f"UNION ALL SELECT indicator_id, '', period, {sums} FROM g GROUP BY indicator_id, period"
    )
    return f"WITH g AS ({grouped}) {own} UNION ALL {levels}", [*params, *params]


def _changes(
    cursor: Any,
    table: str,
    select: str,
    select_params: list[Any],
    scope: str,
    scope_params: list[Any],
) -> tuple[int, int, int]:
    """The rows to write into the temporary table CHANGE; returns their number, and how many
    of them are inserts and deletes.

    A recomputed row missing or different (id NULL: to insert), or a stored row of the scope
    that no longer sums anything (only its id: to delete, e.g. a total brought back to zero).
    """
    change, fresh = _temp(CHANGE), _temp(FRESH)
    names = ", ".join(f"f.{c}" for c in COLUMNS)
    same_key = " AND ".join(f"r.{c} = f.{c}" for c in KEY)
    differs = " OR ".join(f"r.{c} <> f.{c}" for c in SUMS)
    cursor.execute(f"DROP TABLE IF EXISTS {change}")
    if connection.vendor == "postgresql":
        # One hashed pass over the recomputed and the stored rows.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {change} AS SELECT r.id, {names} FROM ({select}) f "
            f"FULL JOIN (SELECT * FROM {table} WHERE {scope}) r ON {same_key} "
            f"WHERE r.id IS NULL OR f.indicator_id IS NULL OR {differs}",
            [*select_params, *scope_params],
        )
    else:
        # SQLite: the recomputed rows into a temporary table, indexed for the look-ups of
        # stored rows that no longer sum anything.
        cursor.execute(f"DROP TABLE IF EXISTS {fresh}")
        cursor.execute(f"CREATE TEMPORARY TABLE {fresh} AS {select}", select_params)
        cursor.execute(f"CREATE INDEX temp.{FRESH}_key ON {FRESH} ({', '.join(KEY)})")
        nulls = ", ".join(f"NULL AS {c}" for c in COLUMNS)
        cursor.execute(
            f"CREATE TEMPORARY TABLE {change} AS "
            f"SELECT r.id, {names} FROM {fresh} f LEFT JOIN {table} r ON {same_key} "
            f"WHERE r.id IS NULL OR {differs} "
            f"UNION ALL SELECT r.id, {nulls} FROM {table} r WHERE {scope} "
            f"AND NOT EXISTS (SELECT 1 FROM {fresh} f WHERE {same_key})",
            scope_params,
        )
    cursor.execute(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN id IS NULL THEN 1 ELSE 0 END), 0), "
        f"COALESCE(SUM(CASE WHEN indicator_id IS NULL THEN 1 ELSE 0 END), 0) FROM {change}"
    )
    changed, inserted, deleted = cursor.fetchone()
    return changed, inserted, deleted


def _apply(cursor: Any, table: str, now: Any) -> None:
    """Write the rows of CHANGE: delete, update, insert."""
    change = _temp(CHANGE)
    cursor.execute(
        f"DELETE FROM {table} WHERE id IN (SELECT id FROM {change} WHERE indicator_id IS NULL)"
    )
    assignments = ", ".join(f"{c} = c.{c}" for c in SUMS)
    cursor.execute(
        f"UPDATE {table} SET {assignments}, updated_at = %s FROM {change} c "
        f"WHERE {table}.id = c.id AND c.indicator_id IS NOT NULL",
        [now],
    )
    names = ", ".join(COLUMNS)
    cursor.execute(
        f"INSERT INTO {table} ({names}, updated_at) SELECT {names}, %s FROM {change} "
        "WHERE id IS NULL",
        [now],
    )


def _replace(
    cursor: Any,
    table: str,
    insert: str,
    params: list[Any],
    whole: bool,
    scope: str,
    scope_params: list[Any],
) -> int:
    """Replace the rows of the scope by those `insert` writes; returns their number."""
    if not whole:
        # Other periods stay: delete and insert with the indexes in place.
        cursor.execute(f"DELETE FROM {table} WHERE {scope}", scope_params)
        cursor.execute(insert, params)
        return cursor.rowcount
    with _emptied_without_indexes(cursor, table):
        cursor.execute(insert, params)
        return cursor.rowcount


def _holds_only(cursor: Any, table: str, periods: Sequence[str]) -> bool:
    """Whether the table has no row outside `periods` (then replacing them is replacing all).

    The distinct periods stored, one index probe each (the period index leads on the period),
    rather than a scan of every row.
    """
    cursor.execute(
        f"WITH RECURSIVE p (period) AS (SELECT MIN(period) FROM {table} UNION ALL "
        f"SELECT (SELECT MIN(period) FROM {table} t WHERE t.period > p.period) FROM p "
        "WHERE p.period IS NOT NULL) SELECT period FROM p WHERE period IS NOT NULL"
    )
    return {row[0] for row in cursor.fetchall()} <= set(periods)


@contextmanager
def _memory(cursor: Any) -> Iterator[None]:
    """More memory for grouping and index builds, for this transaction only (PostgreSQL)."""
    if connection.vendor != "postgresql":
        yield
        return
    wanted = {"work_mem": WORK_MEM_KB, "maintenance_work_mem": MAINTENANCE_WORK_MEM_KB}
    cursor.execute(
        "SELECT name, setting::bigint, current_setting(name) FROM pg_settings WHERE name IN "
        "('work_mem', 'maintenance_work_mem')"
    )
    restore = []
    for name, kilobytes, text in cursor.fetchall():
        if kilobytes < wanted[name]:
            cursor.execute("SELECT set_config(%s, %s, true)", [name, f"{wanted[name]}kB"])
            restore.append((name, text))
    yield
    for name, text in restore:
        cursor.execute("SELECT set_config(%s, %s, true)", [name, text])


@contextmanager
def _emptied_without_indexes(cursor: Any, table: str) -> Iterator[None]:
    """Empty the table and drop its secondary indexes (PostgreSQL: also its key and foreign-key
    constraints) for the body's inserts; then build them again."""
    if connection.vendor != "postgresql":
        # SQLite: the unique constraint is part of the table and stays. The other indexes go
        # first, so that the delete does not maintain them either.
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
            "AND sql IS NOT NULL",
            [CoverageRollup._meta.db_table],
        )
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        cursor.execute(f"DELETE FROM {table}")
        yield
        for _name, sql in indexes:
            cursor.execute(sql)
        return
    quote = connection.ops.quote_name
    relation = CoverageRollup._meta.db_table
    # Key and foreign-key constraints, except those another table's foreign key relies on.
    cursor.execute(
        "SELECT c.conname, c.contype, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "WHERE c.conrelid = %s::regclass AND c.contype IN ('p', 'u', 'f') "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' "
        "AND f.confrelid = c.conrelid AND f.conindid = c.conindid) "
        "ORDER BY c.contype = 'f', c.contype, c.conname",  # keys first, then foreign keys
        [relation],
    )
    constraints = cursor.fetchall()
    # Plain indexes (not those of a constraint).
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
        "WHERE c.conrelid = i.indrelid AND c.conindid = i.indexrelid) ORDER BY 1",
        [relation],
    )
    indexes = cursor.fetchall()
    foreign = [quote(name) for name, kind, _definition in constraints if kind == "f"]
    if foreign:
        # Rows written earlier in this transaction wait for their deferred checks: run them
        # now, since a table with pending checks cannot be truncated or altered.
        cursor.execute(f"SET CONSTRAINTS {', '.join(foreign)} IMMEDIATE")
    cursor.execute(f"TRUNCATE {table}")
    if constraints:
        drops = ", ".join(f"DROP CONSTRAINT {quote(row[0])}" for row in reversed(constraints))
        cursor.execute(f"ALTER TABLE {table} {drops}")
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    yield
    for name, _kind, definition in constraints:
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
    for _name, definition in indexes:
        cursor.execute(definition)
    # The index builds have counted the rows for the planner; the columns' statistics need a
    # fresh sample only when there are none yet (a first load): a rebuild brings back much the
    # same rows, and autovacuum samples them again after so many inserts.
    cursor.execute(
        "SELECT 1 FROM pg_stats WHERE schemaname = current_schema() AND tablename = %s LIMIT 1",
        [relation],
    )
    if cursor.fetchone() is None:
        cursor.execute(f"ANALYZE {table}")


def _recompute_subtree(
    cursor: Any,
    table: str,
    now: Any,
    complete: str,
    params: list[Any],
    scope: str,
    scope_params: list[Any],
    prefix: str,
) -> int:
    """Replace the rows of the subtree under `prefix` (grouped on codes inside it), then those
    of its ancestors (summed over all their values, inside the subtree or not)."""
    parts = prefix.split(".")
    ancestors = [".".join(parts[:i]) for i in range(len(parts))]  # "" (the nation) first
    cursor.execute(
        f"DELETE FROM {table} WHERE {scope} AND (region_code = %s OR region_code LIKE %s "
        f"OR region_code IN ({_in(ancestors)}))",
        [*scope_params, prefix, f"{prefix}.%", *ancestors],
    )
    quote = connection.ops.quote_name
    value = quote(CoverageValue._meta.db_table)
    region = quote(Region._meta.db_table)
    insert = f"INSERT INTO {table} ({', '.join(COLUMNS)}, updated_at) "
    sums = "SUM(v.numerator), SUM(v.denominator), COUNT(*), %s"
    written = 0
    for column, extra in LEVELS:
        cursor.execute(
            f"{insert}SELECT v.indicator_id, {column}, v.period, {sums} "
            f"FROM {value} v JOIN {region} r ON r.code = v.region_id WHERE {complete} {extra} "
            f"AND (v.region_id = %s OR v.region_id LIKE %s) AND {column} LIKE %s "
            f"GROUP BY v.indicator_id, v.period, {column}",
            [now, *params, prefix, f"{prefix}.%", f"{prefix}%"],
        )
        written += cursor.rowcount
    for code in ancestors:
        where, codes = "1 = 1", []
        if code:
            where, codes = "(v.region_id = %s OR v.region_id LIKE %s)", [code, f"{code}.%"]
        cursor.execute(
            f"{insert}SELECT v.indicator_id, %s, v.period, {sums} FROM {value} v "
            f"WHERE {complete} AND {where} GROUP BY v.indicator_id, v.period",
            [code, now, *params, *codes],
        )
        written += cursor.rowcount
    return written
