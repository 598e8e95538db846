from __future__ import annotations

app_name = "maps"

urlpatterns: list = []
