from __future__ import annotations

from django.urls import path

from aksi.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("new/", views.document_create, name="create"),
    path("form-fields/", views.kind_fields, name="kind_fields"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/edit/", views.document_edit, name="edit"),
    path("<int:pk>/revoke/", views.document_revoke, name="revoke"),
    path("<int:pk>/remove/", views.document_remove, name="remove"),
    path("<int:pk>/file/", views.document_file, name="file"),
]
