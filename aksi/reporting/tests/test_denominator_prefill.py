from __future__ import annotations

from typing import Any

import pytest

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.catalogue.models import Indicator, TargetGroup
from aksi.regions.models import Region
from aksi.reporting import services
from aksi.reporting.models import CountSource, CoverageValue

DESA = "35.19.01.2001"


@pytest.fixture
def operator(db: None) -> User:
    return user_with_role("op_kebonsari", Role.OPERATOR, "35.19.01")


def _count(actor: User, count: int, *, period: str = "2025", source: str = "dukcapil") -> None:
    services.target_group_count_save(
        actor=actor,
        target_group=TargetGroup.objects.get(code="child_under_five"),
        region=Region.objects.get(code=DESA),
        period=period,
        count=count,
        source=source,
    )


def _value(actor: User, numerator: int | None, denominator: int | None, **kw: Any) -> Any:
    return services.coverage_value_save(
        actor=actor,
        indicator=Indicator.objects.get(catalogue__year=2025, code=kw.pop("code", "BL-01")),
        region=Region.objects.get(code=DESA),
        period="2025",
        numerator=numerator,
        denominator=denominator,
        **kw,
    )


def test_an_empty_denominator_takes_the_target_group_count(operator: User) -> None:
    _count(operator, 200)
    result = _value(operator, 150, None, prefill_denominator=True)
    assert (result.value.denominator, result.value.coverage) == (200, 75.0)
    assert result.value.denominator_source == Indicator.DenominatorSource.DUKCAPIL
    assert result.warnings == []


def test_an_entered_count_is_recorded_as_target_group_data(operator: User) -> None:
    _count(operator, 200, source=CountSource.ENTERED)
    result = _value(operator, 150, None, prefill_denominator=True)
    assert result.value.denominator_source == Indicator.DenominatorSource.TARGET_GROUP_DATA


def test_without_the_prefill_flag_a_save_is_as_before(operator: User) -> None:
    # The Excel import and the API keep their behaviour: an empty denominator stays empty.
    _count(operator, 200)
    result = _value(operator, 150, None)
    assert result.value.denominator is None


def test_a_year_value_falls_back_to_the_latest_semester_count(operator: User) -> None:
    _count(operator, 180, period="2025S1")
    _count(operator, 190, period="2025S2")
    result = _value(operator, 95, None, prefill_denominator=True)
    assert result.value.denominator == 190


def test_a_denominator_far_from_the_count_warns_until_explained(
    operator: User, english: Any
) -> None:
    _count(operator, 200)
    result = _value(operator, 100, 150)
    assert any("differs from the target-group data" in w for w in result.warnings)
    assert result.value.denominator == 150  # stored all the same: never lose a number
    assert result.value.denominator_source == Indicator.DenominatorSource.DUKCAPIL  # catalogue's
    explained = _value(
        operator, 100, 150, note="Sasaran riil dari register posyandu.", expected_version=1
    )
    assert not any("target-group" in w for w in explained.warnings)


def test_a_denominator_within_the_tolerance_does_not_warn(operator: User, english: Any) -> None:
    _count(operator, 200)
    result = _value(operator, 100, 181)  # 9.5% below
    assert not any("target-group" in w for w in result.warnings)


def test_the_tolerance_is_a_setting(operator: User, english: Any, settings: Any) -> None:
    settings.AKSI_DENOMINATOR_TOLERANCE_PERCENT = 5
    _count(operator, 200)
    result = _value(operator, 100, 181)
    assert any("more than 5%" in w for w in result.warnings)


def test_yes_no_indicators_take_no_prefill(operator: User) -> None:
    _count(operator, 200)
    result = _value(operator, 1, None, code="RT-03", prefill_denominator=True)
    assert result.value.denominator == 1


def test_the_grid_offers_the_count_as_a_placeholder(client: Any, operator: User) -> None:
    from django.urls import reverse

    _count(operator, 1234)
    client.force_login(operator)
    response = client.get(reverse("reporting:grid", args=["2025", "35.19.01"]))
    assert 'placeholder="1234"' in response.content.decode()
    assert CoverageValue.objects.count() == 0


def test_accepting_the_prefill_in_the_grid_says_where_the_denominator_came_from(
    client: Any, operator: User
) -> None:
    from django.urls import reverse

    _count(operator, 1234)
    client.force_login(operator)
    indicator = Indicator.objects.get(catalogue__year=2025, code="BL-01")
    response = client.post(
        reverse("reporting:cell", args=["2025", DESA, indicator.pk]),
        {"numerator": "617", "denominator": "", "version": ""},
    )
    body = response.content.decode()
    assert "50,0%" in body
    assert "1.234" in body  # "denominator 1.234 taken from the target-group data"
    # The input is not swapped: the operator may be typing the denominator at this moment.
    assert 'id="d-3519012001-bl-01"' not in body
    assert CoverageValue.objects.get().denominator == 1234


def test_overriding_an_accepted_prefill_drops_the_counts_source(operator: User) -> None:
    _count(operator, 200, source=CountSource.ENTERED)
    _value(operator, 150, None, prefill_denominator=True)
    result = _value(operator, 150, 260, expected_version=1, note="Register posyandu.")
    assert result.value.denominator == 260
    assert result.value.denominator_source == Indicator.DenominatorSource.DUKCAPIL  # BL-01's
