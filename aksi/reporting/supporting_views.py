"""Pages of data pendukung: the grid of a kecamatan and the save of one value (htmx)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aksi.catalogue.models import SupportingItem
from aksi.lib.numbers import NumberError
from aksi.regions.models import Level, Region
from aksi.reporting import entry_switch, selectors, supporting, validation
from aksi.reporting.models import SupportingValue
from aksi.reporting.views import _period
from aksi.review import locks as review_locks


@login_required
def supporting_grid(request: HttpRequest, period: str, code: str) -> HttpResponse:
    """Data pendukung of a kecamatan: a row per desa, and the kecamatan's own items."""
    period = _period(period)
    subdistrict = selectors.entry_subdistrict_get(user=request.user, code=code)
    items = supporting.entry_items(
        units=selectors.user_units(user=request.user),
        year=int(period[:4]),
        subdistrict=subdistrict,
        period=period,
    )
    rows, own = supporting.supporting_grid(subdistrict=subdistrict, items=items, period=period)
    filled, expected = supporting.completeness(subdistrict=subdistrict, items=items, period=period)
    closed = bool(entry_switch.closed_subdistricts(actor=request.user, codes=[subdistrict.code]))
    village_items = [i for i in items if i.entry_level == SupportingItem.EntryLevel.VILLAGE]
    context = {
        "subdistrict": subdistrict,
        "period": period,
        "village_items": village_items,
        "rows": rows,
        "own": own,
        "filled": filled,
        "expected": expected,
        "locked": review_locks.values_locked(region=subdistrict, period=period) or closed,
        "entry_closed": closed,
    }
    return render(request, "reporting/supporting.html", context)


@login_required
@require_POST
def supporting_save(request: HttpRequest, period: str, code: str, item_id: int) -> HttpResponse:
    """Save one supporting value (htmx); answers the re-rendered cell state."""
    period = _period(period)
    item = get_object_or_404(SupportingItem.objects.select_related("catalogue"), pk=item_id)
    region = get_object_or_404(Region, code=code)
    version = request.POST.get("version", "")
    context: dict[str, object] = {"item": item, "region": region, "period": period}

    def existing() -> SupportingValue | None:
        return SupportingValue.objects.filter(item=item, region=region, period=period).first()

    def answer(state: str, value: SupportingValue | None, message: str, status: int = 200):
        context.update(state=state, value=value, message=message)
        return render(request, "reporting/_supporting_response.html", context, status=status)

    try:
        number = supporting.parse_supporting(item, request.POST.get("value", ""))
    except NumberError as error:
        return answer("invalid", existing(), str(error))
    try:
        result = supporting.supporting_value_save(
            actor=request.user,
            item=item,
            region=region,
            period=period,
            value=number,
            expected_version=int(version) if version.isdigit() else None,
        )
    except review_locks.ValuesLocked as error:
        return answer("locked", existing(), str(error))
    except PermissionDenied:
        return answer("locked", existing(), "", status=403)
    except ValidationError as error:
        return answer("invalid", existing(), " ".join(error.messages))
    except supporting.SupportingConflictError as conflict:
        return answer("conflict", conflict.current, "")
    outcomes = validation.village_outcomes(village=region, period=period)
    return answer("saved", result.value, " ".join(o.text for o in outcomes))


@login_required
def supporting_region(request: HttpRequest, period: str, code: str) -> HttpResponse:
    """One desa (or the kecamatan itself): every supporting value with its history and the
    comment field."""
    period = _period(period)
    region = get_object_or_404(Region, code=code)
    subdistrict_code = region.code if region.level == Level.SUBDISTRICT else region.parent_id
    subdistrict = selectors.entry_subdistrict_get(user=request.user, code=subdistrict_code or "")
    level = (
        SupportingItem.EntryLevel.SUBDISTRICT
        if region.level == Level.SUBDISTRICT
        else SupportingItem.EntryLevel.VILLAGE
    )
    items = [
        i
        for i in supporting.entry_items(
            units=selectors.user_units(user=request.user),
            year=int(period[:4]),
            subdistrict=subdistrict,
            period=period,
        )
        if i.entry_level == level
    ]
    if request.method == "POST":
        item = get_object_or_404(
            SupportingItem.objects.select_related("catalogue"), pk=request.POST.get("item", 0)
        )
        current = SupportingValue.objects.filter(item=item, region=region, period=period).first()
        version = request.POST.get("version", "")
        try:
            supporting.supporting_value_save(
                actor=request.user,
                item=item,
                region=region,
                period=period,
                value=current.value if current else None,
                note=request.POST.get("note", ""),
                expected_version=int(version) if version.isdigit() else None,
            )
        except supporting.SupportingConflictError:
            messages.error(request, _("Someone else changed this value meanwhile: check it again."))
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("The comment is saved."))
        return redirect("reporting:supporting_region", period=period, code=code)
    rows = supporting.region_history(region=region, items=items, period=period)
    context = {"region": region, "subdistrict": subdistrict, "period": period, "rows": rows}
    return render(request, "reporting/supporting_region.html", context)
