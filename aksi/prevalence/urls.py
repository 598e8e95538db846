from __future__ import annotations

app_name = "prevalence"

urlpatterns: list = []
