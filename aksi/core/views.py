from __future__ import annotations

import time

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from aksi.accounts import selectors as account_selectors
from aksi.analytics import selectors as analytics_selectors
from aksi.catalogue import selectors as catalogue_selectors
from aksi.regions import selectors as region_selectors
from aksi.review import selectors as review_selectors


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "national": region_selectors.national_summary(),
        "catalogue": catalogue_selectors.current_catalogue_summary(),
    }
    if request.user.is_authenticated:
        context["assignments"] = account_selectors.assignments_for_home(user=request.user)
        context["decree_warnings"] = account_selectors.decrees_needing_attention(user=request.user)
        context["notices"] = review_selectors.recent_notices(user=request.user)
        if context["catalogue"] is not None:
            context["progress"] = analytics_selectors.progress_for_user(
                user=request.user, period=str(context["catalogue"].year)
            )
            # The role dashboards start here: what needs the user's action this year.
            context["actions"] = analytics_selectors.actions_for_user(
                user=request.user, period=str(context["catalogue"].year)
            )
    return render(request, "core/home.html", context)


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    # Resolved per request: the hashed name exists only after collectstatic.
    return redirect(static("core/favicon.svg"), permanent=True)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return JsonResponse(
            {"status": "error", "database": {"status": "error", "error": type(exc).__name__}},
            status=503,
        )
    elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
    return JsonResponse(
        {
            "status": "ok",
            "database": {"status": "ok", "vendor": connection.vendor, "latency_ms": elapsed_ms},
        }
    )
