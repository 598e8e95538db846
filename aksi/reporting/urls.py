from __future__ import annotations

from django.urls import path

from aksi.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.entry_index, name="entry"),
    path("<str:period>/<str:code>/", views.entry_grid, name="grid"),
    path("<str:period>/<str:code>/<int:indicator_id>/", views.cell_save, name="cell"),
]
