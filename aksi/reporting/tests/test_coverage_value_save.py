from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.catalogue.models import Indicator
from aksi.regions.models import Region
from aksi.reporting.models import CoverageValue, CoverageValueChange, ValueStatus
from aksi.reporting.services import ConflictError, coverage_value_save

DESA = "35.19.01.2001"


@pytest.fixture
def operator(db: None) -> User:
    return user_with_role("op_kebonsari", Role.OPERATOR, "35.19.01")


def _indicator(code: str) -> Indicator:
    return Indicator.objects.get(catalogue__year=2025, code=code)


def _save(actor: User, code: str = "BL-01", desa: str = DESA, **kwargs: object) -> object:
    fields = {"numerator": 40, "denominator": 50, "period": "2025"}
    fields.update(kwargs)
    return coverage_value_save(
        actor=actor, indicator=_indicator(code), region=Region.objects.get(code=desa), **fields
    )


def test_it_saves_a_value_and_records_who_changed_what(operator: User) -> None:
    _save(operator)
    result = _save(operator, numerator=45, expected_version=1)
    value = CoverageValue.objects.get()
    assert (value.numerator, value.denominator, value.version, value.coverage) == (45, 50, 2, 90.0)
    history = list(value.changes.order_by("id").values_list("old_numerator", "new_numerator"))
    assert history == [(None, 40), (40, 45)]
    assert result.changed
    assert CoverageValueChange.objects.filter(actor=operator).count() == 2


def test_it_refuses_a_numerator_above_a_register_denominator_and_keeps_the_saved_value(
    operator: User,
) -> None:
    _save(operator, code="BL-03")  # denominator: wasted children found (e-PPGBM register)
    with pytest.raises(ValidationError) as error:
        _save(operator, code="BL-03", numerator=60, expected_version=1)
    assert "numerator" in error.value.error_dict
    assert CoverageValue.objects.get().numerator == 40


def test_it_stores_and_flags_coverage_above_100_percent_against_an_estimate(
    operator: User,
) -> None:
    result = _save(operator, code="BL-01", numerator=60, denominator=50)  # Dukcapil estimate
    assert result.value.coverage == 120.0
    assert len(result.warnings) == 1


def test_the_second_of_two_concurrent_editors_sees_a_conflict(operator: User) -> None:
    colleague = user_with_role("op2_kebonsari", Role.OPERATOR, "35.19.01")
    _save(operator)
    _save(colleague, numerator=41, expected_version=1)
    with pytest.raises(ConflictError) as conflict:
        _save(operator, numerator=42, expected_version=1)
    assert conflict.value.current.numerator == 41
    assert CoverageValue.objects.get().numerator == 41


@pytest.mark.parametrize(
    ("desa", "reason"),
    [("35.19.02.2001", "another kecamatan"), ("35.77.01.1001", "sibling kota")],
)
def test_it_refuses_a_region_outside_the_entry_scope(
    operator: User, desa: str, reason: str
) -> None:
    with pytest.raises(PermissionDenied):
        _save(operator, desa=desa)
    assert not CoverageValue.objects.exists(), reason


def test_a_viewer_enters_nothing(db: None) -> None:
    viewer = user_with_role("viewer_madiun", Role.VIEWER, "35.19")
    with pytest.raises(PermissionDenied):
        _save(viewer)


def test_a_yes_no_indicator_takes_0_or_1_per_village(operator: User) -> None:
    _save(operator, code="RT-03", numerator=1, denominator=None)
    value = CoverageValue.objects.get()
    assert (value.numerator, value.denominator) == (1, 1)
    with pytest.raises(ValidationError):
        _save(operator, code="RT-03", numerator=2, denominator=None, expected_version=1)


def test_it_refuses_a_district_indicator_on_a_village_and_a_period_of_another_year(
    operator: User,
) -> None:
    with pytest.raises(ValidationError) as wrong_level:
        _save(operator, code="RT-04")
    assert "region" in wrong_level.value.error_dict
    with pytest.raises(ValidationError) as wrong_year:
        _save(operator, period="2024S1")
    assert "period" in wrong_year.value.error_dict


def test_not_applicable_is_a_valid_state_without_numbers(operator: User) -> None:
    _save(
        operator,
        numerator=None,
        denominator=None,
        status=ValueStatus.NOT_APPLICABLE,
        note="Tidak ada catin terdaftar",
    )
    value = CoverageValue.objects.get()
    assert value.status == ValueStatus.NOT_APPLICABLE
    assert value.coverage is None
