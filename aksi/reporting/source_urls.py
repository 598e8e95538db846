from __future__ import annotations

from django.urls import path

from aksi.reporting import source_views

app_name = "sources"

urlpatterns = [path("", source_views.source_upload, name="upload")]
