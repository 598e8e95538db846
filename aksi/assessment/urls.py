from __future__ import annotations

from django.urls import path

from aksi.assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.round_list, name="list"),
    path("new/", views.round_create, name="create"),
    path("<int:pk>/", views.round_detail, name="detail"),
    path("<int:pk>/settings/", views.round_edit, name="edit"),
    path("<int:pk>/rubric/add/", views.rubric_item_add, name="item_add"),
    path("<int:pk>/rubric/<int:item_pk>/", views.rubric_item_edit, name="item_edit"),
    path("<int:pk>/rubric/<int:item_pk>/remove/", views.rubric_item_delete, name="item_delete"),
    path("<int:pk>/panelists/add/", views.panelist_add, name="panelist_add"),
    path("<int:pk>/panelists/<int:user_pk>/remove/", views.panelist_remove, name="panelist_remove"),
    path("<int:pk>/do/<slug:action>/", views.round_transition, name="transition"),
    path("<int:pk>/reopen/", views.round_reopen, name="reopen"),
    path("<int:pk>/unpublish/", views.round_unpublish, name="unpublish"),
    path("<int:pk>/delete/", views.round_delete, name="delete"),
    path("<int:pk>/scoring/", views.scoring, name="scoring"),
    path("<int:pk>/scoring/<str:code>/<int:item_pk>/", views.score_cell, name="score_cell"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results.xlsx", views.results_export, name="export"),
    path("<int:pk>/results/<str:code>/", views.participant_sheet, name="sheet"),
]
