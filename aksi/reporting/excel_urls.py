from __future__ import annotations

from django.urls import path

from aksi.reporting import excel_views

# Included by aksi.reporting.urls (namespace "reporting") before the grid patterns.
urlpatterns = [
    path("<str:period>/<str:code>/excel/", excel_views.excel_template, name="excel_template"),
    path("<str:period>/<str:code>/excel/upload/", excel_views.excel_upload, name="excel_upload"),
    path("<str:period>/<str:code>/excel/apply/", excel_views.excel_apply, name="excel_apply"),
]
