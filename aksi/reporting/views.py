from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aksi.catalogue.models import Indicator
from aksi.lib.numbers import NumberError, parse_count
from aksi.lib.periods import PeriodError, parse_period
from aksi.regions.models import Level, Region
from aksi.reporting import selectors, services
from aksi.reporting.models import CoverageValue, ValueStatus
from aksi.review import locks as review_locks
from aksi.review import selectors as review_selectors


@login_required
def entry_index(request: HttpRequest) -> HttpResponse:
    subdistricts = selectors.entry_subdistricts(user=request.user).order_by("code")[:500]
    # The open reporting year (from the catalogue data), not a year written into a template.
    context = {"subdistricts": subdistricts, "period": review_selectors.default_period()}
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
    indicators = selectors.entry_indicators(user=request.user, year=int(period[:4]))
    rows = selectors.entry_grid(subdistrict=subdistrict, indicators=indicators, period=period)
    context = {
        "subdistrict": subdistrict,
        "period": period,
        "indicators": indicators,
        "rows": rows,
        "units": selectors.user_units(user=request.user),
        # Submitted or verified: the inputs are shown disabled (the service refuses anyway).
        "locked": review_locks.values_locked(region=subdistrict, period=period),
    }
    return render(request, "reporting/entry_grid.html", context)


@login_required
@require_POST
def cell_save(request: HttpRequest, period: str, code: str, indicator_id: int) -> HttpResponse:
    """Save one numerator/denominator pair (htmx); answers the re-rendered cell."""
    period = _period(period)
    indicator = get_object_or_404(Indicator, pk=indicator_id)
    village = get_object_or_404(Region, code=code)
    raw = {name: request.POST.get(name, "") for name in ("numerator", "denominator")}
    version = request.POST.get("version", "")
    context: dict[str, object] = {
        "indicator": indicator,
        "village": village,
        "period": period,
        "raw": raw,
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
        return render(request, "reporting/_cell_response.html", context)
    try:
        result = services.coverage_value_save(
            actor=request.user,
            indicator=indicator,
            region=village,
            period=period,
            numerator=numbers["numerator"],
            denominator=numbers["denominator"],
            expected_version=int(version) if version.isdigit() else None,
        )
    except review_locks.ValuesLocked as error:
        # Submitted or verified: a normal state, shown with its reason (200 so htmx swaps it).
        context.update(state="locked", value=existing(), message=str(error))
        return render(request, "reporting/_cell_response.html", context)
    except PermissionDenied:
        context.update(state="locked", value=existing(), message="")
        return render(request, "reporting/_cell_response.html", context, status=403)
    except ValidationError as error:
        context.update(state="invalid", value=existing(), message=" ".join(error.messages))
        return render(request, "reporting/_cell_response.html", context)
    except services.ConflictError as conflict:
        context.update(state="conflict", value=conflict.current, message="")
        return render(request, "reporting/_cell_response.html", context)
    context.update(state="saved", value=result.value, raw=None, message=" ".join(result.warnings))
    return render(request, "reporting/_cell_response.html", context)


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
