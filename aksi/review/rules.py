"""Who may submit, verify and reopen (django-rules predicates).

The level above verifies: a verifier, regional admin or provincial reviewer whose assignment
covers the PARENT of the submitting region. Covering the parent means being strictly above,
so nobody verifies their own level.
"""

from __future__ import annotations

from typing import Any

import rules

from aksi.accounts import scopes
from aksi.accounts.models import Role
from aksi.accounts.rules import is_central_admin

SUBMIT_ROLES = frozenset({Role.OPERATOR, Role.REGION_ADMIN})
VERIFY_ROLES = frozenset({Role.VERIFIER, Role.REGION_ADMIN, Role.PROVINCIAL_REVIEWER})


def role_roots(user: Any, roles: frozenset[str]) -> tuple[str, ...]:
    """Region roots of the user's current assignments in these roles."""
    # scopes._assignments is cached on the user, so this costs no extra query per call.
    assignments = scopes._assignments(user)
    return tuple(sorted({region for role, region, _ in assignments if role in roles and region}))


def _covers(roots: tuple[str, ...], code: str) -> bool:
    return any(code == root or code.startswith(f"{root}.") for root in roots)


def verify_roots(user: Any) -> tuple[str, ...]:
    return role_roots(user, VERIFY_ROLES)


@rules.predicate
def may_submit_region(user: Any, region: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or region is None:
        return False
    if not (
        _covers(role_roots(user, SUBMIT_ROLES), region.code)
        and scopes.entry_scope(user).covers(region.code)
    ):
        return False
    # A kecamatan whose own entry is not switched on yet is submitted by the kab/kota.
    from aksi.reporting import entry_switch

    return not entry_switch.closed_subdistricts(actor=user, codes=[region.code])


@rules.predicate
def may_verify_submission(user: Any, submission: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or submission is None:
        return False
    parent = submission.region.parent_id
    if parent is None:  # a province is verified by the centre
        return bool(is_central_admin(user))
    return _covers(verify_roots(user), parent)


@rules.predicate
def may_reopen_submission(user: Any, submission: Any) -> bool:
    return bool(is_central_admin(user)) or bool(may_verify_submission(user, submission))


rules.add_perm("review.submit_region", may_submit_region)
rules.add_perm("review.verify_submission", may_verify_submission)
rules.add_perm("review.reopen_submission", may_reopen_submission)
