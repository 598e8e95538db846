from __future__ import annotations

from django.urls import path

from aksi.analytics import map_views

app_name = "maps"

urlpatterns = [
    path("", map_views.map_page, name="national"),
    path("<str:code>/", map_views.map_page, name="region"),
]
