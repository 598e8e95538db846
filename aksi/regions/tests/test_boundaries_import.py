"""`aksi boundaries import`: GeoJSON or TopoJSON keyed by Kemendagri code into RegionBoundary."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from aksi.core.models import AuditEvent
from aksi.regions import boundaries
from aksi.regions.models import Region, RegionBoundary

SQUARE = [[[116.0, -9.0], [117.0, -9.0], [117.0, -8.0], [116.0, -8.0], [116.0, -9.0]]]


def _geojson(tmp_path: Path, features: list[tuple[str, list]], name: str = "b.geojson") -> Path:
    path = tmp_path / name
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"kode": code, "nama": code},
                        "geometry": {"type": "Polygon", "coordinates": rings},
                    }
                    for code, rings in features
                ],
            }
        )
    )
    return path


@pytest.mark.django_db
def test_it_imports_the_shipped_province_and_kabkota_files_and_audits_it() -> None:
    result = boundaries.boundaries_import()

    assert (result.created, result.updated, result.unknown) == (552, 0, [])
    assert RegionBoundary.objects.filter(region__level="province").count() == 38
    assert RegionBoundary.objects.filter(region__level="district").count() == 514
    ntb = RegionBoundary.objects.get(region_id="52")
    # Lombok and Sumbawa: between Bali and Flores.
    assert 115.8 < ntb.min_lon < 116.2
    assert 119.0 < ntb.max_lon < 119.4
    assert ntb.min_lon < ntb.centroid_lon < ntb.max_lon
    assert ntb.min_lat < ntb.centroid_lat < ntb.max_lat
    assert ntb.geometry["type"] == "MultiPolygon"
    event = AuditEvent.objects.get(data__what="boundaries")
    assert event.data["created"] == 552
    assert event.data["sources"] == ["provinsi.topojson", "kabupaten_kota.topojson"]


@pytest.mark.django_db
def test_it_imports_the_known_codes_and_lists_the_unknown_ones(tmp_path: Path) -> None:
    path = _geojson(tmp_path, [("52", SQUARE), ("99", SQUARE), ("5203", SQUARE), ("52.99", SQUARE)])

    result = boundaries.boundaries_import(paths=[path])

    assert sorted(RegionBoundary.objects.values_list("region_id", flat=True)) == ["52", "52.03"]
    assert result.unknown == ["52.99", "99"]
    assert "52.99, 99" in result.summary()
    assert AuditEvent.objects.get(data__what="boundaries").data["unknown"] == ["52.99", "99"]


@pytest.mark.django_db
def test_a_second_import_replaces_the_stored_outline(tmp_path: Path) -> None:
    boundaries.boundaries_import(paths=[_geojson(tmp_path, [("52", SQUARE)])])
    moved = [[[x + 1, y] for x, y in SQUARE[0]]]

    result = boundaries.boundaries_import(paths=[_geojson(tmp_path, [("52", moved)], "2.json")])

    assert (result.created, result.updated) == (0, 1)
    stored = RegionBoundary.objects.get(region_id="52")
    assert (stored.min_lon, stored.max_lon) == (117.0, 118.0)
    assert stored.centroid_lon == pytest.approx(117.5)


@pytest.mark.django_db
def test_running_the_same_import_again_writes_nothing() -> None:
    boundaries.boundaries_import(level="province")
    first = RegionBoundary.objects.get(region_id="52").imported_at

    out = io.StringIO()
    call_command("boundaries", "import", "--level", "provinsi", stdout=out)

    assert "38 boundaries already up to date." in out.getvalue()
    assert RegionBoundary.objects.get(region_id="52").imported_at == first
    assert AuditEvent.objects.filter(data__what="boundaries").count() == 1


@pytest.mark.django_db
def test_the_command_imports_one_level_only(tmp_path: Path) -> None:
    path = _geojson(tmp_path, [("52", SQUARE), ("52.03", SQUARE)])
    out = io.StringIO()

    call_command("boundaries", "import", str(path), "--level", "kabupaten", stdout=out)

    assert list(RegionBoundary.objects.values_list("region_id", flat=True)) == ["52.03"]
    assert "1 boundaries imported (1 new, 0 updated)." in out.getvalue()


@pytest.mark.django_db
def test_the_command_names_the_unknown_codes(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command(
        "boundaries", "import", str(_geojson(tmp_path, [("52", SQUARE), ("77", SQUARE)])),
        stdout=out,
    )  # fmt: skip
    assert "1 unknown code(s) skipped: 77." in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        ("not json {", "is not a JSON file"),
        ('{"type": "Feature"}', "neither a GeoJSON FeatureCollection nor a TopoJSON Topology"),
        ('{"type": "FeatureCollection", "features": []}', "holds no polygons with a region code"),
        ('{"type": "Topology", "objects": {"x": {"type": "Polygon", "arcs": [[5]]}}, "arcs": []}',
         "has a malformed geometry"),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_in_one_sentence_and_nothing_is_stored(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content)

    with pytest.raises(CommandError, match=message):
        call_command("boundaries", "import", str(path))
    assert not RegionBoundary.objects.exists()


@pytest.mark.django_db
def test_check_reports_the_regions_without_a_boundary(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("boundaries", "check", stdout=out)
    assert "No boundaries imported" in out.getvalue()

    boundaries.boundaries_import(paths=[_geojson(tmp_path, [("52", SQUARE)])])
    with pytest.raises(CommandError, match=r"551 province\(s\) or kab/kota have no boundary"):
        call_command("boundaries", "check", stdout=out)

    boundaries.boundaries_import()
    out = io.StringIO()
    call_command("boundaries", "check", stdout=out)
    assert "38 / 38" in out.getvalue()
    assert "514 / 514" in out.getvalue()
    assert "No problems found." in out.getvalue()


@pytest.mark.django_db
def test_the_shipped_centroids_cover_every_province_and_kabkota_inside_its_outline() -> None:
    centroids = boundaries.shipped_centroids()
    active = set(
        Region.objects.filter(level__in=["province", "district"], valid_to__isnull=True)
        .values_list("code", flat=True)
    )  # fmt: skip
    assert set(centroids) == active
    boundaries.boundaries_import()
    for stored in RegionBoundary.objects.all():
        lon, lat = centroids[stored.region_id]
        assert stored.min_lon <= lon <= stored.max_lon, stored.region_id
        assert stored.min_lat <= lat <= stored.max_lat, stored.region_id
