"""Plain writes for the bulk paths (imports, rebuilds, the region tree).

Django's `bulk_create` prepares every field of every object in Python and `bulk_update`
builds one CASE expression per field; for tens of thousands of rows both cost far more than the
database work. These helpers send one parameterised statement per batch instead (`executemany`)
and, on PostgreSQL, stream larger batches with `COPY` (an UPDATE joins a COPY-filled temporary
table). The result is the same on both databases. Values are ints, strings, None or aware
datetimes (adapted here).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

# Below this many rows, one executemany costs less than setting up a COPY.
COPY_THRESHOLD = 200


def _adapt(row: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(
        connection.ops.adapt_datetimefield_value(v) if isinstance(v, datetime.datetime) else v
        for v in row
    )


def _adapted(rows: Iterable[Sequence[Any]]) -> list[Sequence[Any]]:
    # psycopg takes aware datetimes as they are: only SQLite needs them adapted.
    if connection.vendor == "postgresql":
        return list(rows)
    return [_adapt(row) for row in rows]


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """INSERT rows (tuples in `columns` order) into the model's table."""
    rows = _adapted(rows)
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if _copies(rows):
            _copy(cursor, f"COPY {table} ({names}) FROM STDIN", rows)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def _copies(rows: list[Sequence[Any]]) -> bool:
    return connection.vendor == "postgresql" and len(rows) >= COPY_THRESHOLD


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """PostgreSQL only: COPY rows (tuples in `columns` order) into a table by name, such as a
    temporary staging table; rows are streamed, not collected first."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        _copy(cursor, f"COPY {quote(table)} ({names}) FROM STDIN", rows)


def _copy(cursor: Any, statement: str, rows: Iterable[Sequence[Any]]) -> None:
    with cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def update_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    key: str = "id",
) -> None:
    """UPDATE by key: each row is (values in `columns` order..., key value)."""
    rows = _adapted(rows)
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if _copies(rows):
            # The new values into a temporary copy of the columns, then one joined UPDATE.
            staged = quote(f"_staged_{model._meta.db_table}")
            names = ", ".join(quote(c) for c in [*columns, key])
            cursor.execute(f"DROP TABLE IF EXISTS {staged}")
            cursor.execute(
                f"CREATE TEMP TABLE {staged} AS SELECT {names} FROM {table} WITH NO DATA"
            )
            try:
                _copy(cursor, f"COPY {staged} ({names}) FROM STDIN", rows)
                assignments = ", ".join(f"{quote(c)} = s.{quote(c)}" for c in columns)
                cursor.execute(
                    f"UPDATE {table} SET {assignments} FROM {staged} s "
                    f"WHERE {table}.{quote(key)} = s.{quote(key)}"
                )
            finally:
                cursor.execute(f"DROP TABLE IF EXISTS {staged}")
            return
        assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {quote(key)} = %s", rows)
