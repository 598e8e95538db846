from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aksi.catalogue import selectors, services
from aksi.catalogue.forms import CatalogueCopyForm, IndicatorFilterForm, IndicatorForm
from aksi.catalogue.models import IndicatorCatalogue
from aksi.catalogue.rules import MANAGE_CATALOGUE


def _can_manage(request: HttpRequest) -> bool:
    return bool(request.user.has_perm(MANAGE_CATALOGUE))


def _requested_year(request: HttpRequest) -> int | None:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return None


@require_GET
def indicators(request: HttpRequest) -> HttpResponse:
    include_drafts = _can_manage(request)
    catalogues = selectors.catalogue_list(include_drafts=include_drafts)
    year = _requested_year(request) or selectors.catalogue_default_year(catalogues=catalogues)
    catalogue = selectors.catalogue_for_year(year=year, catalogues=catalogues) if year else None
    data = request.GET.copy()
    if year and not data.get("year"):
        data["year"] = str(year)
    form = IndicatorFilterForm(data, catalogues=catalogues, groups=selectors.target_group_options())
    filters = form.filters()
    context: dict[str, Any] = {
        "form": form,
        "year": year,
        "catalogue": catalogue,
        "filtered": bool(filters),
        "indicators": (
            list(selectors.indicator_list(catalogue=catalogue, **filters)) if catalogue else []
        ),
    }
    return render(request, "catalogue/indicators.html", context)


@require_GET
def indicator(request: HttpRequest, year: int, code: str) -> HttpResponse:
    include_drafts = _can_manage(request)
    found = selectors.indicator_get(year=year, code=code, include_drafts=include_drafts)
    if found.code != code:
        return redirect("catalogue:indicator", year=year, code=found.code)
    context = {
        "indicator": found,
        "catalogue": found.catalogue,
        "versions": selectors.indicator_versions(code=found.code, include_drafts=include_drafts),
        "can_manage": include_drafts,
    }
    return render(request, "catalogue/indicator.html", context)


@require_GET
def framework(request: HttpRequest) -> HttpResponse:
    years = selectors.reporting_year_list()
    year = _requested_year(request) or selectors.reporting_year_default(years=years)
    if year is None:
        return render(request, "catalogue/framework.html", {"years": years, "overview": None})
    context = {
        "years": years,
        "year": year,
        "overview": selectors.framework_overview(year=year, years=years),
    }
    return render(request, "catalogue/framework.html", context)


def _manager_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    # Anonymous visitors are sent to the login page; signed-in non-admins get 403.
    return login_required(permission_required(MANAGE_CATALOGUE, raise_exception=True)(view))


def _manage_page(
    request: HttpRequest, versions: list[IndicatorCatalogue], copy_form: CatalogueCopyForm
) -> HttpResponse:
    context = {
        "versions": versions,
        "copy_form": copy_form,
        "events": selectors.catalogue_audit_events(),
    }
    return render(request, "catalogue/manage.html", context)


@_manager_only
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    versions = list(selectors.catalogue_versions())
    # Suggest a copy of the latest version for the year after it.
    initial = {"source": versions[0].year, "year": versions[0].year + 1} if versions else {}
    form = CatalogueCopyForm(initial=initial, catalogues=versions)
    return _manage_page(request, versions, form)


@_manager_only
@require_POST
def copy(request: HttpRequest) -> HttpResponse:
    versions = list(selectors.catalogue_versions())
    form = CatalogueCopyForm(request.POST, catalogues=versions)
    if form.is_valid():
        source = next(c for c in versions if c.year == form.cleaned_data["source"])
        try:
            created = services.catalogue_copy(
                source=source,
                year=form.cleaned_data["year"],
                name=form.cleaned_data["name"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request,
                _("%(name)s was created as a draft with %(count)s indicators.")
                % {"name": created.name, "count": created.indicators.count()},
            )
            return redirect("catalogue:manage_catalogue", year=created.year)
    return _manage_page(request, versions, form)


@_manager_only
@require_GET
def manage_catalogue(request: HttpRequest, year: int) -> HttpResponse:
    catalogue = selectors.catalogue_get(year=year)
    context = {
        "catalogue": catalogue,
        "indicators": selectors.indicator_list(catalogue=catalogue),
    }
    return render(request, "catalogue/manage_catalogue.html", context)


@_manager_only
@require_POST
def publish(request: HttpRequest, year: int) -> HttpResponse:
    catalogue = selectors.catalogue_get(year=year)
    try:
        services.catalogue_publish(catalogue=catalogue, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(name)s is published.") % {"name": catalogue.name})
    return redirect("catalogue:manage_catalogue", year=year)


@_manager_only
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, year: int, code: str) -> HttpResponse:
    found = selectors.indicator_get(year=year, code=code, include_drafts=True)
    catalogue = found.catalogue
    editable = catalogue.status == IndicatorCatalogue.Status.DRAFT
    if request.method == "POST":
        form = IndicatorForm(request.POST)
        if form.is_valid():
            try:
                services.indicator_update(indicator=found, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("Indicator %(code)s was saved.") % {"code": found.code})
                return redirect("catalogue:manage_catalogue", year=year)
    else:
        form = IndicatorForm(initial=IndicatorForm.initial_for(found))
    context = {"indicator": found, "catalogue": catalogue, "form": form, "editable": editable}
    return render(request, "catalogue/indicator_edit.html", context)
