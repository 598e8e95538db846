"""Parse counts typed by people: Indonesian `1.234`, plain `1234`, never fractions."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")
_PLAIN = re.compile(r"^\d+$")


class NumberError(ValueError):
    """The text is not a whole, non-negative count; the message says why, in English."""


def coverage_percent(numerator: int | None, denominator: int | None) -> float | None:
    """Numerator ÷ denominator × 100, one decimal; no numerator or no denominator → None, never 0
    (DOMAIN §5.3). Above 100 is returned as is: such values are flagged, never capped."""
    if numerator is None or not denominator:
        return None
    return round(numerator * 100 / denominator, 1)


def parse_count(text: str | int | None) -> int | None:
    """A non-negative whole number from `1.234`, `1234` or ` 1 234 `; empty → None.

    A comma is the Indonesian decimal mark, so `1,5` is a fraction and refused for a count;
    `1.5` is neither a grouped thousand nor a whole number and is refused too.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise NumberError(_("not a number"))
    if isinstance(text, int):
        if text < 0:
            raise NumberError(_("a count cannot be negative"))
        return text
    raw = text.strip().replace("\u00a0", " ").replace(" ", "")
    if raw == "":
        return None
    if raw.startswith("-"):
        raise NumberError(_("a count cannot be negative"))
    if "," in raw:
        raise NumberError(_("a count is a whole number; the comma marks a fraction"))
    if _PLAIN.match(raw):
        return int(raw)
    if _GROUPED.match(raw):
        return int(raw.replace(".", ""))
    raise NumberError(_("not a whole number"))
