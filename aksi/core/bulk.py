"""Plain `executemany` writes for the bulk paths (imports, rebuilds, the region tree).

Django's `bulk_create` prepares every field of every object in Python and `bulk_update`
builds one CASE expression per field; for tens of thousands of rows both cost far more than the
database work. These helpers send one parameterised statement per batch instead, on SQLite and
PostgreSQL alike. Values are ints, strings, None or aware datetimes (adapted here).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models


def _adapt(row: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(
        connection.ops.adapt_datetimefield_value(v) if isinstance(v, datetime.datetime) else v
        for v in row
    )


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """INSERT rows (tuples in `columns` order) into the model's table."""
    rows = [_adapt(row) for row in rows]
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})", rows
        )


def update_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    key: str = "id",
) -> None:
    """UPDATE by key: each row is (values in `columns` order..., key value)."""
    rows = [_adapt(row) for row in rows]
    if not rows:
        return
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(key)} = %s",
            rows,
        )
