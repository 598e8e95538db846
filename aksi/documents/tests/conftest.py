"""A cast around Kab. Madiun (35.19): its regional admin, the operators of two of its kecamatan,
a provincial reviewer of Jawa Timur, a central monitor; the root conftest adds an outsider in
Aceh. Uploads go to a temporary MEDIA_ROOT."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def english() -> Any:
    """Service messages asserted in English (the msgids)."""
    with translation.override("en"):
        yield


@pytest.fixture
def district_admin(db: None) -> User:
    return user_with_role("admin_madiun", Role.REGION_ADMIN, "35.19")


@pytest.fixture
def kebonsari_operator(db: None) -> User:
    return user_with_role("op_kebonsari", Role.OPERATOR, "35.19.01")


@pytest.fixture
def geger_operator(db: None) -> User:
    """Operator of a sibling kecamatan of Kebonsari."""
    return user_with_role("op_geger", Role.OPERATOR, "35.19.02")


@pytest.fixture
def province_reviewer(db: None) -> User:
    return user_with_role("reviewer_jatim", Role.PROVINCIAL_REVIEWER, "35")


@pytest.fixture
def monitor(db: None) -> User:
    return user_with_role("tenaga_ahli", Role.CENTRAL_MONITOR, None)
