from __future__ import annotations

from django.urls import include, path

from aksi.reporting import supporting_views, views

app_name = "reporting"
urlpatterns = [
    path("", views.entry_index, name="entry"),
    path("", include("aksi.reporting.excel_urls")),
    path("rules/", views.validation_rules_current, name="rules_current"),
    path("rules/<int:year>/", views.validation_rules, name="rules"),
    path("setup/", views.setup_index, name="setup_index"),
    path("setup/duty/<int:pk>/", views.duty_edit, name="duty"),
    path("setup/<str:code>/<int:year>/", views.reporting_setup, name="setup"),
    path("<str:period>/<str:code>/village/", views.village_values, name="village"),
    path("<str:period>/<str:code>/target-groups/", views.target_group_grid, name="target_groups"),
    path("<str:period>/<str:code>/target-groups/upload/", views.count_import, name="count_import"),
    path(
        "<str:period>/<str:code>/target-groups/<int:target_group_id>/",
        views.count_save,
        name="count",
    ),
    path(
        "<str:period>/<str:code>/supporting/", supporting_views.supporting_grid, name="supporting"
    ),
    path(
        "<str:period>/<str:code>/supporting/history/",
        supporting_views.supporting_region,
        name="supporting_region",
    ),
    path(
        "<str:period>/<str:code>/supporting/<int:item_id>/",
        supporting_views.supporting_save,
        name="supporting_value",
    ),
    path("<str:period>/<str:code>/", views.entry_grid, name="grid"),
    path("<str:period>/<str:code>/<int:indicator_id>/", views.cell_save, name="cell"),
]
