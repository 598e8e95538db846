from __future__ import annotations

from django.urls import path

from aksi.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.indicators, name="indicators"),
    path("framework/", views.framework, name="framework"),
    path("manage/", views.manage, name="manage"),
]
