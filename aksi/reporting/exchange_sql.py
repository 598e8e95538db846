"""The set-based core of `values_exchange` on PostgreSQL.

A chunk of accepted values (those that passed the period, indicator, region, scope, switch and
lock checks in Python) is copied into a temporary table; one statement then reads the stored
values, merges the sides of each (indicator, region, period) pair in payload order, applies the
import strategy and the rules of `_validate`, and keeps the outcome per pair in a second
temporary table. Conflicts and counts are read from there; the writes are an INSERT of the new
values, a joined UPDATE of the changed ones, one INSERT … SELECT of their history and one
upsert of the rollup deltas of every level. Python handles no stored value.

The rules mirror the portable path in `aksi.reporting.exchange` exactly (the tests run both on
the same payloads); messages still come from `_validate`, for the refused pairs only.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, connection, transaction

from aksi.core.bulk import copy_rows
from aksi.reporting.services import ESTIMATED_DENOMINATORS

STAGED = "_exchange_staged"
KEYS = "_exchange_keys"
PAIRS = "_exchange_pairs"
LEVELS = "_exchange_levels"
STAGED_COLUMNS = [
    "pos",  # the value's place in the chunk's accepted list
    "pair",  # its pair's number: pairs are numbered in the order their first value comes
    "set_num",  # the value sets the numerator
    "set_den",
    "del",  # the value deletes (strategy DELETE or deleted=true)
]
# A merge of the values of a pair, last one winning, as `_write` merges them: whether any
# sets the numerator and what to (NULL: delete it), the same for the denominator, the last
# comment of a value that does not delete, and whether there was any value at all.
MERGED = ["has_num", "num", "has_den", "den", "note", "any"]
KEY_COLUMNS = [
    "pair",
    "indicator_id",
    "region_id",
    "period",
    "is_binary",  # the indicator's
    "denominator_source",  # the indicator's
    "level_ok",  # the region is of the indicator's entry level
    *(f"a_{name}" for name in MERGED),  # the merge of all the pair's values
    *(f"d_{name}" for name in MERGED),  # of its deleting values (CREATE and UPDATE only)
]
_MERGED_TYPES = ["boolean", "numeric", "boolean", "numeric", "text", "boolean"]

# Which values of a pair `c` the strategy lets through, by whether a number is stored
# (`c.present`): every value, or the deleting ones only (a staged value `x`: `x.del`).
_ALL = {
    "CREATE_AND_UPDATE": "TRUE",
    "DELETE": "TRUE",
    "CREATE": "NOT c.present",
    "UPDATE": "c.present",
}


def _ok(strategy: str) -> str:
    return f"(x.del OR {_ALL[strategy]})"


# Settings for the statements below, given back afterwards: no JIT compilation (their row
# estimates on unanalysed temporary tables make PostgreSQL spend far longer compiling than
# running them), and room for the rollup sums to be hashed in memory.
SETTINGS = {"jit": "off", "work_mem": "64MB"}


def begin() -> dict[str, str]:
    """Before the first chunk; returns the settings to give back to `end`."""
    with connection.cursor() as cursor:
        previous = {}
        for name, value in SETTINGS.items():
            cursor.execute(
                "SELECT current_setting(%s), set_config(%s, %s, true)", [name, name, value]
            )
            previous[name] = cursor.fetchone()[0]
        return previous


def end(previous: dict[str, str]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGED}, {KEYS}, {PAIRS}, {LEVELS}")
        for name, value in previous.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def stage(values: Iterable[Sequence[Any]], keys: Iterable[Sequence[Any]]) -> None:
    """A chunk's accepted values (tuples in STAGED_COLUMNS order) and their pairs (tuples in
    KEY_COLUMNS order) into fresh temporary tables."""
    merges = ", ".join(
        f"{prefix}_{name} {kind}"
        for prefix in ("a", "d")
        for name, kind in zip(MERGED, _MERGED_TYPES, strict=True)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGED}, {KEYS}, {PAIRS}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGED} (pos integer NOT NULL, pair integer NOT NULL,"
            ' set_num boolean NOT NULL, set_den boolean NOT NULL, "del" boolean NOT NULL)'
        )
        cursor.execute(
            f"CREATE TEMPORARY TABLE {KEYS} (pair integer NOT NULL, indicator_id bigint NOT NULL,"
            " region_id varchar(13) NOT NULL, period varchar(8) NOT NULL,"
            " is_binary boolean NOT NULL, denominator_source varchar(20) NOT NULL,"
            f" level_ok boolean NOT NULL, {merges})"
        )
    copy_rows(STAGED, STAGED_COLUMNS, values)
    copy_rows(KEYS, KEY_COLUMNS, keys)


def _value_ids(cursor: Any) -> str:
    """The sequence behind the values' ids (its name is Django's to choose)."""
    cursor.execute("SELECT pg_get_serial_sequence('reporting_coveragevalue', 'id')")
    return cursor.fetchone()[0]


def classify(strategy: str) -> None:
    """Lock the stored values of the staged pairs and compute each pair's outcome (PAIRS)."""
    with connection.cursor() as cursor:
        # Row locks first, in id order, as the portable path's SELECT … FOR UPDATE takes them.
        cursor.execute(
            f"SELECT count(*) FROM (SELECT v.id FROM reporting_coveragevalue v JOIN {KEYS} k"
            " ON v.indicator_id = k.indicator_id AND v.region_id = k.region_id"
            " AND v.period = k.period ORDER BY v.id FOR UPDATE OF v) locked"
        )
        # The merge that applies: every value's, or the deleting values' alone.
        pick = {name: f"CASE WHEN c.every THEN c.a_{name} ELSE c.d_{name} END" for name in MERGED}
        cursor.execute(
            f"""
            CREATE TEMPORARY TABLE {PAIRS} AS
            WITH c AS (
                SELECT k.*, v.id AS old_id, v.numerator AS old_num, v.denominator AS old_den,
                    v.status AS old_status, v.note AS old_note,
                    (v.id IS NOT NULL AND (v.numerator IS NOT NULL
                        OR v.denominator IS NOT NULL)) AS present
                FROM {KEYS} k
                LEFT JOIN reporting_coveragevalue v ON v.indicator_id = k.indicator_id
                    AND v.region_id = k.region_id AND v.period = k.period
            ), n AS (
                SELECT c.pair, c.indicator_id, c.region_id, c.period, c.is_binary,
                    c.denominator_source, c.old_id, c.old_num, c.old_den, c.old_status,
                    c.old_note, c.present, c.level_ok,
                    coalesce({pick["any"]}, FALSE) AS any_ok,
                    CASE WHEN {pick["has_num"]} THEN {pick["num"]} ELSE c.old_num END AS n_num,
                    CASE WHEN {pick["has_den"]} THEN {pick["den"]} ELSE c.old_den END AS n_den,
                    coalesce({pick["note"]}, c.old_note, '') AS n_note
                FROM (SELECT c.*, {_ALL[strategy]} AS every FROM c) c
            ), checked AS (
                SELECT n.*,
                    coalesce(NOT n.level_ok
                        OR (n.is_binary AND n.n_num NOT IN (0, 1))
                        OR (NOT n.is_binary AND (n.n_num < 0 OR n.n_den < 0
                            OR (n.n_num > n.n_den
                                AND NOT n.denominator_source = ANY(%(estimated)s)))),
                        FALSE) AS invalid,
                    n.n_num AS s_num,
                    CASE WHEN NOT n.is_binary THEN n.n_den
                        WHEN n.n_num IS NOT NULL THEN 1 END AS s_den
                FROM n
            )
            SELECT w.*,
                CASE WHEN w.written AND w.old_id IS NULL THEN nextval(%(ids)s::regclass)
                END AS value_id
            FROM (
                SELECT checked.*,
                    checked.any_ok AND NOT checked.invalid AND CASE
                        WHEN checked.old_id IS NULL
                            THEN checked.s_num IS NOT NULL OR checked.s_den IS NOT NULL
                        ELSE (checked.old_num, checked.old_den)
                                IS DISTINCT FROM (checked.s_num, checked.s_den)
                            OR checked.old_note <> checked.n_note
                            OR checked.old_status <> 'value'
                    END AS written
                FROM checked
            ) w
            ORDER BY w.pair
            """,
            {"estimated": sorted(map(str, ESTIMATED_DENOMINATORS)), "ids": _value_ids(cursor)},
        )


def conflicts(strategy: str) -> list[tuple[int, int, int, Any, Any]]:
    """(pos, pair, phase, merged numerator, merged denominator) of every refused
    value in the order the portable path lists them: pair by pair, the strategy's refusals
    (phase 0) before the values of a pair that fails validation (phase 1)."""
    ok = _ok(strategy)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT x.pos, c.pair, CASE WHEN {ok} THEN 1 ELSE 0 END AS phase,
                c.n_num, c.n_den
            FROM {STAGED} x JOIN {PAIRS} c USING (pair)
            WHERE NOT {ok} OR c.invalid
            ORDER BY c.pair, phase, x.pos
            """
        )
        return cursor.fetchall()


def counts(strategy: str) -> dict[str, int]:
    """How many stored values each accepted value imported, updated, deleted or left as it
    was; a value setting both sides counts once, by its strongest change."""
    ok = _ok(strategy)

    def changed(test: str) -> str:
        return " OR ".join(
            f"(x.set_{side} AND {test.format(old=f'c.old_{side}', new=f's_{side}')})"
            for side in ("num", "den")
        )

    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT kind, count(*) FROM (
                SELECT CASE
                    WHEN {changed("{old} <> c.{new}")} THEN 'updated'
                    WHEN {changed("{old} IS NULL AND c.{new} IS NOT NULL")} THEN 'imported'
                    WHEN {changed("{old} IS NOT NULL AND c.{new} IS NULL")} THEN 'deleted'
                    ELSE 'ignored'
                END AS kind
                FROM {STAGED} x JOIN {PAIRS} c USING (pair)
                WHERE {ok} AND NOT c.invalid
            ) kinds GROUP BY kind
            """
        )
        return dict(cursor.fetchall())


def write(*, actor_id: int | None, via: str, now: datetime.datetime) -> int:
    """Store the pairs whose outcome differs from the stored value, with their history and
    the rollup deltas of every level; returns how many values were written."""
    params = {"actor": actor_id, "via": via, "now": now}
    with connection.cursor() as cursor:
        # The new values' ids were drawn in `classify`, in pair order.
        cursor.execute(
            f"""
            INSERT INTO reporting_coveragevalue (id, indicator_id, region_id, period, numerator,
                denominator, denominator_source, status, note, origin, version, updated_by_id,
                updated_at)
            SELECT value_id, indicator_id, region_id, period, s_num, s_den, denominator_source,
                'value', n_note, %(via)s, 1, %(actor)s, %(now)s
            FROM {PAIRS} WHERE value_id IS NOT NULL
            ORDER BY pair
            """,
            params,
        )
        cursor.execute(
            f"""
            UPDATE reporting_coveragevalue v SET numerator = c.s_num, denominator = c.s_den,
                status = 'value', origin = %(via)s, note = c.n_note, updated_by_id = %(actor)s,
                version = v.version + 1, updated_at = %(now)s
            FROM {PAIRS} c WHERE c.written AND v.id = c.old_id
            """,
            params,
        )
        cursor.execute(
            f"""
            INSERT INTO reporting_coveragevaluechange (value_id, changed_at, actor_id, via,
                old_numerator, old_denominator, old_status, new_numerator, new_denominator,
                new_status, note)
            SELECT coalesce(old_id, value_id), %(now)s, %(actor)s, %(via)s, old_num, old_den,
                coalesce(old_status, ''), s_num, s_den, 'value', n_note
            FROM {PAIRS} WHERE written ORDER BY pair
            """,
            params,
        )
        written = cursor.rowcount
        _rollups_apply(cursor, now)
    return written


def _rollups_apply(cursor: Any, now: datetime.datetime) -> None:
    """`rollups_apply` set-based: each written pair's change of contribution, summed per
    (indicator, level, period) over the nation, every ancestor and the region itself. As in
    `rollups_apply`'s bulk path, the existing rows are locked first (in the same order) and
    added to, then the missing ones inserted, one increment each if a concurrent writer
    created some meanwhile."""
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE {LEVELS} AS
        WITH contributions AS (
            SELECT indicator_id, region_id, period,
                CASE WHEN s_num IS NOT NULL AND s_den IS NOT NULL THEN 1 ELSE 0 END AS new_count,
                coalesce(old_status, 'value') = 'value' AND old_num IS NOT NULL
                    AND old_den IS NOT NULL AS counted,
                s_num, s_den, old_num, old_den
            FROM {PAIRS} WHERE written
        ), deltas AS (
            SELECT indicator_id, region_id, period,
                string_to_array(region_id, '.') AS parts,
                CASE WHEN new_count = 1 THEN s_num ELSE 0 END
                    - CASE WHEN counted THEN old_num ELSE 0 END AS d_num,
                CASE WHEN new_count = 1 THEN s_den ELSE 0 END
                    - CASE WHEN counted THEN old_den ELSE 0 END AS d_den,
                new_count - CASE WHEN counted THEN 1 ELSE 0 END AS d_count
            FROM contributions
        ), changed AS (
            SELECT * FROM deltas WHERE (d_num, d_den, d_count) <> (0, 0, 0)
        ), by_parent AS (
            SELECT indicator_id, period, parts[1:cardinality(parts) - 1] AS parent,
                sum(d_num) AS d_num, sum(d_den) AS d_den, sum(d_count) AS d_count
            FROM changed GROUP BY 1, 2, 3
        ), ancestors AS (
            SELECT indicator_id, array_to_string(parent[1:depth], '.') AS region_code, period,
                sum(d_num) AS d_num, sum(d_den) AS d_den, sum(d_count) AS d_count
            FROM by_parent CROSS JOIN LATERAL generate_series(0, cardinality(parent)) AS depth
            GROUP BY 1, 2, 3
        )
        SELECT indicator_id, region_code, period, sum(d_num)::bigint AS d_num,
            sum(d_den)::bigint AS d_den, sum(d_count)::integer AS d_count
        FROM (
            SELECT indicator_id, region_id AS region_code, period, d_num, d_den, d_count
            FROM changed
            UNION ALL
            SELECT * FROM ancestors
        ) levels
        GROUP BY 1, 2, 3
        """
    )
    cursor.execute(
        "SELECT count(*) FROM (SELECT r.id FROM analytics_coveragerollup r"
        f" JOIN {LEVELS} l ON r.indicator_id = l.indicator_id"
        " AND r.region_code = l.region_code AND r.period = l.period"
        " ORDER BY r.region_code, r.indicator_id, r.period FOR UPDATE OF r) locked"
    )
    cursor.execute(
        f"""
        UPDATE analytics_coveragerollup r SET numerator_sum = r.numerator_sum + l.d_num,
            denominator_sum = r.denominator_sum + l.d_den,
            complete_count = r.complete_count + l.d_count, updated_at = %(now)s
        FROM {LEVELS} l WHERE r.indicator_id = l.indicator_id
            AND r.region_code = l.region_code AND r.period = l.period
        """,
        {"now": now},
    )
    missing = f"""
        INSERT INTO analytics_coveragerollup AS r (indicator_id, region_code, period,
            numerator_sum, denominator_sum, complete_count, updated_at)
        SELECT indicator_id, region_code, period, d_num, d_den, d_count, %(now)s
        FROM {LEVELS} l WHERE NOT EXISTS (
            SELECT 1 FROM analytics_coveragerollup e WHERE e.indicator_id = l.indicator_id
                AND e.region_code = l.region_code AND e.period = l.period)
        ORDER BY length(region_code), indicator_id, region_code COLLATE "C", period COLLATE "C"
    """
    try:
        with transaction.atomic():
            cursor.execute(missing, {"now": now})
    except IntegrityError:
        # A concurrent writer created some of them: add to those instead.
        cursor.execute(
            f"""{missing}
            ON CONFLICT (indicator_id, region_code, period) DO UPDATE SET
                numerator_sum = r.numerator_sum + EXCLUDED.numerator_sum,
                denominator_sum = r.denominator_sum + EXCLUDED.denominator_sum,
                complete_count = r.complete_count + EXCLUDED.complete_count,
                updated_at = EXCLUDED.updated_at
            """,
            {"now": now},
        )
    cursor.execute(f"DROP TABLE {LEVELS}")
