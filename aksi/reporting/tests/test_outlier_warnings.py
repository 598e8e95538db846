from __future__ import annotations

import pytest
from django.utils import translation

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.catalogue.models import Indicator
from aksi.regions.models import Region
from aksi.reporting.models import CoverageValue
from aksi.reporting.services import coverage_value_save


@pytest.fixture
def operator(db: None) -> User:
    return user_with_role("op_kebonsari", Role.OPERATOR, "35.19.01")


def _save(actor: User, desa: str, n: int, d: int = 100, period: str = "2025") -> list[str]:
    with translation.override("en"):
        return coverage_value_save(
            actor=actor,
            indicator=Indicator.objects.get(catalogue__year=2025, code="BL-01"),
            region=Region.objects.get(code=desa),
            period=period,
            numerator=n,
            denominator=d,
        ).warnings


def test_a_village_far_from_its_siblings_gets_a_warning_but_is_saved(operator: User) -> None:
    villages = list(
        Region.objects.filter(parent_id="35.19.01").order_by("code").values_list("code", flat=True)
    )
    for code, n in zip(villages[:6], [80, 82, 78, 85, 81, 79], strict=True):
        assert _save(operator, code, n) == []
    warnings = _save(operator, villages[6], 12)
    assert any("Far from the other villages" in w for w in warnings)
    assert CoverageValue.objects.get(region_id=villages[6]).numerator == 12


def test_a_value_close_to_its_siblings_has_no_warning(operator: User) -> None:
    villages = list(
        Region.objects.filter(parent_id="35.19.01").order_by("code").values_list("code", flat=True)
    )
    for code, n in zip(villages[:6], [80, 82, 78, 85, 81, 79], strict=True):
        _save(operator, code, n)
    assert _save(operator, villages[6], 76) == []
