from __future__ import annotations

from django.urls import path

from aksi.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.indicators, name="indicators"),
    path("framework/", views.framework, name="framework"),
    path("manage/", views.manage, name="manage"),
    path("manage/copy/", views.copy, name="copy"),
    path("manage/<int:year>/", views.manage_catalogue, name="manage_catalogue"),
    path("manage/<int:year>/publish/", views.publish, name="publish"),
    path("manage/<int:year>/<str:code>/", views.indicator_edit, name="indicator_edit"),
    path("<int:year>/<str:code>/", views.indicator, name="indicator"),
]
