"""A Jawa Timur round on four kab/kota, its province admin, technical team and panelists, a
central admin, and the people who must be refused: a kab/kota admin, another province's admin,
a panelist of another round."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.assessment import services
from aksi.assessment.models import AssessmentRound
from aksi.regions.models import Region

from .factories import make_round, simple_rubric

PROVINCE = "35"  # Jawa Timur
PARTICIPANTS = ["35.17", "35.18", "35.19", "35.77"]  # Jombang, Nganjuk, Madiun, Kota Madiun


@pytest.fixture(autouse=True)
def english() -> Any:
    """Messages asserted in English (the msgids)."""
    with translation.override("en"):
        yield


@pytest.fixture
def jatim(db: None) -> Region:
    return Region.objects.get(code=PROVINCE)


@pytest.fixture
def participants(db: None) -> list[Region]:
    return list(Region.objects.filter(code__in=PARTICIPANTS).order_by("code"))


@pytest.fixture
def province_admin(db: None) -> User:
    return user_with_role("admin_jatim", Role.REGION_ADMIN, PROVINCE)


@pytest.fixture
def technical(db: None) -> User:
    return user_with_role("teknis_jatim", Role.PROVINCIAL_REVIEWER, PROVINCE)


@pytest.fixture
def panelists(db: None) -> list[User]:
    return [user_with_role(f"panelis_{n}", Role.PANELIST, PROVINCE) for n in range(1, 4)]


@pytest.fixture
def district_admin(db: None) -> User:
    return user_with_role("admin_madiun", Role.REGION_ADMIN, "35.19")


@pytest.fixture
def other_admin(db: None) -> User:
    return user_with_role("admin_banten", Role.REGION_ADMIN, "36")


@pytest.fixture
def central(db: None) -> User:
    return user_with_role("pusat", Role.CENTRAL_ADMIN, None)


@pytest.fixture
def draft_round(province_admin: User, jatim: Region, participants: list[Region]) -> AssessmentRound:
    return make_round(province_admin, jatim, participants)


@pytest.fixture
def open_round(
    draft_round: AssessmentRound, province_admin: User, panelists: list[User]
) -> AssessmentRound:
    for panelist in panelists[:2]:
        services.round_panelist_add(actor=province_admin, round=draft_round, user=panelist)
    return services.round_open_scoring(actor=province_admin, round=draft_round)


@pytest.fixture
def simple_round(
    draft_round: AssessmentRound, province_admin: User, panelists: list[User]
) -> AssessmentRound:
    """Open for scoring with the simple rubric (T1 ×2, T2 ×1; P1 ×1, P2 ×3) and three
    panelists."""
    simple_rubric(draft_round, province_admin)
    for panelist in panelists:
        services.round_panelist_add(actor=province_admin, round=draft_round, user=panelist)
    return services.round_open_scoring(actor=province_admin, round=draft_round)
