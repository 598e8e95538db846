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
