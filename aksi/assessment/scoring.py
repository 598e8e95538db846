"""The arithmetic of an assessment (DOMAIN §8.2), on plain numbers: weighted means, the panel
mean with the optional drop of extremes, the weighted total and ranks with ties.

Exact fractions throughout; results are rounded half up to two decimals once, at the end, and
ranks compare the rounded numbers (what people read), so 87,50 and 87,50 share a rank.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

Number = Decimal | Fraction | int
CENT = Decimal("0.01")


def weighted_mean(pairs: Iterable[tuple[Number, Number]]) -> Fraction:
    """Σ weight × value ÷ Σ weight over (value, weight) pairs; 0 without any weight."""
    total = weights = Fraction(0)
    for value, weight in pairs:
        total += Fraction(weight) * Fraction(value)
        weights += Fraction(weight)
    return total / weights if weights else Fraction(0)


def mean(values: Sequence[Number]) -> Fraction:
    return sum((Fraction(v) for v in values), Fraction(0)) / len(values) if values else Fraction(0)


def panel_mean(scores: Sequence[Number], *, drop_extremes: bool) -> tuple[Fraction, int]:
    """The mean of the panelists' scores; with `drop_extremes` and three panelists or more, one
    highest and one lowest score are left out first. Returns (mean, how many were dropped)."""
    ordered = sorted(Fraction(s) for s in scores)
    if drop_extremes and len(ordered) >= 3:
        return mean(ordered[1:-1]), 2
    return mean(ordered), 0


def total_score(
    *, technical: Number, panel: Number, technical_weight: Number, panel_weight: Number
) -> Fraction:
    """w_tech × technical + w_panel × panel, with weights in percent (they add up to 100)."""
    return (
        Fraction(technical_weight) * Fraction(technical) + Fraction(panel_weight) * Fraction(panel)
    ) / 100


def rounded(value: Number) -> Decimal:
    """Two decimals, half up: 87.125 → 87.13."""
    exact = Fraction(value)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        CENT, rounding=ROUND_HALF_UP
    )


def competition_ranks(values: Sequence[Decimal]) -> list[int]:
    """Rank of each value, highest first; equal values share a rank and the next rank skips
    (100, 90, 90, 80 → 1, 2, 2, 4)."""
    ordered = sorted(values, reverse=True)
    first_position: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first_position.setdefault(value, position)
    return [first_position[value] for value in values]
