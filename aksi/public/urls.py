from __future__ import annotations

from django.urls import path

from aksi.public import views

app_name = "public"

urlpatterns = [
    path("", views.national, name="national"),
    path("<str:code>/", views.region, name="region"),
]
