from __future__ import annotations

from django.urls import path

from aksi.review import views

app_name = "review"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("bulk-verify/", views.bulk_verify, name="bulk_verify"),
    path("<int:pk>/", views.submission_detail, name="submission"),
    path("<int:pk>/verify/", views.verify, name="verify"),
    path("<int:pk>/return/", views.return_, name="return"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<str:period>/<str:code>/submit/", views.submit, name="submit"),
]
