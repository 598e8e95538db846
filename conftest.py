"""Shared test fixtures: the real national region tree, the catalogue, and a cast of users."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from aksi.accounts.models import Role, RoleAssignment, User
from aksi.regions.models import Region


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    # Every test sees the real Kemendagri tree and the shipped catalogue, loaded once.
    with django_db_blocker.unblock():
        call_command("regions", "import", verbosity=0)
        call_command("catalogue", "load", verbosity=0)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings: Any) -> None:
    # Argon2 is slow by design; tests that check hashing restore the production hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Whatever DEBUG the environment sets, tests decide two-factor themselves.
    settings.AKSI_TWO_FACTOR_REQUIRED = False


def _user(username: str, role: str | None = None, region: Region | None = None) -> User:
    user = User.objects.create_user(
        username=username, password="correct horse battery", full_name=username.title()
    )
    if role:
        RoleAssignment.objects.create(user=user, role=role, region=region)
    return user


@pytest.fixture
def province(db: None) -> Region:
    return Region.objects.get(code="35")  # Jawa Timur


@pytest.fixture
def district(db: None) -> Region:
    return Region.objects.get(code="35.19")  # Kabupaten Madiun


@pytest.fixture
def central_admin(db: None) -> User:
    return _user("pusat", Role.CENTRAL_ADMIN)


@pytest.fixture
def prov_verifier(province: Region) -> User:
    return _user("reviewer_jatim", Role.PROVINCIAL_REVIEWER, province)


@pytest.fixture
def district_operator(district: Region) -> User:
    return _user("operator_madiun", Role.OPERATOR, district)


@pytest.fixture
def outsider(db: None) -> User:
    """Signed in, but holds a role only in Aceh: sees nothing of Jawa Timur."""
    return _user("orang_aceh", Role.OPERATOR, Region.objects.get(code="11"))
