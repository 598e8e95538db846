from __future__ import annotations

from django.urls import path

from aksi.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("search/", views.search, name="search"),
    path("<str:code>/", views.browse, name="detail"),
]
