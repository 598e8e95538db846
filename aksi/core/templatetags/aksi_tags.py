from __future__ import annotations

import datetime as dt

from django import template

register = template.Library()


@register.filter
def minutes(value: dt.timedelta | None) -> int:
    """Whole minutes of a duration, rounded up: 15 for 0:14:30."""
    if not value:
        return 0
    return -(-int(value.total_seconds()) // 60)
