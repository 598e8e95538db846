from __future__ import annotations

import functools
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aksi.accounts.rules import is_central_admin
from aksi.catalogue.models import Indicator, IndicatorCatalogue, TargetGroup
from aksi.lib.numbers import NumberError, parse_count
from aksi.lib.periods import PeriodError, parse_period
from aksi.lib.tabular import SheetError, read_sheet
from aksi.regions.models import Level, Region
from aksi.reporting import (
    count_imports,
    denominators,
    duties,
    entry_switch,
    selectors,
    services,
    supporting,
    validation,
)
from aksi.reporting.forms import DutyForm, SubdistrictEntryForm, ValidationRuleForm
from aksi.reporting.models import (
    CountSource,
    CoverageValue,
    ReportingDuty,
    TargetGroupCount,
    ValueStatus,
)
from aksi.review import locks as review_locks
from aksi.review import selectors as review_selectors


@login_required
def entry_index(request: HttpRequest) -> HttpResponse:
    subdistricts = selectors.entry_subdistricts(user=request.user).order_by("code")[:500]
    # The open reporting year (from the catalogue data), not a year written into a template.
    from aksi.reporting.excel_views import entry_districts  # excel_views imports this module

    context = {
        "subdistricts": subdistricts,
        "districts": entry_districts(user=request.user).order_by("code")[:100],
        "period": review_selectors.default_period(),
    }
    return render(request, "reporting/entry_index.html", context)


def _period(text: str) -> str:
    try:
        return parse_period(text).code
    except PeriodError:
        raise Http404(text) from None


@login_required
def entry_grid(request: HttpRequest, period: str, code: str) -> HttpResponse:
    period = _period(period)
    subdistrict = selectors.entry_subdistrict_get(user=request.user, code=code)
    indicators = selectors.entry_indicators(
        user=request.user, year=int(period[:4]), subdistrict=subdistrict, period=period
    )
    rows = selectors.entry_grid_cells(subdistrict=subdistrict, indicators=indicators, period=period)
    # Until the kab/kota switches kecamatan entry on, its OPD enter and the kecamatan reads.
    closed = bool(entry_switch.closed_subdistricts(actor=request.user, codes=[subdistrict.code]))
    context = {
        "subdistrict": subdistrict,
        "period": period,
        "indicators": indicators,
        "rows": rows,
        "units": selectors.user_units(user=request.user),
        # Submitted or verified: the inputs are shown disabled (the service refuses anyway).
        "locked": review_locks.values_locked(region=subdistrict, period=period) or closed,
        "entry_closed": closed,
    }
    return render(request, "reporting/entry_grid.html", context)


def _cell_answer(
    request: HttpRequest, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """The cell's new state and version (htmx), in the grid's own cell markup."""
    context["c"] = selectors.grid_cell(
        village=context["village"],
        indicator=context["indicator"],
        period=context["period"],
        value=context["value"],
        count=context["count"],
    )
    return render(request, "reporting/_cell_response.html", context, status=status)


@login_required
@require_POST
def cell_save(request: HttpRequest, period: str, code: str, indicator_id: int) -> HttpResponse:
    """Save one numerator/denominator pair (htmx); answers the re-rendered cell."""
    period = _period(period)
    indicator = get_object_or_404(Indicator, pk=indicator_id)
    village = get_object_or_404(Region, code=code)
    raw = {name: request.POST.get(name, "") for name in ("numerator", "denominator")}
    version = request.POST.get("version", "")
    context: dict[str, Any] = {
        "indicator": indicator,
        "village": village,
        "period": period,
        # The re-rendered denominator input keeps offering the target-group count.
        "count": None
        if indicator.is_binary
        else denominators.count_for(
            region_code=village.code, target_group_id=indicator.target_group_id, period=period
        ),
    }

    def existing() -> CoverageValue | None:
        # Only a refused save needs the stored value (its version for the next try).
        return CoverageValue.objects.filter(
            indicator=indicator, region=village, period=period
        ).first()

    try:
        numbers = {name: parse_count(text) for name, text in raw.items()}
    except NumberError as error:
        # Only the status is swapped: what the user typed stays in the inputs to correct.
        context.update(state="invalid", value=existing(), message=str(error))
        return _cell_answer(request, context)
    try:
        result = services.coverage_value_save(
            actor=request.user,
            indicator=indicator,
            region=village,
            period=period,
            numerator=numbers["numerator"],
            denominator=numbers["denominator"],
            expected_version=int(version) if version.isdigit() else None,
            prefill_denominator=True,
        )
    except review_locks.ValuesLocked as error:
        # Submitted or verified: a normal state, shown with its reason (200 so htmx swaps it).
        context.update(state="locked", value=existing(), message=str(error))
        return _cell_answer(request, context)
    except PermissionDenied:
        context.update(state="locked", value=existing(), message="")
        return _cell_answer(request, context, status=403)
    except ValidationError as error:
        context.update(state="invalid", value=existing(), message=" ".join(error.messages))
        return _cell_answer(request, context)
    except services.ConflictError as conflict:
        context.update(state="conflict", value=conflict.current, message="")
        return _cell_answer(request, context)
    # The desa's validation rules, checked again with the new value (errors block the submit).
    outcomes = validation.village_outcomes(village=village, period=period)
    context.update(
        state="saved",
        value=result.value,
        # The denominator was left empty and took the target-group count: say so. (The input
        # is not replaced: the operator may be typing in it right now.)
        prefilled=not indicator.is_binary
        and numbers["denominator"] is None
        and result.value.denominator is not None,
        message=" ".join([*result.warnings, *(o.text for o in outcomes)]),
    )
    return _cell_answer(request, context)


@login_required
def village_values(request: HttpRequest, period: str, code: str) -> HttpResponse:
    """One desa: every indicator's value with its history and the comment field."""
    period = _period(period)
    village = get_object_or_404(Region, code=code, level=Level.VILLAGE)
    subdistrict = selectors.entry_subdistrict_get(user=request.user, code=village.parent_id or "")
    indicators = selectors.entry_indicators(user=request.user, year=int(period[:4]))
    if request.method == "POST":
        indicator = get_object_or_404(Indicator, pk=request.POST.get("indicator", 0))
        value = CoverageValue.objects.filter(
            indicator=indicator, region=village, period=period
        ).first()
        version = request.POST.get("version", "")
        try:
            services.coverage_value_save(
                actor=request.user,
                indicator=indicator,
                region=village,
                period=period,
                numerator=value.numerator if value else None,
                denominator=value.denominator if value else None,
                status=value.status if value else ValueStatus.VALUE,
                note=request.POST.get("note", "").strip(),
                expected_version=int(version) if version.isdigit() else None,
            )
        except services.ConflictError:
            messages.error(request, _("Someone else changed this value meanwhile; check it."))
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("The comment is saved."))
        return redirect("reporting:village", period=period, code=code)
    rows = selectors.village_history(village=village, period=period, indicators=indicators)
    context = {"village": village, "subdistrict": subdistrict, "period": period, "rows": rows}
    return render(request, "reporting/village.html", context)


@login_required
def target_group_grid(request: HttpRequest, period: str, code: str) -> HttpResponse:
    """Data sasaran of a kecamatan: one row per desa, one column per target group."""
    period = _period(period)
    subdistrict = selectors.entry_subdistrict_get(user=request.user, code=code)
    target_groups = selectors.entry_target_groups(year=int(period[:4]))
    rows = selectors.target_group_grid(
        subdistrict=subdistrict, target_groups=target_groups, period=period
    )
    closed = bool(entry_switch.closed_subdistricts(actor=request.user, codes=[subdistrict.code]))
    context = {
        "subdistrict": subdistrict,
        "period": period,
        "target_groups": target_groups,
        "rows": rows,
        "locked": review_locks.values_locked(region=subdistrict, period=period) or closed,
        "entry_closed": closed,
    }
    return render(request, "reporting/target_groups.html", context)


@login_required
@require_POST
def count_save(request: HttpRequest, period: str, code: str, target_group_id: int) -> HttpResponse:
    """Save one target-group count (htmx); answers the re-rendered cell state."""
    period = _period(period)
    target_group = get_object_or_404(TargetGroup, pk=target_group_id)
    village = get_object_or_404(Region, code=code)
    raw = request.POST.get("count", "")
    version = request.POST.get("version", "")
    context: dict[str, object] = {"group": target_group, "village": village, "period": period}

    def existing() -> TargetGroupCount | None:
        return TargetGroupCount.objects.filter(
            target_group=target_group, region=village, period=period
        ).first()

    try:
        number = parse_count(raw)
    except NumberError as error:
        context.update(state="invalid", value=existing(), message=str(error))
        return render(request, "reporting/_count_response.html", context)
    try:
        result = services.target_group_count_save(
            actor=request.user,
            target_group=target_group,
            region=village,
            period=period,
            count=number,
            expected_version=int(version) if version.isdigit() else None,
        )
    except review_locks.ValuesLocked as error:
        context.update(state="locked", value=existing(), message=str(error))
        return render(request, "reporting/_count_response.html", context)
    except PermissionDenied:
        context.update(state="locked", value=existing(), message="")
        return render(request, "reporting/_count_response.html", context, status=403)
    except ValidationError as error:
        context.update(state="invalid", value=existing(), message=" ".join(error.messages))
        return render(request, "reporting/_count_response.html", context)
    except services.CountConflictError as conflict:
        context.update(state="conflict", value=conflict.current, message="")
        return render(request, "reporting/_count_response.html", context)
    outcomes = validation.village_outcomes(village=village, period=period)
    context.update(state="saved", value=result.value, message=" ".join(o.text for o in outcomes))
    return render(request, "reporting/_count_response.html", context)


# Column names accepted in an uploaded count file (normalised by aksi.lib.tabular).
COUNT_COLUMNS = {
    "region_code": ("kode_wilayah", "kode_desa", "region_code"),
    "target_group_code": ("kode_sasaran", "target_group_code", "target_group"),
    "period": ("periode", "period"),
    "count": ("jumlah", "count"),
}


def _column(row: dict[str, str], key: str) -> str:
    return next((row[name] for name in COUNT_COLUMNS[key] if name in row), "")


@login_required
def count_import(request: HttpRequest, period: str, code: str) -> HttpResponse:
    """Upload target-group counts of a kecamatan (CSV or Excel): check, or check and save."""
    period = _period(period)
    subdistrict = selectors.entry_subdistrict_get(user=request.user, code=code)
    context: dict[str, object] = {
        "subdistrict": subdistrict,
        "period": period,
        "sources": [
            (CountSource.DUKCAPIL, CountSource.DUKCAPIL.label),
            (CountSource.OTHER, CountSource.OTHER.label),
            (CountSource.ENTERED, CountSource.ENTERED.label),
        ],
        "columns": COUNT_COLUMNS,
    }
    if request.method != "POST":
        return render(request, "reporting/count_import.html", context)
    upload = request.FILES.get("file")
    source = request.POST.get("source", CountSource.DUKCAPIL)
    if source not in CountSource.values:
        source = CountSource.DUKCAPIL
    apply = request.POST.get("action") == "apply"
    context.update(source=source)
    if upload is None:
        context["error"] = _("Choose a file.")
        return render(request, "reporting/count_import.html", context)
    try:
        sheet = read_sheet(upload, name=upload.name or "")
    except SheetError as error:
        context["error"] = str(error)
        return render(request, "reporting/count_import.html", context)
    rows: list[count_imports.CountRow] = []
    parse_errors: list[count_imports.RowError] = []
    for line, raw in zip(sheet.row_numbers, sheet.rows, strict=True):
        row_period = _column(raw, "period") or period
        try:
            number = parse_count(_column(raw, "count"))
        except NumberError as error:
            parse_errors.append(
                count_imports.RowError(
                    line,
                    _column(raw, "region_code"),
                    _column(raw, "target_group_code"),
                    row_period,
                    str(error),
                )
            )
            continue
        rows.append(
            count_imports.CountRow(
                region_code=_column(raw, "region_code"),
                target_group_code=_column(raw, "target_group_code"),
                period=row_period,
                count=number,
                line=line,
            )
        )
    try:
        report = count_imports.target_group_counts_import(
            actor=request.user,
            rows=rows,
            source=source,
            dry_run=not apply or bool(parse_errors),
            within=subdistrict,
        )
    except PermissionDenied as error:
        context["error"] = str(error)
        return render(request, "reporting/count_import.html", context)
    report.errors[:0] = parse_errors
    report.errors.sort(key=lambda e: e.line)
    if report.applied:
        messages.success(
            request,
            _("Saved: %(new)s new and %(changed)s changed counts.")
            % {"new": report.new, "changed": report.changed},
        )
        return redirect("reporting:target_groups", period=period, code=subdistrict.code)
    context["report"] = report
    return render(request, "reporting/count_import.html", context)


@login_required
def validation_rules(request: HttpRequest, year: int) -> HttpResponse:
    """The validation rules of a catalogue year: read by all, added and changed by the centre."""
    catalogue = get_object_or_404(IndicatorCatalogue, year=year)
    rules = list(catalogue.validation_rules.select_related("updated_by").order_by("code"))
    editing = None
    if "edit" in request.GET:
        editing = next((r for r in rules if str(r.pk) == request.GET["edit"]), None)
    may_edit = bool(is_central_admin(request.user))
    form = ValidationRuleForm(
        initial=(
            {
                "code": editing.code,
                "left": editing.left,
                "operator": editing.operator,
                "right": editing.right,
                "severity": editing.severity,
                "message": editing.message,
                "is_active": editing.is_active,
            }
            if editing
            else {"operator": "<=", "severity": "warning", "is_active": True}
        )
    )
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        editing = next((r for r in rules if str(r.pk) == request.POST.get("rule")), None)
        form = ValidationRuleForm(request.POST)
        if form.is_valid():
            try:
                services.validation_rule_save(
                    actor=request.user, catalogue=catalogue, rule=editing, **form.cleaned_data
                )
            except ValidationError as error:
                for name, problems in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, problems)
            else:
                messages.success(request, _("The rule is saved."))
                return redirect("reporting:rules", year=year)
    context = {
        "catalogue": catalogue,
        "rules": rules,
        "form": form,
        "editing": editing,
        "may_edit": may_edit,
        "indicator_codes": validation.indicator_codes(year),
        # Read only where the form is shown (a callable: the template calls it there).
        "supporting_items": functools.partial(supporting.year_items, year),
        "target_groups": selectors.entry_target_groups(year=year),
    }
    return render(request, "reporting/validation_rules.html", context)


@login_required
def reporting_setup(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """A kab/kota's reporting setup: the kecamatan entry switch and who reports what."""
    district = selectors.setup_district_get(user=request.user, code=code)
    subdistricts = selectors.district_subdistricts(district=district)
    mode, pilots = entry_switch.setting_get(district)
    form = SubdistrictEntryForm(initial={"mode": mode, "pilot": pilots}, subdistricts=subdistricts)
    if request.method == "POST" and request.POST.get("action") == "generate":
        try:
            summary = duties.reporting_duties_generate(
                actor=request.user, district=district, year=year
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "Duties generated: %(created)s new, %(updated)s updated, %(deleted)s "
                    "removed; %(kept)s edited by an admin kept."
                )
                % {
                    "created": summary.created,
                    "updated": summary.updated,
                    "deleted": summary.deleted,
                    "kept": summary.kept_edited,
                },
            )
        return redirect("reporting:setup", code=district.code, year=year)
    if request.method == "POST":
        form = SubdistrictEntryForm(request.POST, subdistricts=subdistricts)
        if form.is_valid():
            try:
                entry_switch.subdistrict_entry_set(
                    actor=request.user,
                    district=district,
                    mode=form.cleaned_data["mode"],
                    pilot_codes=form.cleaned_data["pilot"],
                )
            except ValidationError as error:
                for name, problems in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, problems)
            else:
                messages.success(request, _("Subdistrict entry is saved."))
                return redirect("reporting:setup", code=district.code, year=year)
    context = {
        "district": district,
        "year": year,
        "form": form,
        "mode": mode,
        "pilots": pilots,
        "duties": duties.district_duties(district=district, year=year),
    }
    return render(request, "reporting/setup.html", context)


@login_required
def duty_edit(request: HttpRequest, pk: int) -> HttpResponse:
    duty = get_object_or_404(
        ReportingDuty.objects.select_related("region", "unit", "region__parent"), pk=pk
    )
    district = selectors.setup_district_get(user=request.user, code=duty.region.code[:5])
    form = DutyForm(
        initial={
            "valid_from": duty.valid_from,
            "valid_to": duty.valid_to,
            "indicators": list(duty.indicators.all()),
            "target_groups": list(duty.target_groups.all()),
            "supporting_items": list(duty.supporting_items.all()),
        },
        year=duty.year,
    )
    if request.method == "POST":
        form = DutyForm(request.POST, year=duty.year)
        if form.is_valid():
            try:
                duties.reporting_duty_update(actor=request.user, duty=duty, **form.cleaned_data)
            except ValidationError as error:
                for name, problems in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, problems)
            else:
                messages.success(request, _("The duty is saved."))
                return redirect("reporting:setup", code=district.code, year=duty.year)
    context = {"duty": duty, "district": district, "form": form}
    return render(request, "reporting/duty_edit.html", context)


@login_required
def validation_rules_current(request: HttpRequest) -> HttpResponse:
    """The rules of the open reporting year (the menu's link)."""
    return redirect("reporting:rules", year=int(review_selectors.default_period()[:4]))


@login_required
def setup_index(request: HttpRequest) -> HttpResponse:
    """The kab/kota whose reporting setup the user administers (the menu's link)."""
    districts = list(selectors.setup_districts(user=request.user).order_by("code")[:600])
    year = int(review_selectors.default_period()[:4])
    if len(districts) == 1:
        return redirect("reporting:setup", code=districts[0].code, year=year)
    return render(request, "reporting/setup_index.html", {"districts": districts, "year": year})
