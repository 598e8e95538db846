from __future__ import annotations

from django.urls import path

from aksi.guide import views

app_name = "guide"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.section, name="section"),
]
