from __future__ import annotations

from django.urls import path

from aksi.core import audit_views

app_name = "audit"

urlpatterns = [
    path("", audit_views.log, name="log"),
    path("export.csv", audit_views.export, name="export"),
    path("user/<int:pk>/", audit_views.user_history, name="user"),
    path("object/<str:label>/<str:pk>/", audit_views.object_history, name="object"),
]
