"""The columns of a value's history row, in the order the bulk writers send them."""

from __future__ import annotations

HISTORY_COLUMNS = [
    "value_id",
    "changed_at",
    "actor_id",
    "via",
    "old_numerator",
    "old_denominator",
    "old_status",
    "new_numerator",
    "new_denominator",
    "new_status",
    "note",
]
