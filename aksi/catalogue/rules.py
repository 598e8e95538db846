"""Who may change the catalogue: central administrators (Kemendagri, Bina Bangda) only."""

from __future__ import annotations

from typing import Any

import rules

from aksi.accounts.models import Role
from aksi.core.navigation import user_roles

MANAGE_CATALOGUE = "catalogue.manage_catalogue"


@rules.predicate
def is_central_admin(user: Any) -> bool:
    """Holds a current central_admin assignment, or is a superuser."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not user.is_active:
        return False
    # user_roles caches on the user object and counts superusers as central admins.
    return Role.CENTRAL_ADMIN in user_roles(user)


rules.add_perm(MANAGE_CATALOGUE, is_central_admin)
