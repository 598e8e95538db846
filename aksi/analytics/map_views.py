from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from aksi.analytics import maps
from aksi.catalogue import selectors as catalogue_selectors
from aksi.regions import selectors as region_selectors
from aksi.regions.models import Level, Region


class MapForm(forms.Form):
    measure = forms.ChoiceField(label=_("Show"))
    period = forms.ChoiceField(label=_("Period"))

    def __init__(self, data: object, *, periods: list[str], indicators: list) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        self.fields["period"].choices = [(p, p) for p in periods]
        self.fields["measure"].choices = [
            (_("Progress"), [(m, maps.progress_label(m)) for m in maps.PROGRESS_MEASURES]),
            (
                _("Coverage by indicator"),
                [(i.code, f"{i.code} {i.name[:90]}") for i in indicators],
            ),
        ]


def _default_period(periods: list[str]) -> str | None:
    current = catalogue_selectors.current_catalogue_summary()
    if current is not None and str(current.year) in periods:
        return str(current.year)
    return periods[0] if periods else None


@login_required
@require_GET
def map_page(request: HttpRequest, code: str | None = None) -> HttpResponse:
    region: Region | None = None
    if code is not None:
        try:
            region = region_selectors.region_get(code)
        except Http404:
            return render(request, "analytics/map_not_found.html", {"code": code}, status=404)
        if region.level != Level.PROVINCE or region.code != code:
            # Maps go down to kab/kota: a deeper region opens its province's map.
            target = region.code if region.level == Level.PROVINCE else region.province_code
            query = request.GET.urlencode()
            url = reverse("maps:region", args=[target])
            return redirect(f"{url}?{query}" if query else url)
    periods = maps.map_periods()
    period = request.GET.get("period") or _default_period(periods)
    if period not in periods:
        period = _default_period(periods)
    indicators = maps.map_indicators(period=period) if period else []
    measure = request.GET.get("measure") or maps.PROGRESS_FILLED
    form = MapForm(
        {"measure": measure, "period": period},
        periods=periods,
        indicators=indicators,
    )
    form.is_valid()  # the form only shows the choice; an unknown one falls back below
    by_code = {i.code: i for i in indicators}
    indicator = by_code.get(measure)
    progress = measure if measure in maps.PROGRESS_MEASURES else maps.PROGRESS_FILLED
    context: dict[str, object] = {
        "region": region,
        "form": form,
        "period": period,
    }
    if period is not None:
        data = maps.map_data(
            user=request.user, region=region, indicator=indicator, period=period, progress=progress
        )
        boundaries = maps.boundaries_for(r.region for r in data.regions)
        tiles = request.GET.get("view") == "tiles" or not boundaries
        context.update(
            data=data,
            tiles=tiles,
            has_boundaries=bool(boundaries),
            # New regions (after a split) may lack an outline: they stay in the table.
            off_map=[]
            if tiles
            else [r.region for r in data.regions if r.region.code not in boundaries],
            svg=maps.render_svg(data, boundaries=boundaries, tiles=tiles),
            query=maps.map_query(indicator=indicator, period=period, progress=progress),
            no_data_colour=maps.NO_DATA_COLOUR,
            no_access_colour=maps.NO_ACCESS_COLOUR,
            any_hidden=any(not r.visible for r in data.regions),
        )
    return render(request, "analytics/map.html", context)
