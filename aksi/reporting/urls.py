from __future__ import annotations

from django.urls import include, path

from aksi.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.entry_index, name="entry"),
    path("", include("aksi.reporting.excel_urls")),
    path("<str:period>/<str:code>/village/", views.village_values, name="village"),
    path("<str:period>/<str:code>/", views.entry_grid, name="grid"),
    path("<str:period>/<str:code>/<int:indicator_id>/", views.cell_save, name="cell"),
]
