"""Reporting periods in DHIS2's ISO-like forms: 2025, 2025S1, 2025S2, 2025Q1, 202507."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:(?P<kind>[SQ])(?P<part>\d)|(?P<month>\d{2}))?$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: str  # "year", "semester", "quarter", "month"
    part: int = 0

    @property
    def code(self) -> str:
        return {
            "year": f"{self.year}",
            "semester": f"{self.year}S{self.part}",
            "quarter": f"{self.year}Q{self.part}",
            "month": f"{self.year}{self.part:02d}",
        }[self.kind]

    @property
    def start(self) -> dt.date:
        months = {"year": 12, "semester": 6, "quarter": 3, "month": 1}[self.kind]
        first_month = 1 if self.kind == "year" else (self.part - 1) * months + 1
        return dt.date(self.year, first_month, 1)

    @property
    def end(self) -> dt.date:
        months = {"year": 12, "semester": 6, "quarter": 3, "month": 1}[self.kind]
        last_month = self.start.month + months - 1
        following = dt.date(self.year + last_month // 12, last_month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    def __str__(self) -> str:
        return self.code


@functools.lru_cache(maxsize=1024)
def parse_period(text: str) -> Period:
    """The period a code names (2025, 2025S1, 2025Q1, 202507); raises PeriodError. Cached:
    periods are immutable and the bulk paths parse the same few codes thousands of times."""
    match = _PATTERN.match(text.strip().upper())
    if match is None:
        raise PeriodError(f"'{text}' is not a period (2025, 2025S1, 2025Q1 or 202507)")
    year = int(match["year"])
    if not 2000 <= year <= 2100:
        raise PeriodError(f"{year} is outside the years Aksi reports on")
    if match["kind"] == "S":
        part, kind, limit = int(match["part"]), "semester", 2
    elif match["kind"] == "Q":
        part, kind, limit = int(match["part"]), "quarter", 4
    elif match["month"]:
        part, kind, limit = int(match["month"]), "month", 12
    else:
        return Period(year, "year")
    if not 1 <= part <= limit:
        raise PeriodError(f"'{text}' has no {kind} {part}")
    return Period(year, kind, part)
