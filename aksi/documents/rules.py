"""Who may add, change, revoke and remove a region's documents (django-rules predicates).

Writers are the operators, verifiers and regional admins whose current assignment covers the
region (their entry scope): a kab/kota Bappeda keeps its own register and may file the minutes
of its kecamatan; a kecamatan keeps its own. Readers are decided by the selectors.
"""

from __future__ import annotations

from typing import Any

import rules

from aksi.accounts.scopes import entry_scope

WRITE_REGION = "documents.write_region"
WRITE_DOCUMENT = "documents.write_document"


@rules.predicate
def may_write_region(user: Any, region: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or region is None:
        return False
    return entry_scope(user).covers(region.code)


@rules.predicate
def may_write_document(user: Any, document: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or document is None:
        return False
    # region_id is the region code: no query for the region row.
    return entry_scope(user).covers(document.region_id)


rules.add_perm(WRITE_REGION, may_write_region)
rules.add_perm(WRITE_DOCUMENT, may_write_document)
