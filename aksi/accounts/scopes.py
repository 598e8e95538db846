"""What a user may see and where they may enter data, as region subtrees.

Scopes are computed from the user's current role assignments; selectors and services apply
them, never templates. A region code covers itself and every code below it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from aksi.accounts.models import Role
from aksi.regions.selectors import subtree_q

NATIONAL_VIEW_ROLES = frozenset({Role.CENTRAL_ADMIN, Role.CENTRAL_MONITOR})
ENTRY_ROLES = frozenset({Role.OPERATOR, Role.VERIFIER, Role.REGION_ADMIN})


@dataclass(frozen=True)
class Scope:
    national: bool = False
    roots: tuple[str, ...] = ()
    unit_ids: tuple[int, ...] = ()  # empty: every unit of the regions

    @property
    def is_empty(self) -> bool:
        return not self.national and not self.roots

    def covers(self, code: str) -> bool:
        if self.national:
            return True
        return any(code == root or code.startswith(f"{root}.") for root in self.roots)

    def q(self, prefix: str = "") -> Q:
        """Filter for rows whose region (reached through `prefix`) lies in the scope."""
        if self.national:
            return Q()
        if not self.roots:
            return Q(pk__in=[])  # an empty Q() would match everything
        condition = Q()
        for root in self.roots:
            condition |= subtree_q(root, prefix=prefix)
        return condition


def _collapse(codes: set[str]) -> tuple[str, ...]:
    """Drop codes already covered by an ancestor in the set."""
    kept = sorted(codes, key=lambda c: (c.count("."), c))
    roots: list[str] = []
    for code in kept:
        if not any(code == r or code.startswith(f"{r}.") for r in roots):
            roots.append(code)
    return tuple(sorted(roots))


def _assignments(user: object) -> list[tuple[str, str | None, int | None]]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_aksi_assignments", None)
    if cached is None:
        cached = list(
            user.assignments.current().values_list("role", "region_id", "unit_id")  # type: ignore[attr-defined]
        )
        user._aksi_assignments = cached  # type: ignore[attr-defined]
    return cached


def held_roles(user: object) -> set[str]:
    return {role for role, _, _ in _assignments(user)}


def managed_scope(user: object) -> Scope:
    """Where the user administers accounts: everywhere for the centre, else its admin regions."""
    if getattr(user, "is_superuser", False) or Role.CENTRAL_ADMIN in held_roles(user):
        return Scope(national=True)
    regions = {r for role, r, _ in _assignments(user) if role == Role.REGION_ADMIN and r}
    return Scope(roots=_collapse(regions))


def view_scope(user: object) -> Scope:
    if getattr(user, "is_superuser", False):
        return Scope(national=True)
    assignments = _assignments(user)
    if any(role in NATIONAL_VIEW_ROLES for role, _, _ in assignments):
        return Scope(national=True)
    return Scope(roots=_collapse({region for _, region, _ in assignments if region}))


def entry_scope(user: object) -> Scope:
    """Where the user may enter data: operators, verifiers and regional admins, by region/unit."""
    assignments = [a for a in _assignments(user) if a[0] in ENTRY_ROLES and a[1]]
    units = {unit for _, _, unit in assignments if unit}
    unit_free = any(unit is None for _, _, unit in assignments)
    return Scope(
        roots=_collapse({region for _, region, _ in assignments if region}),
        unit_ids=() if unit_free else tuple(sorted(units)),
    )
