"""Permission predicates (django-rules). Scope logic lives in aksi.accounts.scopes."""

from __future__ import annotations

from typing import Any

import rules

from aksi.accounts.models import Role
from aksi.accounts.scopes import held_roles, managed_scope

# Roles a regional admin may hand out inside its own region; central roles only come from the
# centre.
REGIONAL_ROLES = frozenset(
    {
        Role.OPERATOR,
        Role.VERIFIER,
        Role.REGION_ADMIN,
        Role.PROVINCIAL_REVIEWER,
        Role.PANELIST,
        Role.VIEWER,
    }
)


@rules.predicate
def is_central_admin(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser) or Role.CENTRAL_ADMIN in held_roles(user)


@rules.predicate
def is_user_admin(user: Any) -> bool:
    """May manage accounts somewhere: a central admin or a regional admin."""
    return is_central_admin(user) or Role.REGION_ADMIN in held_roles(user)


@rules.predicate
def manages_region(user: Any, region: Any) -> bool:
    if region is None:
        return bool(is_central_admin(user))
    return managed_scope(user).covers(region.code)


rules.add_perm("accounts.manage_users", is_user_admin)
rules.add_perm("accounts.manage_region", manages_region)
