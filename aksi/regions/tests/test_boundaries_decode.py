"""Reading boundary files without a GIS library: the TopoJSON decoder and the centroid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aksi.regions import boundaries


def test_it_decodes_quantized_delta_encoded_topojson_with_shared_reversed_arcs(
    tmp_path: Path,
) -> None:
    # Two unit squares side by side sharing the edge x=1: arc 0 is that edge (bottom to top),
    # walked forwards by the left square and backwards (~0 = -1) by the right one.
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [100, -10]},
        "arcs": [
            [[2, 0], [0, 4]],  # (101,-10) -> (101,-9)
            [[2, 4], [-2, 0], [0, -4], [2, 0]],  # (101,-9) (100,-9) (100,-10) (101,-10)
            [[2, 0], [2, 0], [0, 4], [-2, 0]],  # (101,-10) (102,-10) (102,-9) (101,-9)
        ],
        "objects": {
            "provinsi": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "properties": {"kode": "52"}},
                    {"type": "MultiPolygon", "arcs": [[[2, -1]]], "properties": {"kode": "5203"}},
                ],
            }
        },
    }
    path = tmp_path / "t.topojson"
    path.write_text(json.dumps(topology))

    left, right = boundaries.read_features(path)

    assert left.code == "52"
    assert left.polygons == [
        [[[101.0, -10.0], [101.0, -9.0], [100.0, -9.0], [100.0, -10.0], [101.0, -10.0]]]
    ]
    assert right.code == "52.03"
    assert right.polygons == [
        [[[101.0, -10.0], [102.0, -10.0], [102.0, -9.0], [101.0, -9.0], [101.0, -10.0]]]
    ]


def test_the_shipped_topojson_decodes_to_the_38_provinces() -> None:
    features = boundaries.read_features(boundaries.SHIPPED_FILES["province"])
    assert len(features) == 38
    bali = next(f for f in features if f.code == "51")
    lon, lat = boundaries.centroid(bali.polygons)
    assert lon == pytest.approx(115.1, abs=0.15)
    assert lat == pytest.approx(-8.4, abs=0.15)


def test_the_centroid_weighs_parts_by_area_and_subtracts_holes() -> None:
    big = [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]]  # area 16, centre (2, 2)
    small = [[[10, 0], [11, 0], [11, 1], [10, 1], [10, 0]]]  # area 1, centre (10.5, 0.5)
    assert boundaries.centroid([big, small]) == pytest.approx(((32 + 10.5) / 17, (32 + 0.5) / 17))
    # A hole in the right half (clockwise, as GeoJSON holes are) pulls the centre left.
    hole = [[3, 1], [3, 3], [4, 3], [4, 1], [3, 1]]
    x, y = boundaries.centroid([[big[0], hole]])
    assert x == pytest.approx((16 * 2 - 2 * 3.5) / 14)
    assert y == pytest.approx(2)
