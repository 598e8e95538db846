from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils import formats

register = template.Library()

CENT = Decimal("0.01")


@register.filter
def score(value: Any) -> str:
    """A score as people read it in the active language, without trailing zeros: 87,5 · 100 ·
    66,67 in Indonesian; "—" for none."""
    if value is None or value == "":
        return "—"
    number = Decimal(str(value)).quantize(CENT)
    number = number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
    return formats.number_format(number, use_l10n=True)


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)


@register.filter
def points(value: Any) -> str:
    """A change in percentage points with its sign, one decimal in the active language:
    −1,2 · +0,8 · 0,0; "—" for none."""
    if value is None or value == "":
        return "—"
    number = Decimal(str(value)).quantize(Decimal("0.1"))
    text = formats.number_format(abs(number), decimal_pos=1, use_l10n=True)
    if number < 0:
        return f"\u2212{text}"
    return f"+{text}" if number > 0 else text
