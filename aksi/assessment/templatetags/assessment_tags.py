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
