"""Data pendukung: supporting items per desa (or per kecamatan), saved like any reported value.

An item is a count, a yes/no (stored 1/0) or an amount in whole rupiah (DOMAIN §6.2). Saves go
through the rules of a cell save: entry scope and the kecamatan switch, the submission lock,
optimistic versions (a conflict carries the other value), one history row per change.
"""

from __future__ import annotations

from aksi.reporting.supporting.bulk import SupportingCell, SupportingWrite, supporting_values_import
from aksi.reporting.supporting.exchange import supporting_values_exchange
from aksi.reporting.supporting.grid import (
    HistoryRow,
    SupportingRow,
    completeness,
    entry_items,
    region_history,
    supporting_grid,
    unit_item_ids,
    year_items,
)
from aksi.reporting.supporting.values import (
    SupportingConflictError,
    SupportingSaveResult,
    parse_supporting,
    supporting_value_save,
)

__all__ = [
    "HistoryRow",
    "SupportingCell",
    "SupportingConflictError",
    "SupportingRow",
    "SupportingSaveResult",
    "SupportingWrite",
    "completeness",
    "entry_items",
    "parse_supporting",
    "region_history",
    "supporting_grid",
    "supporting_value_save",
    "supporting_values_exchange",
    "supporting_values_import",
    "unit_item_ids",
    "year_items",
]
