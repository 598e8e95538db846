"""The rollups of generated periods, recomputed by the analytics app's set-based rebuild."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from aksi.analytics.rollup_sql import rollups_recompute


def _in(values: Sequence[str]) -> str:
    return ", ".join(["%s"] * len(values))


def rollups_load(*, periods: Sequence[str], prefix: str = "") -> int:
    """Recompute the rollups of `periods` from their values in SQL; returns rows written.

    The same rows as `analytics.services.rollups_rebuild`, without loading rows into Python
    (at national size that is 5 million rollup rows). With a region `prefix`, only the rows
    of that subtree and of its ancestors are recomputed: the rest of the country stays. One
    transaction (a savepoint inside the caller's).
    """
    with transaction.atomic():
        return rollups_recompute(periods=periods, prefix=prefix)
