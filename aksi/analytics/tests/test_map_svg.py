"""maps.map_svg (for reports and PDFs) and the tile-grid layout."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

from django.utils import translation

from aksi.accounts.models import User
from aksi.analytics import maps
from aksi.analytics.models import CoverageRollup
from aksi.catalogue.models import Indicator
from aksi.regions import boundaries
from aksi.regions.models import Region

SVG = "{http://www.w3.org/2000/svg}"


def _indicator() -> Indicator:
    return Indicator.objects.get(catalogue__year=2025, code="BL-01")


def test_map_svg_is_a_standalone_document_with_a_legend(central_admin: User) -> None:
    CoverageRollup.objects.create(
        indicator=_indicator(), region_code="52.71", period="2025", numerator_sum=9,
        denominator_sum=10, complete_count=1,
    )  # fmt: skip

    with translation.override("en"):
        svg = maps.map_svg(
            user=central_admin,
            region=Region.objects.get(code="52"),
            indicator=_indicator(),
            period="2025",
        )

    root = ET.fromstring(svg)  # well-formed XML, as a PDF renderer needs
    assert root.tag == f"{SVG}svg"
    assert root.get("data-kind") == "tiles"
    title = root.findtext(f"{SVG}title")
    assert title == f"Nusa Tenggara Barat · BL-01 {_indicator().name} · 2025"
    legend = [t.text for t in root.iter(f"{SVG}text") if t.text and "%" in t.text]
    assert "≥ 90%" in legend
    assert "No data" in [t.text for t in root.iter(f"{SVG}text")]
    tiles = root.findall(f".//{SVG}a")
    assert len(tiles) == 10
    mataram = next(a for a in tiles if a.get("data-code") == "52.71")
    assert mataram.findtext(f"{SVG}title") == "Kota Mataram: 90.0%"
    assert mataram.find(f"{SVG}rect").get("fill") == "#2c7bb6"


def test_map_svg_draws_the_boundaries_once_imported(central_admin: User) -> None:
    boundaries.boundaries_import()

    svg = maps.map_svg(user=central_admin, region=None, indicator=None, period="2025")

    root = ET.fromstring(svg)
    assert root.get("data-kind") == "choropleth"
    assert len(root.findall(f".//{SVG}a/{SVG}path")) == 38
    assert len(svg) < 90_000  # the whole of Indonesia, small enough for a page or a PDF


def test_map_svg_shows_an_outsider_no_values_and_no_links(outsider: User) -> None:
    svg = maps.map_svg(
        user=outsider, region=Region.objects.get(code="35"), indicator=_indicator(), period="2025"
    )

    root = ET.fromstring(svg)
    assert root.findall(f".//{SVG}a") == []
    assert len(root.findall(f"{SVG}g[@data-code]")) == 38


def test_region_names_are_escaped(central_admin: User) -> None:
    Region.objects.filter(code="52.72").update(name="Kota <Bima> & Co")

    svg = maps.map_svg(
        user=central_admin, region=Region.objects.get(code="52"), indicator=None, period="2025"
    )

    assert "Kota &lt;Bima&gt; &amp; Co" in svg
    ET.fromstring(svg)


def test_the_tile_grid_puts_each_region_on_its_own_cell_in_geographic_order() -> None:
    centroids = boundaries.shipped_centroids()
    for prefix in ("", "35.", "94."):
        points = {
            code: point
            for code, point in centroids.items()
            if (code.startswith(prefix) and "." in code) or (not prefix and "." not in code)
        }
        layout = maps.tile_layout(points)
        assert set(layout) == set(points)
        assert len(set(layout.values())) == len(layout), "two regions on one tile"
        inversions = pairs = 0
        for a, b in itertools.combinations(points, 2):
            (ax, ay), (bx, by) = points[a], points[b]
            (ac, ar), (bc, br) = layout[a], layout[b]
            if abs(ax - bx) > 1:  # clearly west/east of each other
                pairs += 1
                inversions += (ax < bx) != (ac < bc)
            if abs(ay - by) > 1:  # clearly north/south
                pairs += 1
                inversions += (ay > by) != (ar < br)
        assert inversions <= pairs * 0.05, (prefix, inversions, pairs)


def test_the_tile_grid_leaves_no_empty_row_or_column() -> None:
    # Far apart: the cells between them are dropped, the order stays.
    layout = maps.tile_layout({"a": (95.0, 5.0), "b": (141.0, -10.0), "c": (120.0, -2.0)})
    assert layout == {"a": (0, 0), "c": (1, 0), "b": (2, 0)}
    square = maps.tile_layout({"nw": (0.0, 1.0), "ne": (1.0, 1.0), "sw": (0.0, 0.0), "se": (1, 0)})
    assert square == {"nw": (0, 0), "ne": (1, 0), "sw": (0, 1), "se": (1, 1)}


def test_paths_use_whole_pixels_and_drop_repeated_points() -> None:
    polygon = [[[0.0, 0.0], [0.1, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0], [0.0, 0.0]]]

    d = maps._path([polygon], lambda lon, lat: (round(lon), round(-lat)))

    assert d == "M0 0l10 0l0-10l-10 0z"
    assert re.fullmatch(r"[Mlz0-9 -]+", d)
