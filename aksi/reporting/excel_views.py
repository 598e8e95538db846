"""Excel entry: download the template of a kecamatan, upload it filled, preview, apply."""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from aksi.accounts.scopes import entry_scope
from aksi.regions.models import Level, Region
from aksi.regions.selectors import active_regions
from aksi.reporting import excel, imports, selectors, supporting
from aksi.reporting.views import _period

SESSION_KEY = "reporting_excel_import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TemplateUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Filled Excel template (.xlsx)"))


def entry_districts(*, user: object) -> QuerySet[Region]:
    """Kab/kota the user enters data for as a whole (their OPD's one Excel file)."""
    return active_regions().filter(entry_scope(user).q(), level=Level.DISTRICT)


def _area_get(user: object, code: str) -> Region:
    """A kecamatan, or a whole kab/kota, the user enters data for; else 404."""
    region = active_regions().filter(code=code).first()
    if region is not None and region.level == Level.DISTRICT:
        if entry_scope(user).covers(region.code):
            return region
        raise Http404(code)
    return selectors.entry_subdistrict_get(user=user, code=code)


@login_required
@require_GET
def excel_template(request: HttpRequest, period: str, code: str) -> HttpResponse:
    period = _period(period)
    area = _area_get(request.user, code)
    kecamatan = (
        selectors.district_subdistricts(district=area) if area.level == Level.DISTRICT else [area]
    )
    indicators = selectors.entry_indicators(user=request.user, year=int(period[:4]))
    items = supporting.entry_items(
        units=selectors.user_units(user=request.user),
        year=int(period[:4]),
        subdistrict=area,
        period=period,
    )
    rows, supporting_rows = [], []
    for subdistrict in kecamatan:
        rows += selectors.entry_grid(subdistrict=subdistrict, indicators=indicators, period=period)
        village_rows, own = supporting.supporting_grid(
            subdistrict=subdistrict, items=items, period=period
        )
        supporting_rows += [*village_rows, *([own] if own else [])]
    data = excel.template_build(
        subdistrict=area,
        period=period,
        indicators=indicators,
        rows=rows,
        items=items,
        supporting_rows=supporting_rows,
        subdistrict_names=(
            {k.code: k.name for k in kecamatan} if area.level == Level.DISTRICT else None
        ),
    )
    response = HttpResponse(data, content_type=XLSX)
    filename = excel.template_filename(subdistrict=area, period=period)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _refusal(upload: excel.TemplateUpload, *, code: str, period: str) -> str:
    if upload.subdistrict_code != code or upload.period != period:
        return _(
            "This template is for kecamatan %(other)s, period %(other_period)s; this page is "
            "%(code)s, %(period)s. Download the template from this page."
        ) % {
            "other": upload.subdistrict_code or "?",
            "other_period": upload.period or "?",
            "code": code,
            "period": period,
        }
    return ""


@transaction.atomic
def _import(
    request: HttpRequest,
    subdistrict,  # noqa: ANN001 - a Region
    period: str,
    pairs: list[imports.CellPair],
    cells: list[supporting.SupportingCell],
    *,
    versions: dict[str, int] | None = None,
) -> imports.ImportReport:
    """Coverage and supporting data of one upload, checked (and, with `versions`, applied)
    together: an invalid or conflicting cell anywhere saves nothing."""
    apply = versions is not None
    report = imports.coverage_values_import(
        actor=request.user,
        subdistrict=subdistrict,
        period=period,
        cells=pairs,
        apply=apply,
        expected_versions=versions,
    )
    if cells:
        supporting.supporting_values_import(
            actor=request.user,
            subdistrict=subdistrict,
            period=period,
            cells=cells,
            apply=apply,
            report=report,
            expected_versions=versions,
        )
    if apply and not report.is_valid:
        raise imports.ImportConflict(_("The file no longer passes the checks."))
    return report


def _render(request: HttpRequest, context: dict[str, object]) -> HttpResponse:
    return render(request, "reporting/excel/upload.html", context)


@login_required
def excel_upload(request: HttpRequest, period: str, code: str) -> HttpResponse:
    period = _period(period)
    subdistrict = _area_get(request.user, code)
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"subdistrict": subdistrict, "period": period, "form": form}
    if request.method != "POST" or not form.is_valid():
        return _render(request, context)
    upload = form.cleaned_data["file"]
    try:
        parsed = excel.template_read(
            upload.read(excel.MAX_UPLOAD_BYTES + 1), name=upload.name or ""
        )
    except excel.TemplateError as error:
        form.add_error("file", str(error))
        return _render(request, context)
    refusal = _refusal(parsed, code=subdistrict.code, period=period)
    if refusal:
        form.add_error("file", refusal)
        return _render(request, context)
    try:
        report = _import(request, subdistrict, period, parsed.pairs, parsed.supporting)
    except (PermissionDenied, ValidationError) as error:  # a locked (submitted) report
        form.add_error("file", " ".join(getattr(error, "messages", [str(error)])))
        return _render(request, context)
    context["report"] = report
    if report.is_valid:
        token = secrets.token_urlsafe(16)
        request.session[SESSION_KEY] = {
            "token": token,
            "code": subdistrict.code,
            "period": period,
            "pairs": [
                [p.region_code, p.indicator_id, p.numerator, p.denominator] for p in parsed.pairs
            ],
            "supporting": [[c.region_code, c.item_id, c.value] for c in parsed.supporting],
            "versions": report.versions,
        }
        context["token"] = token
    return _render(request, context)


@login_required
@require_POST
def excel_apply(request: HttpRequest, period: str, code: str) -> HttpResponse:
    period = _period(period)
    subdistrict = _area_get(request.user, code)
    stored = request.session.get(SESSION_KEY) or {}
    matches = (
        stored.get("token")
        and secrets.compare_digest(str(stored["token"]), request.POST.get("token", ""))
        and stored.get("code") == subdistrict.code
        and stored.get("period") == period
    )
    if not matches:
        messages.error(request, _("The preview has expired; upload the file again."))
        return redirect("reporting:excel_upload", period, subdistrict.code)
    pairs = [
        imports.CellPair(region_code=c, indicator_id=i, numerator=n, denominator=d)
        for c, i, n, d in stored["pairs"]
    ]
    context: dict[str, object] = {"subdistrict": subdistrict, "period": period, "form": None}
    cells = [
        supporting.SupportingCell(region_code=c, item_id=i, value=v)
        for c, i, v in stored.get("supporting", [])
    ]
    try:
        report = _import(request, subdistrict, period, pairs, cells, versions=stored["versions"])
    except (imports.ImportConflict, PermissionDenied, ValidationError) as error:
        message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        context.update(form=TemplateUploadForm(), failure=message)
        del request.session[SESSION_KEY]
        return _render(request, context)
    del request.session[SESSION_KEY]
    context["report"] = report
    return _render(request, context)
