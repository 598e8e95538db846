"""Who may run, score and read an assessment round (django-rules predicates).

- Managers: the province's regional admin (a `region_admin` assignment on the province itself,
  not on one of its kab/kota) and central admins. They create rounds, edit the rubric, assign
  panelists, open scoring, compute, close and publish; they reopen a closed round (with a
  reason) and delete a draft nobody has graded.
- Withdrawing a publication: central admins only. Once published, a ranking has been announced
  to the kab/kota, the public and the API; the province cannot take it back on its own.
- Technical team: operators, regional admins and provincial reviewers assigned to the province
  itself; they grade the technical items.
- Panelists: users holding the `panelist` role on the province AND assigned to the round
  (RoundPanelist); they grade the panel items of that round only.
- Readers of results: everyone signed in once a round is published; before that the managers,
  the technical team and national roles.

Assignments on a kab/kota never count as province-level: a kab/kota does not score itself.
"""

from __future__ import annotations

from typing import Any

import rules

from aksi.accounts import scopes
from aksi.accounts.models import Role
from aksi.accounts.rules import is_central_admin

TECHNICAL_TEAM_ROLES = frozenset({Role.OPERATOR, Role.REGION_ADMIN, Role.PROVINCIAL_REVIEWER})
MANAGER_ROLES = frozenset({Role.REGION_ADMIN})

MANAGE_PROVINCE = "assessment.manage_province"
MANAGE_ROUND = "assessment.manage_round"
SCORE_TECHNICAL = "assessment.score_technical"
SCORE_PANEL = "assessment.score_panel"
VIEW_ROUND = "assessment.view_round"
VIEW_RESULTS = "assessment.view_results"
UNPUBLISH_ROUND = "assessment.unpublish_round"


def province_codes(user: Any, roles: frozenset[str]) -> set[str]:
    """Provinces the user holds one of these roles on, at province level."""
    # scopes._assignments is cached on the user: no query per call.
    return {
        region
        for role, region, _unit in scopes._assignments(user)
        if role in roles and region and "." not in region
    }


def is_national_reader(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and scopes.view_scope(user).national


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@rules.predicate
def manages_province(user: Any, province: Any) -> bool:
    if not _signed_in(user) or province is None:
        return False
    if is_central_admin(user):
        return True
    return province.code in province_codes(user, MANAGER_ROLES)


@rules.predicate
def manages_round(user: Any, round: Any) -> bool:
    if not _signed_in(user) or round is None:
        return False
    if is_central_admin(user):
        return True
    return round.province_id in province_codes(user, MANAGER_ROLES)


@rules.predicate
def on_technical_team(user: Any, round: Any) -> bool:
    if not _signed_in(user) or round is None:
        return False
    return round.province_id in province_codes(user, TECHNICAL_TEAM_ROLES)


@rules.predicate
def is_round_panelist(user: Any, round: Any) -> bool:
    if not _signed_in(user) or round is None:
        return False
    if round.province_id not in province_codes(user, frozenset({Role.PANELIST})):
        return False
    return round.panelists.filter(user=user).exists()


@rules.predicate
def reads_round(user: Any, round: Any) -> bool:
    if not _signed_in(user) or round is None:
        return False
    if round.is_published or is_national_reader(user):
        return True
    return bool(manages_round(user, round) or on_technical_team(user, round)) or bool(
        is_round_panelist(user, round)
    )


@rules.predicate
def reads_results(user: Any, round: Any) -> bool:
    if not _signed_in(user) or round is None:
        return False
    if round.is_published or is_national_reader(user):
        return True
    return bool(manages_round(user, round) or on_technical_team(user, round))


@rules.predicate
def unpublishes_round(user: Any, round: Any) -> bool:
    return _signed_in(user) and round is not None and bool(is_central_admin(user))


def sees_scorers(user: Any, round: Any) -> bool:
    """Who gave which grade: the province's managers and technical team, national roles. Other
    readers of published results see the grades without names."""
    return is_national_reader(user) or bool(
        manages_round(user, round) or on_technical_team(user, round)
    )


rules.add_perm(MANAGE_PROVINCE, manages_province)
rules.add_perm(MANAGE_ROUND, manages_round)
rules.add_perm(SCORE_TECHNICAL, on_technical_team)
rules.add_perm(SCORE_PANEL, is_round_panelist)
rules.add_perm(VIEW_ROUND, reads_round)
rules.add_perm(VIEW_RESULTS, reads_results)
rules.add_perm(UNPUBLISH_ROUND, unpublishes_round)
