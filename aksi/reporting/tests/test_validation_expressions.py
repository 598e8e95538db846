from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from aksi.catalogue.models import IndicatorCatalogue
from aksi.reporting.validation import (
    ExpressionError,
    Items,
    Ref,
    Term,
    parse_expression,
    rule_clean,
)


def test_it_reads_sums_and_differences_of_items_and_constants() -> None:
    terms = parse_expression("BL-01.numerator - bl-02.denominator+target_group.infant + 5")
    assert terms == [
        Term(1, ref=Ref("indicator", "BL-01", "numerator")),
        Term(-1, ref=Ref("indicator", "BL-02", "denominator")),
        Term(1, ref=Ref("target_group", "infant")),
        Term(1, constant=5),
    ]


def test_a_leading_minus_negates_the_first_term() -> None:
    assert parse_expression("-3 + BL-01.numerator")[0] == Term(-1, constant=3)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "BL-01.numerator BL-02.numerator",  # no sign between
        "BL-01.numerator +",  # ends with a sign
        "BL-01.numerator + - 2",  # two signs
        "BL-01.coverage",  # not a field
        "BL-01.numerator * 2",  # no multiplication
        "__import__('os')",  # nothing to evaluate
    ],
)
def test_it_refuses_what_is_not_the_small_language(text: str) -> None:
    with pytest.raises(ExpressionError):
        parse_expression(text)


def test_a_rule_must_name_items_of_its_catalogue(db: None, english: Any) -> None:
    catalogue = IndicatorCatalogue.objects.get(year=2025)
    rule_clean(
        catalogue=catalogue,
        left="BL-03.numerator",
        right="target_group.wasted_child",
        operator="<=",
    )
    with pytest.raises(ValidationError) as error:
        rule_clean(
            catalogue=catalogue, left="XX-99.numerator", right="target_group.aliens", operator="<="
        )
    assert "XX-99" in error.value.message_dict["left"][0]
    assert "aliens" in error.value.message_dict["right"][0]


def test_items_answer_none_for_what_is_missing() -> None:
    items = Items(values={"BL-01": (5, None)}, counts={"infant": 7})
    assert items.get(Ref("indicator", "BL-01", "numerator")) == 5
    assert items.get(Ref("indicator", "BL-01", "denominator")) is None
    assert items.get(Ref("indicator", "BL-02", "numerator")) is None
    assert items.get(Ref("target_group", "infant")) == 7
    assert items.get(Ref("target_group", "household")) is None
