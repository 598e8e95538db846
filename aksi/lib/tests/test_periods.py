from __future__ import annotations

import datetime as dt

import pytest

from aksi.lib.periods import PeriodError, parse_period


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("2025S1", dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
        ("2025s2", dt.date(2025, 7, 1), dt.date(2025, 12, 31)),
        ("2025Q1", dt.date(2025, 1, 1), dt.date(2025, 3, 31)),
        ("2024Q4", dt.date(2024, 10, 1), dt.date(2024, 12, 31)),
        ("202402", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("202512", dt.date(2025, 12, 1), dt.date(2025, 12, 31)),
    ],
)
def test_it_reads_dhis2_periods_with_their_dates(text: str, start: dt.date, end: dt.date) -> None:
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)
    assert parse_period(period.code) == period


@pytest.mark.parametrize("text", ["2025S3", "2025Q5", "202513", "25", "2025-01", "1999", "abcd"])
def test_it_refuses_what_is_not_a_period(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text)
