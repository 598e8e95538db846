from __future__ import annotations

from django.urls import path

from aksi.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.user_list, name="users"),
    path("new/", views.user_create, name="user_create"),
    path("import/", views.user_import, name="user_import"),
    path("<int:pk>/", views.user_detail, name="user"),
    path("<int:pk>/<slug:action>/", views.user_action, name="user_action"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("decrees/", views.decree_list, name="decrees"),
    path("decrees/new/", views.decree_create, name="decree_create"),
    path("decrees/<int:pk>/file/", views.decree_file, name="decree_file"),
]
