"""The working prevalence page of a region and the import (check, then apply)."""

from __future__ import annotations

import secrets
from dataclasses import asdict
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aksi.accounts.scopes import view_scope
from aksi.lib.tabular import MAX_BYTES
from aksi.prevalence import charts, readers, selectors, services
from aksi.prevalence.forms import ImportForm
from aksi.regions.selectors import region_ancestors

SESSION_KEY = "prevalence_import"


@login_required
@require_GET
def region(request: HttpRequest, code: str = "") -> HttpResponse:
    if not code:
        scope = view_scope(request.user)
        if not scope.national and len(scope.roots) >= 1:
            return redirect("prevalence:region", scope.roots[0])
    place = selectors.prevalence_region_get(user=request.user, code=code)
    period, periods = selectors.administrative_period_get(
        region=place, period=request.GET.get("periode") or None
    )
    trend = selectors.survey_trend(region=place)
    breakdown = (
        selectors.administrative_breakdown(region=place, period=period, periods=periods)
        if period
        else None
    )
    ancestors = region_ancestors(place) if place is not None else []
    context = {
        "region": place,
        "ancestors": ancestors,
        "trend": trend,
        "survey_svg": charts.survey_chart(trend),
        "breakdown": breakdown,
        "administrative_svg": charts.administrative_chart(breakdown) if breakdown else "",
        "period_options": [(p, selectors.period_label(p)) for p in periods],
        "can_import": request.user.has_perm("prevalence.import_figures"),
        "region_view": "prevalence:region",
        "page_view": "prevalence:region",
    }
    return render(request, "prevalence/region.html", context)


def _session_rows(rows: list) -> list[dict]:
    stored = []
    for row in rows:
        values = asdict(row)
        if "prevalence" in values:
            values["prevalence"] = str(values["prevalence"])
        stored.append(values)
    return stored


@login_required
def import_check(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("prevalence.import_figures"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form, "max_kb": MAX_BYTES // 1024}
    if request.method != "POST" or not form.is_valid():
        return render(request, "prevalence/import.html", context)
    kind = form.cleaned_data["kind"]
    upload = form.cleaned_data["file"]
    name = upload.name or ""
    read = (
        readers.read_survey_file(upload, name=name)
        if kind == services.SURVEY
        else readers.read_administrative_file(upload, name=name)
    )
    importer = services.survey_import if kind == services.SURVEY else services.administrative_import
    report = importer(
        rows=read.rows,  # type: ignore[arg-type]
        errors=read.errors,
        file_name=name,
        actor=request.user,
        apply=False,
    )
    context["report"] = report
    if report.is_valid and (report.new or report.changed):
        token = secrets.token_urlsafe(16)
        request.session[SESSION_KEY] = {
            "token": token,
            "kind": kind,
            "file": name,
            "rows": _session_rows(read.rows),
        }
        context["token"] = token
    return render(request, "prevalence/import.html", context)


@login_required
@require_POST
def import_apply(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("prevalence.import_figures"):
        raise PermissionDenied
    stored = request.session.get(SESSION_KEY) or {}
    if not (
        stored.get("token")
        and secrets.compare_digest(str(stored["token"]), request.POST.get("token", ""))
    ):
        messages.error(request, _("The check has expired; upload the file again."))
        return redirect("prevalence:import")
    del request.session[SESSION_KEY]
    context: dict[str, object] = {"form": ImportForm(), "max_kb": MAX_BYTES // 1024}
    try:
        if stored["kind"] == services.SURVEY:
            context["report"] = services.survey_import(
                rows=[
                    readers.SurveyRow(**{**r, "prevalence": Decimal(r["prevalence"])})
                    for r in stored["rows"]
                ],
                file_name=stored["file"],
                actor=request.user,
                apply=True,
            )
        else:
            context["report"] = services.administrative_import(
                rows=[readers.AdministrativeRow(**r) for r in stored["rows"]],
                file_name=stored["file"],
                actor=request.user,
                apply=True,
            )
    except services.ImportRefused as refused:
        # Something changed between check and apply (a region retired, a scope ended).
        context["report"] = refused.report
    return render(request, "prevalence/import.html", context)
