from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.catalogue.models import Indicator
from aksi.regions.models import Region
from aksi.reporting.services import coverage_value_save

KECAMATAN = "35.19.01"  # Kebonsari, Kab. Madiun
DESA = "35.19.01.2001"


@pytest.fixture
def kecamatan(db: None) -> Region:
    return Region.objects.get(code=KECAMATAN)


@pytest.fixture
def desa(db: None) -> Region:
    return Region.objects.get(code=DESA)


@pytest.fixture
def kecamatan_operator(db: None) -> User:
    return user_with_role("op_kebonsari", Role.OPERATOR, KECAMATAN)


@pytest.fixture
def kecamatan_verifier(db: None) -> User:
    """A verifier at the kecamatan's own level: may not verify the kecamatan's submission."""
    return user_with_role("ver_kebonsari", Role.VERIFIER, KECAMATAN)


@pytest.fixture
def district_verifier(db: None) -> User:
    return user_with_role("ver_madiun", Role.VERIFIER, "35.19")


def indicator(code: str = "BL-01") -> Indicator:
    return Indicator.objects.get(catalogue__year=2025, code=code)


def save_value(
    actor: User, region: Region, numerator: int | None, denominator: int | None, **kw: Any
) -> Any:
    return coverage_value_save(
        actor=actor,
        indicator=indicator(kw.pop("code", "BL-01")),
        region=region,
        period=kw.pop("period", "2025"),
        numerator=numerator,
        denominator=denominator,
        **kw,
    )


@pytest.fixture(autouse=True)
def english_messages() -> Any:
    """Service messages are asserted in English (msgids), whatever the default language."""
    with translation.override("en"):
        yield
