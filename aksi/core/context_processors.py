from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from aksi.core.navigation import navigation_for


def site(request: HttpRequest) -> dict[str, Any]:
    navigation = navigation_for(request)
    more = [item for item in navigation if item["more"]]
    return {
        "aksi_name": settings.SITE_NAME,
        "demo_mode": settings.AKSI_DEMO,
        "navigation": navigation,
        "navigation_more": more,
        "navigation_more_current": any(item["current"] for item in more),
    }
