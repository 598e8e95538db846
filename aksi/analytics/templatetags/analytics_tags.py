from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django import template
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from aksi.regions.models import Region, TimeZone

register = template.Library()


@register.simple_tag
def dash_url(name: str, region: Region | None, query: str = "", **kwargs: str) -> str:
    """URL of an analytics page for a region, or for Indonesia when region is None; with the
    filters' query string appended."""
    if region is None:
        url = reverse(f"analytics:{name}_national", kwargs=kwargs or None)
    else:
        url = reverse(f"analytics:{name}", kwargs={"code": region.code, **kwargs})
    return f"{url}?{query}" if query else url


@register.filter
def as_of(moment: datetime.datetime | None, region: Region | None = None) -> str:
    """'26 November 2026 14.03 WITA': the data time in the region's own zone (WIB nationally)."""
    if moment is None:
        return _("no data yet")
    zone = region.time_zone if region is not None else TimeZone.WIB.value
    local = timezone.localtime(moment, ZoneInfo(zone))
    return f"{formats.date_format(local, 'j F Y H:i')} {TimeZone(zone).label}"


@register.filter
def percent_value(value: float | None) -> str:
    """A number for <meter value>: machine format whatever the locale."""
    return "0" if value is None else f"{min(max(value, 0.0), 100.0):.1f}"


@register.filter
def get_band(bands: dict, key: object) -> object:
    return bands.get(key)
