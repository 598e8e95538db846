"""Who may import prevalence figures: the centre everywhere, a regional admin in its region."""

from __future__ import annotations

from typing import Any

import rules

from aksi.accounts.models import Role
from aksi.accounts.rules import is_central_admin
from aksi.accounts.scopes import held_roles


@rules.predicate
def is_region_admin(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Role.REGION_ADMIN in held_roles(user)


# Row by row, the import service then keeps each figure inside the user's managed scope.
rules.add_perm("prevalence.import_figures", is_central_admin | is_region_admin)
