from __future__ import annotations

import pytest
from django.utils import translation

from aksi.lib.numbers import NumberError, parse_count


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1234", 1234),
        ("1.234", 1234),
        ("1.234.567", 1234567),
        (" 12 ", 12),
        ("0", 0),
        ("", None),
        ("   ", None),
        (None, None),
        (15, 15),
        ("1 234", 1234),
    ],
)
def test_it_reads_plain_and_indonesian_counts(text: str | int | None, value: int | None) -> None:
    assert parse_count(text) == value


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1,5", "comma marks a fraction"),
        ("-3", "negative"),
        ("1.5", "not a whole number"),
        ("12.34", "not a whole number"),
        ("abc", "not a whole number"),
        ("1.2345", "not a whole number"),
        (-1, "negative"),
    ],
)
def test_it_refuses_what_is_not_a_count(text: str | int, reason: str) -> None:
    with translation.override("en"), pytest.raises(NumberError, match=reason):
        parse_count(text)


@pytest.mark.parametrize(
    ("numerator", "denominator", "percent"),
    [(1, 3, 33.3), (60, 50, 120.0), (0, 10, 0.0), (5, 0, None), (5, None, None), (None, 10, None)],
)
def test_coverage_is_one_decimal_and_never_zero_without_a_denominator(
    numerator: int | None, denominator: int | None, percent: float | None
) -> None:
    from aksi.lib.numbers import coverage_percent

    assert coverage_percent(numerator, denominator) == percent
