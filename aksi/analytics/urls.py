from __future__ import annotations

from django.urls import path

from aksi.analytics import views

app_name = "analytics"

# Indonesia has no region code: its pages sit at the top, each region's under its code.
urlpatterns = [
    path("", views.dashboard, name="dashboard_national"),
    path("legend.css", views.legend_css, name="legend_css"),
    path("scorecard/", views.scorecard_page, name="scorecard_national"),
    path("report.pdf", views.report_pdf, name="report_national"),
    path("export/<slug:table>.<slug:fmt>", views.export, name="export_national"),
    path("<str:code>/", views.dashboard, name="dashboard"),
    path("<str:code>/scorecard/", views.scorecard_page, name="scorecard"),
    path("<str:code>/report.pdf", views.report_pdf, name="report"),
    path("<str:code>/export/<slug:table>.<slug:fmt>", views.export, name="export"),
]
