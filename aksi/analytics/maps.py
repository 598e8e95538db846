"""Maps: one indicator's coverage (or the data-entry progress) of the provinces of Indonesia or
the kab/kota of one province, drawn server-side as SVG.

With imported boundaries (`aksi boundaries import`) the map is a choropleth; without, it is a
tile grid (one square per region, in geographic order) laid out from the centroids shipped in
aksi/regions/data, so a fresh install still has a map. Either way the SVG works without
JavaScript, under the strict CSP, on a slow connection and inside a PDF.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Max, Sum
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from aksi.accounts.scopes import Scope, view_scope
from aksi.analytics.models import CoverageRollup
from aksi.catalogue.models import Indicator, ReportingYear
from aksi.lib.numbers import coverage_percent
from aksi.regions.boundaries import shipped_centroids
from aksi.regions.models import Level, Region, RegionBoundary

# Progress measures (instead of an indicator): shares of the expected village cells.
PROGRESS_FILLED = "filled"
PROGRESS_VERIFIED = "verified"
PROGRESS_MEASURES = (PROGRESS_FILLED, PROGRESS_VERIFIED)

# Band limits as fractions of the national target (the last band is "target reached");
# AKSI_MAP_BANDS in the settings overrides them, e.g. (0.5, 0.8).
DEFAULT_BAND_FRACTIONS = (0.5, 0.8)
# Colour-blind-safe (ColorBrewer RdYlBu, 4 classes), worst to best, with readable text colours.
BAND_COLOURS = ("#d7191c", "#fdae61", "#abd9e9", "#2c7bb6")
BAND_TEXT = ("#ffffff", "#1a1a1a", "#1a1a1a", "#ffffff")
NO_DATA_COLOUR = "#d4d4d4"
NO_ACCESS_COLOUR = "#f1f1f1"
STROKE = "#ffffff"

PROVINCE_ABBREVIATIONS = {
    "11": "Aceh", "12": "Sumut", "13": "Sumbar", "14": "Riau", "15": "Jambi", "16": "Sumsel",
    "17": "Bengkulu", "18": "Lampung", "19": "Babel", "21": "Kepri", "31": "DKI", "32": "Jabar",
    "33": "Jateng", "34": "DIY", "35": "Jatim", "36": "Banten", "51": "Bali", "52": "NTB",
    "53": "NTT", "61": "Kalbar", "62": "Kalteng", "63": "Kalsel", "64": "Kaltim",
    "65": "Kaltara", "71": "Sulut", "72": "Sulteng", "73": "Sulsel", "74": "Sultra",
    "75": "Gorontalo", "76": "Sulbar", "81": "Maluku", "82": "Malut", "91": "Papua",
    "92": "Pabar", "93": "Papsel", "94": "Papteng", "95": "Pappeg", "96": "PBD",
}  # fmt: skip


# --- what the map shows ------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    index: int
    label: str
    colour: str
    text_colour: str


@dataclass(frozen=True)
class MapRegion:
    region: Region
    visible: bool  # in the user's view scope: value shown
    href: str | None  # where a click goes; None: not clickable
    value: float | None = None
    numerator: int | None = None
    denominator: int | None = None
    band: Band | None = None

    @property
    def colour(self) -> str:
        if not self.visible:
            return NO_ACCESS_COLOUR
        return self.band.colour if self.band else NO_DATA_COLOUR

    @property
    def text_colour(self) -> str:
        return self.band.text_colour if self.band else "#1a1a1a"

    @property
    def tooltip(self) -> str:
        if not self.visible:
            return _("%(region)s: outside your area") % {"region": self.region.name}
        if self.value is None:
            return _("%(region)s: no data") % {"region": self.region.name}
        return f"{self.region.name}: {number_format(self.value, 1)}%"


@dataclass(frozen=True)
class MapData:
    parent: Region | None  # None: Indonesia (provinces); else a province (its kab/kota)
    period: str
    indicator: Indicator | None  # None: a progress measure
    progress: str
    target: float
    bands: list[Band]
    regions: list[MapRegion]
    as_of: datetime.datetime | None

    @property
    def title(self) -> str:
        if self.indicator is not None:
            return f"{self.indicator.code} {self.indicator.name}"
        return progress_label(self.progress)

    @property
    def values_shown(self) -> int:
        return sum(1 for r in self.regions if r.visible and r.value is not None)


def progress_label(progress: str) -> str:
    if progress == PROGRESS_VERIFIED:
        return _("Progress: village cells verified")
    return _("Progress: village cells filled")


def band_fractions() -> tuple[float, ...]:
    fractions = getattr(settings, "AKSI_MAP_BANDS", DEFAULT_BAND_FRACTIONS)
    return tuple(sorted(float(f) for f in fractions if 0 < float(f) < 1))


def bands_for(*, target: float, lower_is_better: bool = False) -> list[Band]:
    """Bands relative to the target: below half of it, …, target reached. For indicators
    where lower is better the limits are target ÷ fraction (worse above)."""
    fractions = band_fractions()
    if lower_is_better:
        limits = [target / f for f in fractions] + [target]
    else:
        limits = [target * f for f in fractions] + [target]

    def pct(value: float) -> str:
        return f"{number_format(round(value, 1), 1 if value % 1 else 0)}%"

    labels = []
    for i in range(len(limits) + 1):
        if i == 0:
            labels.append(f"{'>' if lower_is_better else '<'} {pct(limits[0])}")
        elif i == len(limits):
            labels.append(f"{'≤' if lower_is_better else '≥'} {pct(limits[-1])}")
        else:
            low, high = sorted((limits[i - 1], limits[i]))
            labels.append(f"{pct(low)} – {pct(high)}")
    colours = _spread(BAND_COLOURS, len(labels))
    texts = _spread(BAND_TEXT, len(labels))
    return [Band(i, label, colours[i], texts[i]) for i, label in enumerate(labels)]


def _spread(palette: tuple[str, ...], n: int) -> list[str]:
    if n <= len(palette):
        picks = [round(i * (len(palette) - 1) / max(n - 1, 1)) for i in range(n)]
        return [palette[i] for i in picks]
    return [palette[min(i, len(palette) - 1)] for i in range(n)]


def band_of(
    value: float | None, *, target: float, bands: list[Band], lower_is_better: bool = False
) -> Band | None:
    if value is None:
        return None
    if lower_is_better:
        score = math.inf if value <= 0 else target / value
    else:
        score = value / target if target else math.inf
    limits = [*band_fractions(), 1.0]
    index = sum(1 for limit in limits if score >= limit)
    return bands[min(index, len(bands) - 1)]


def map_periods() -> list[str]:
    """Years with a catalogue, newest first."""
    return [
        str(year)
        for year in ReportingYear.objects.filter(catalogue__isnull=False)
        .order_by("-year")
        .values_list("year", flat=True)
    ]


def map_indicators(*, period: str) -> list[Indicator]:
    return list(
        Indicator.objects.filter(catalogue__years__year=int(period[:4]))
        .select_related("catalogue")
        .order_by("order")
    )


def map_data(
    *,
    user: object,
    region: Region | None,
    indicator: Indicator | None,
    period: str,
    progress: str = PROGRESS_FILLED,
) -> MapData:
    """The provinces (region None) or the kab/kota of a province with the indicator's coverage
    (indicator None: the progress measure), for the user: only regions in the user's view
    scope carry values and links."""
    scope = view_scope(user)
    parent_code = region.code if region is not None else None
    children = list(
        Region.objects.filter(valid_to__isnull=True)
        .filter(**({"parent_id": parent_code} if parent_code else {"level": Level.PROVINCE}))
        .only("code", "name", "level", "kind", "village_count", "parent_id")
        .order_by("code")
    )
    visible = [r.code for r in children if scope.covers(r.code)]
    if indicator is not None:
        values, as_of = _coverage(indicator=indicator, period=period, codes=visible)
        target = float(indicator.national_target) if indicator.national_target else 100.0
        lower = indicator.direction == Indicator.Direction.LOWER
    else:
        values, as_of = _progress(children=children, visible=visible, period=period, kind=progress)
        target, lower = 100.0, False
    bands = bands_for(target=target, lower_is_better=lower)
    rows = []
    for child in children:
        href = _href(child, scope=scope, indicator=indicator, period=period, progress=progress)
        if child.code not in visible:
            rows.append(MapRegion(region=child, visible=False, href=href))
            continue
        numerator, denominator, value = values.get(child.code, (None, None, None))
        band = band_of(value, target=target, bands=bands, lower_is_better=lower)
        rows.append(
            MapRegion(
                region=child,
                visible=True,
                href=href,
                value=value,
                numerator=numerator,
                denominator=denominator,
                band=band,
            )
        )
    return MapData(
        parent=region,
        period=period,
        indicator=indicator,
        progress=progress,
        target=target,
        bands=bands,
        regions=rows,
        as_of=as_of,
    )


def map_query(*, indicator: Indicator | None, period: str, progress: str) -> str:
    measure = indicator.code if indicator is not None else progress
    return urlencode({"measure": measure, "period": period})


def _href(
    region: Region, *, scope: Scope, indicator: Indicator | None, period: str, progress: str
) -> str | None:
    inside = scope.covers(region.code)
    # A province holding one of the user's regions opens too, to reach that region's map.
    leads_inside = any(root.startswith(f"{region.code}.") for root in scope.roots)
    if region.level == Level.PROVINCE and (inside or leads_inside):
        query = map_query(indicator=indicator, period=period, progress=progress)
        return f"{reverse('maps:region', args=[region.code])}?{query}"
    if inside:
        return reverse("regions:detail", args=[region.code])
    return None


Values = dict[str, tuple[int | None, int | None, float | None]]


def _coverage(
    *, indicator: Indicator, period: str, codes: list[str]
) -> tuple[Values, datetime.datetime | None]:
    rows = CoverageRollup.objects.filter(
        indicator=indicator, period=period, region_code__in=codes
    ).values_list("region_code", "numerator_sum", "denominator_sum", "updated_at")
    values: Values = {}
    as_of = None
    for code, numerator, denominator, updated_at in rows:
        values[code] = (numerator, denominator, coverage_percent(numerator, denominator))
        as_of = max(as_of, updated_at) if as_of else updated_at
    return values, as_of


def _progress(
    *, children: list[Region], visible: list[str], period: str, kind: str
) -> tuple[Values, datetime.datetime | None]:
    """progress_for_region for every child at once: filled (or verified) village cells ÷
    villages × village-level indicators of the period's catalogue."""
    from aksi.review.models import Submission

    indicator_ids = list(
        Indicator.objects.filter(
            catalogue__years__year=int(period[:4]), entry_level=Indicator.EntryLevel.VILLAGE
        ).values_list("pk", flat=True)
    )
    n = len(indicator_ids)
    filled_rows = (
        CoverageRollup.objects.filter(
            region_code__in=visible, period=period, indicator_id__in=indicator_ids
        )
        .values("region_code")
        .annotate(filled=Sum("complete_count"), as_of=Max("updated_at"))
    )
    counts = {row["region_code"]: row["filled"] or 0 for row in filled_rows}
    as_of = max((row["as_of"] for row in filled_rows), default=None)
    if kind == PROGRESS_VERIFIED and visible:
        column = "region__province_code" if "." not in visible[0] else "region__district_code"
        verified = (
            Submission.objects.filter(
                period=period,
                status=Submission.Status.VERIFIED,
                region__level=Level.SUBDISTRICT,
                **{f"{column}__in": visible},
            )
            .values(column)
            .annotate(villages=Sum("region__village_count"))
        )
        counts = {row[column]: (row["villages"] or 0) * n for row in verified}
    values: Values = {}
    for child in children:
        if child.code not in visible:
            continue
        expected = child.village_count * n
        done = counts.get(child.code, 0)
        percent = round(done * 100 / expected, 1) if expected else None
        values[child.code] = (done, expected, percent)
    return values, as_of


# --- drawing -----------------------------------------------------------------------------


def boundaries_for(regions: Iterable[Region]) -> dict[str, dict[str, Any]]:
    codes = [r.code for r in regions]
    return dict(
        RegionBoundary.objects.filter(region_id__in=codes)
        .order_by()
        .values_list("region_id", "geometry")
    )


def map_svg(
    *,
    user: object,
    region: Region | None,
    indicator: Indicator | None,
    period: str,
    progress: str = PROGRESS_FILLED,
    width: int = 960,
    legend: bool = True,
) -> str:
    """A standalone SVG document of the map (choropleth with imported boundaries, else the
    tile grid), with its legend; for reports and PDFs."""
    data = map_data(user=user, region=region, indicator=indicator, period=period, progress=progress)
    return render_svg(
        data, boundaries=boundaries_for(r.region for r in data.regions), width=width,
        legend=legend, standalone=True,
    )  # fmt: skip


def render_svg(
    data: MapData,
    *,
    boundaries: dict[str, dict[str, Any]],
    width: int = 960,
    legend: bool = False,
    standalone: bool = False,
    tiles: bool = False,
) -> SafeString:
    if boundaries and not tiles:
        body, height = _choropleth(data, boundaries=boundaries, width=width)
        kind = "choropleth"
    else:
        body, height = _tile_grid(data, width=width)
        kind = "tiles"
    if legend:
        extra, legend_height = _svg_legend(data, top=height + 8)
        body += extra
        height += 8 + legend_height
    # A picture in a document; on the page a group of links (role=img would hide them from
    # screen readers), with the table below as the accessible alternative.
    attributes = (
        f'xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img"'
        if standalone
        else 'class="map-svg" role="group"'
    )
    title = escape(f"{_map_place(data)} · {data.title} · {data.period}")
    return mark_safe(  # noqa: S308 - every text in it is escaped above or in the helpers
        f'<svg {attributes} viewBox="0 0 {width} {height}" '
        f'aria-label="{title}" data-kind="{kind}"><title>{title}</title>{body}</svg>'
    )


def _map_place(data: MapData) -> str:
    return data.parent.name if data.parent is not None else _("Indonesia")


def _region_element(row: MapRegion, shape: str, label: str = "") -> str:
    tooltip = f"<title>{escape(row.tooltip)}</title>"
    inner = f"{tooltip}{shape}{label}"
    code = escape(row.region.code)
    if row.href:
        return f'<a href="{escape(row.href)}" data-code="{code}">{inner}</a>'
    return f'<g data-code="{code}">{inner}</g>'


def _choropleth(
    data: MapData, *, boundaries: dict[str, dict[str, Any]], width: int
) -> tuple[str, int]:
    shown = [
        (row, boundaries[row.region.code]) for row in data.regions if row.region.code in boundaries
    ]
    xs = [p[0] for _row, g in shown for poly in g["coordinates"] for p in poly[0]]
    ys = [p[1] for _row, g in shown for poly in g["coordinates"] for p in poly[0]]
    min_lon, max_lon, min_lat, max_lat = min(xs), max(xs), min(ys), max(ys)
    # Equirectangular, x scaled by cos(mid-latitude): true shapes near the equator.
    kx = math.cos(math.radians((min_lat + max_lat) / 2))
    pad = 4
    scale = (width - 2 * pad) / max((max_lon - min_lon) * kx, 1e-9)
    height = max(round((max_lat - min_lat) * scale) + 2 * pad, 40)

    def project(lon: float, lat: float) -> tuple[int, int]:
        return round(pad + (lon - min_lon) * kx * scale), round(pad + (max_lat - lat) * scale)

    parts = []
    for row, geometry in shown:
        d = _path(geometry["coordinates"], project)
        shape = (
            f'<path d="{d}" fill="{row.colour}" stroke="{STROKE}" stroke-width="0.6" '
            f'fill-rule="evenodd"/>'
        )
        parts.append(_region_element(row, shape))
    return "".join(parts), height


def _path(polygons: list, project: Any) -> str:
    """Integer pixels, relative moves, repeated points dropped: a small page."""
    rings: list[list[tuple[int, int]]] = []
    for polygon in polygons:
        for ring in polygon:
            points: list[tuple[int, int]] = []
            for lon, lat in ring:
                point = project(lon, lat)
                if not points or point != points[-1]:
                    points.append(point)
            if len(points) > 1 and points[0] == points[-1]:
                points.pop()
            rings.append(points)
    kept = [r for r in rings if len(r) >= 3]
    if not kept and rings:
        # A region smaller than a pixel still gets a dot-sized shape.
        x, y = max(rings, key=len)[0]
        kept = [[(x - 1, y - 1), (x + 1, y - 1), (x + 1, y + 1), (x - 1, y + 1)]]
    out = []
    for ring in kept:
        x0, y0 = ring[0]
        steps = [f"M{x0} {y0}"]
        px, py = x0, y0
        for x, y in ring[1:]:
            steps.append(f"l{x - px} {y - py}")
            px, py = x, y
        out.append("".join(steps) + "z")
    return "".join(out).replace(" -", "-")


def tile_layout(points: dict[str, tuple[float, float]]) -> dict[str, tuple[int, int]]:
    """(column, row) per code: each region on the free grid cell nearest its scaled centroid,
    empty rows and columns removed, so west→east and north→south order mostly hold."""
    if not points:
        return {}
    n = len(points)
    lons = [p[0] for p in points.values()]
    lats = [p[1] for p in points.values()]
    kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lons) - min(lons)) * kx, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    aspect = min(max(span_x / span_y, 0.4), 4.0)
    # About twice as many cells as regions, shaped like the area, leave room to move.
    rows = max(1, round(math.sqrt(2 * n / aspect)))
    cols = max(1, math.ceil(2 * n / rows))
    ideal = {
        code: (
            (lon - min(lons)) * kx / span_x * (cols - 1),
            (max(lats) - lat) / span_y * (rows - 1),
        )
        for code, (lon, lat) in points.items()
    }
    taken: dict[tuple[int, int], str] = {}
    placed: dict[str, tuple[int, int]] = {}
    # Regions in crowded places go first to their nearest cell; west to east within that.
    for code in sorted(ideal, key=lambda c: (ideal[c][0], ideal[c][1])):
        fx, fy = ideal[code]
        best = None
        radius = 0
        while best is None:
            candidates = [
                (col, row)
                for col in range(math.floor(fx) - radius, math.ceil(fx) + radius + 1)
                for row in range(math.floor(fy) - radius, math.ceil(fy) + radius + 1)
                if (col, row) not in taken
            ]
            if candidates:
                best = min(candidates, key=lambda c: ((c[0] - fx) ** 2 + (c[1] - fy) ** 2, c))
            radius += 1
        taken[best] = code
        placed[code] = best
    used_cols = sorted({c for c, _r in placed.values()})
    used_rows = sorted({r for _c, r in placed.values()})
    col_index = {c: i for i, c in enumerate(used_cols)}
    row_index = {r: i for i, r in enumerate(used_rows)}
    return {code: (col_index[c], row_index[r]) for code, (c, r) in placed.items()}


def _tile_points(data: MapData) -> dict[str, tuple[float, float]]:
    centroids = shipped_centroids()
    points = {
        r.region.code: centroids[r.region.code] for r in data.regions if r.region.code in centroids
    }
    missing = [r.region for r in data.regions if r.region.code not in points]
    if missing:
        # Regions newer than the shipped file: their own boundary's centroid, if imported.
        points.update(
            {
                code: (lon, lat)
                for code, lon, lat in RegionBoundary.objects.filter(
                    region_id__in=[r.code for r in missing]
                ).values_list("region_id", "centroid_lon", "centroid_lat")
            }
        )
    return points


def tile_label(region: Region) -> str:
    if region.level == Level.PROVINCE:
        return PROVINCE_ABBREVIATIONS.get(region.code, region.name)
    name = region.name.removeprefix("Kabupaten ")
    if name.startswith("Kota "):
        name = "Kota " + name.removeprefix("Kota Administrasi ").removeprefix("Kota ")
    return name


def _tile_grid(data: MapData, *, width: int) -> tuple[str, int]:
    points = _tile_points(data)
    layout = tile_layout(points)
    cols = max((c for c, _r in layout.values()), default=-1) + 1
    rows = max((r for _c, r in layout.values()), default=-1) + 1
    # Regions with no known position at all go on extra rows at the bottom.
    extra = [r for r in data.regions if r.region.code not in layout]
    if extra:
        cols = cols or min(len(extra), 8)
        for i, row in enumerate(extra):
            layout[row.region.code] = (i % cols, rows + i // cols)
        rows += math.ceil(len(extra) / cols)
    gap = 4
    tile = min(72, max(36, (width - gap) // max(cols, 1) - gap))
    grid_width = cols * (tile + gap) + gap
    left = max(0, (width - grid_width) // 2)
    height = rows * (tile + gap) + gap
    font = max(8, tile // 7)
    chars = max(4, int(tile / (font * 0.55)))
    parts = []
    for row in data.regions:
        col, line = layout[row.region.code]
        x = left + gap + col * (tile + gap)
        y = gap + line * (tile + gap)
        label = tile_label(row.region)
        if len(label) > chars:
            label = label[: chars - 1] + "…"
        value = f"{number_format(row.value, 0)}%" if row.visible and row.value is not None else ""
        colour = row.text_colour if row.visible else "#6b6b6b"
        shape = (
            f'<rect x="{x}" y="{y}" width="{tile}" height="{tile}" rx="3" fill="{row.colour}" '
            f'stroke="#bdbdbd" stroke-width="0.5"/>'
        )
        cx = x + tile / 2
        text = (
            f'<text x="{cx:g}" y="{y + font + 4}" font-size="{font}" text-anchor="middle" '
            f'fill="{colour}" font-family="sans-serif">{escape(label)}</text>'
        )
        if value:
            text += (
                f'<text x="{cx:g}" y="{y + tile / 2 + font + 2:g}" font-size="{font + 3}" '
                f'font-weight="bold" text-anchor="middle" fill="{colour}" '
                f'font-family="sans-serif">{escape(value)}</text>'
            )
        parts.append(_region_element(row, shape, text))
    return "".join(parts), height


def _svg_legend(data: MapData, *, top: int) -> tuple[str, int]:
    entries = [(b.colour, b.label) for b in reversed(data.bands)]
    entries.append((NO_DATA_COLOUR, _("No data")))
    if any(not r.visible for r in data.regions):
        entries.append((NO_ACCESS_COLOUR, _("Outside your area")))
    parts = []
    x = 8
    for colour, label in entries:
        parts.append(
            f'<rect x="{x}" y="{top}" width="14" height="14" fill="{colour}" '
            f'stroke="#9e9e9e" stroke-width="0.5"/>'
            f'<text x="{x + 19}" y="{top + 11}" font-size="12" font-family="sans-serif" '
            f'fill="#1a1a1a">{escape(label)}</text>'
        )
        x += 19 + 7 * len(label) + 18
    return f'<g class="map-legend">{"".join(parts)}</g>', 18
