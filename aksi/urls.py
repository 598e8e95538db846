from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from aksi.accounts import two_factor
from aksi.accounts import views as account_views
from aksi.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", account_views.password_change, name="password_change"),
    path(
        "password/set/<uidb64>/<token>/",
        account_views.InvitationConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("login/code/", two_factor.verify, name="two_factor_verify"),
    path("login/two-factor/", two_factor.setup, name="two_factor_setup"),
    path("users/", include("aksi.accounts.urls")),
    path("entry/", include("aksi.reporting.urls")),
    path("review/", include("aksi.review.urls")),
    path("documents/", include("aksi.documents.urls")),
    path("assessment/", include("aksi.assessment.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("regions/", include("aksi.regions.urls")),
    path("catalogue/", include("aksi.catalogue.urls")),
    path("guide/", include("aksi.guide.urls")),
    path("audit/", include("aksi.core.audit_urls")),
    path("analytics/", include("aksi.analytics.urls")),
    path("map/", include("aksi.analytics.map_urls")),
    path("prevalence/", include("aksi.prevalence.urls")),
    path("public/", include("aksi.public.urls")),
    path("api/", include("aksi.api.urls")),
    path("tokens/", include("aksi.api.token_urls")),
    path("sources/", include("aksi.reporting.source_urls")),
    path("django-admin/", admin.site.urls),
]
