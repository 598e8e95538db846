from __future__ import annotations

from django.urls import path

from aksi.prevalence import views

app_name = "prevalence"

urlpatterns = [
    path("", views.region, name="national"),
    path("import/", views.import_check, name="import"),
    path("import/apply/", views.import_apply, name="import_apply"),
    path("<str:code>/", views.region, name="region"),
]
