"""Every write to the catalogue: loading the shipped files, copying a year, editing, publishing.

Each service runs in one transaction and records an audit event with the values before and after.
"""

from __future__ import annotations

from aksi.catalogue.services.editing import (
    EDITABLE_FIELDS,
    catalogue_copy,
    catalogue_publish,
    indicator_update,
)
from aksi.catalogue.services.loading import LoadResult, catalogue_load

__all__ = [
    "EDITABLE_FIELDS",
    "LoadResult",
    "catalogue_copy",
    "catalogue_load",
    "catalogue_publish",
    "indicator_update",
]
