"""Region boundaries for maps: reading GeoJSON/TopoJSON keyed by Kemendagri code, importing
them (`aksi boundaries import`), checking them, and the shipped centroids for the tile grid.

No GIS library: the files are already simplified and valid, so all we need is to decode
TopoJSON, compute a bounding box and a centroid, and store the geometry as GeoJSON.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction

from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record
from aksi.regions.models import Level, Region, RegionBoundary
from aksi.regions.sources import normalize_code

DATA_DIR = Path(__file__).resolve().parent / "data"
SHIPPED_DIR = DATA_DIR / "boundaries"
# cahyadsn/wilayah_boundaries (MIT), simplified; see data/boundaries/SOURCE.md.
SHIPPED_FILES = {
    Level.PROVINCE: SHIPPED_DIR / "provinsi.topojson",
    Level.DISTRICT: SHIPPED_DIR / "kabupaten_kota.topojson",
}
CENTROIDS_FILE = DATA_DIR / "centroids.csv"
MAP_LEVELS = (Level.PROVINCE, Level.DISTRICT)
CODE_PROPERTIES = ("kode", "code", "kode_wilayah", "kd_wilayah", "id")
Ring = list[list[float]]
Polygon = list[Ring]


class BoundarySourceError(Exception):
    """A boundary file that cannot be read at all; the message is one sentence for the user."""


# --- reading -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Feature:
    code: str
    name: str
    polygons: list[Polygon]  # each: outer ring, then holes; [lon, lat] pairs


def read_features(path: Path) -> list[Feature]:
    """Features of a GeoJSON FeatureCollection or a TopoJSON Topology (every object in it)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BoundarySourceError(f"The file {path} does not exist.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundarySourceError(f"{path} is not a JSON file ({exc}).") from None
    kind = data.get("type") if isinstance(data, dict) else None
    try:
        if kind == "FeatureCollection":
            raw = list(_geojson_features(data))
        elif kind == "Topology":
            raw = list(_topojson_features(data))
        else:
            raise BoundarySourceError(
                f"{path} is neither a GeoJSON FeatureCollection nor a TopoJSON Topology."
            )
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise BoundarySourceError(f"{path} has a malformed geometry ({exc}).") from None
    features = []
    for properties, geometry in raw:
        code = _code_of(properties)
        if code is None:
            continue
        polygons = _polygons(geometry)
        if polygons:
            features.append(Feature(code, str(properties.get("nama", "")), polygons))
    if not features:
        raise BoundarySourceError(f"{path} holds no polygons with a region code (property “kode”).")
    return features


def _code_of(properties: Any) -> str | None:
    if not isinstance(properties, dict):
        return None
    for key in CODE_PROPERTIES:
        value = properties.get(key)
        if value not in (None, ""):
            return normalize_code(str(value))
    return None


def _geojson_features(data: dict[str, Any]) -> Iterator[tuple[dict, dict]]:
    for feature in data["features"]:
        yield feature.get("properties") or {}, feature.get("geometry") or {}


def _polygons(geometry: dict[str, Any]) -> list[Polygon]:
    kind = geometry.get("type")
    if kind == "Polygon":
        return [_clean_polygon(geometry["coordinates"])]
    if kind == "MultiPolygon":
        return [_clean_polygon(p) for p in geometry["coordinates"] if p]
    if kind == "GeometryCollection":
        return [p for g in geometry["geometries"] for p in _polygons(g)]
    return []


def _clean_polygon(rings: list) -> Polygon:
    return [[[float(x), float(y)] for x, y, *_rest in ring] for ring in rings if len(ring) >= 4]


# TopoJSON (https://github.com/topojson/topojson-specification): shared arcs, optionally
# quantized (integers, delta-encoded, with a scale/translate transform).


def _topojson_features(topology: dict[str, Any]) -> Iterator[tuple[dict, dict]]:
    arcs = _decode_arcs(topology["arcs"], topology.get("transform"))
    for obj in topology["objects"].values():
        members = obj["geometries"] if obj.get("type") == "GeometryCollection" else [obj]
        for member in members:
            yield member.get("properties") or {}, _topojson_geometry(member, arcs)


def _decode_arcs(raw: list, transform: dict[str, Any] | None) -> list[Ring]:
    if not transform:
        return [[[float(p[0]), float(p[1])] for p in arc] for arc in raw]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    decoded = []
    for arc in raw:
        x = y = 0
        points = []
        for position in arc:
            x += position[0]
            y += position[1]
            points.append([x * sx + tx, y * sy + ty])
        decoded.append(points)
    return decoded


def _ring(indexes: list[int], arcs: list[Ring]) -> Ring:
    points: Ring = []
    for index in indexes:
        # A negative index ~i means arc i walked backwards.
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their joining point.
        points.extend(arc[1:] if points else arc)
    return points


def _topojson_geometry(obj: dict[str, Any], arcs: list[Ring]) -> dict[str, Any]:
    kind = obj.get("type")
    if kind == "Polygon":
        return {"type": "Polygon", "coordinates": [_ring(r, arcs) for r in obj["arcs"]]}
    if kind == "MultiPolygon":
        return {
            "type": "MultiPolygon",
            "coordinates": [[_ring(r, arcs) for r in polygon] for polygon in obj["arcs"]],
        }
    return {}


# --- geometry helpers --------------------------------------------------------------------


def ring_area(ring: Ring) -> float:
    """Signed area in square degrees (shoelace)."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        total += x1 * y2 - x2 * y1
    return total / 2


def _ring_centroid_sums(ring: Ring) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return area / 2, cx, cy


def centroid(polygons: list[Polygon]) -> tuple[float, float]:
    """Area-weighted centroid (holes subtract); the bbox centre for degenerate shapes."""
    area = cx = cy = 0.0
    for polygon in polygons:
        for index, ring in enumerate(polygon):
            a, x, y = _ring_centroid_sums(ring)
            # Whatever the winding: outer rings count positive, holes negative.
            weight = (1 if a >= 0 else -1) * (1 if index == 0 else -1)
            area += a * weight
            cx += x * weight
            cy += y * weight
    if abs(area) < 1e-12:
        min_lon, min_lat, max_lon, max_lat = bbox(polygons)
        return (min_lon + max_lon) / 2, (min_lat + max_lat) / 2
    return cx / (6 * area), cy / (6 * area)


def bbox(polygons: list[Polygon]) -> tuple[float, float, float, float]:
    xs = [p[0] for polygon in polygons for p in polygon[0]]
    ys = [p[1] for polygon in polygons for p in polygon[0]]
    return min(xs), min(ys), max(xs), max(ys)


def _rounded(polygons: list[Polygon], digits: int = 4) -> dict[str, Any]:
    """A compact GeoJSON MultiPolygon (0.0001° is about 11 m, finer than any map we draw)."""
    return {
        "type": "MultiPolygon",
        "coordinates": [
            [[[round(x, digits), round(y, digits)] for x, y in ring] for ring in polygon]
            for polygon in polygons
        ],
    }


# --- import and check --------------------------------------------------------------------


@dataclass
class BoundaryImportResult:
    sources: list[str]
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # same file already imported for these regions: nothing written
    unknown: list[str] = field(default_factory=list)  # codes with no region in the tree
    skipped: list[str] = field(default_factory=list)  # regions of another level than asked

    @property
    def imported(self) -> int:
        return self.created + self.updated

    def summary(self) -> str:
        if self.unchanged:
            line = f"{self.unchanged} boundaries already up to date."
        else:
            line = (
                f"{self.imported} boundaries imported ({self.created} new, {self.updated} updated)."
            )
        if self.unknown:
            line += f" {len(self.unknown)} unknown code(s) skipped: {', '.join(self.unknown)}."
        return line


def _digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def _level_of(code: str) -> str | None:
    depth = code.count(".") + 1
    return {1: Level.PROVINCE, 2: Level.DISTRICT}.get(depth)


@transaction.atomic
def boundaries_import(
    *,
    paths: Iterable[Path] | None = None,
    level: str | None = None,
    actor: Any = None,
    actor_label: str = "aksi boundaries import",
) -> BoundaryImportResult:
    """Store the outlines of the regions in the files (default: the shipped province and
    kab/kota files), replacing earlier ones of the same regions. Codes not in the region
    tree are skipped and listed; nothing else is refused."""
    if paths is None:
        levels = [level] if level else list(MAP_LEVELS)
        paths = [SHIPPED_FILES[Level(lv)] for lv in levels]
    paths = list(paths)
    features: list[tuple[Path, Feature]] = [(p, f) for p in paths for f in read_features(p)]
    result = BoundaryImportResult(sources=[p.name for p in paths])
    # The file's name and digest mark each stored outline, so re-running the same import
    # (every `make run`) writes nothing and adds no audit row.
    tags = {p: f"{p.name[:160]} sha256:{_digest(p)}" for p in paths}
    wanted = [(p, f) for p, f in features if level is None or _level_of(f.code) == level]
    result.skipped = sorted({f.code for _p, f in features} - {f.code for _p, f in wanted})
    codes = {f.code for _p, f in wanted}
    known = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    existing = set(
        RegionBoundary.objects.filter(region_id__in=known).values_list("region_id", flat=True)
    )
    result.unknown = sorted(codes - known)
    rows: dict[str, RegionBoundary] = {}
    for path, feature in wanted:
        if feature.code not in known:
            continue
        min_lon, min_lat, max_lon, max_lat = bbox(feature.polygons)
        lon, lat = centroid(feature.polygons)
        rows[feature.code] = RegionBoundary(
            region_id=feature.code,
            geometry=_rounded(feature.polygons),
            min_lon=min_lon,
            min_lat=min_lat,
            max_lon=max_lon,
            max_lat=max_lat,
            centroid_lon=round(lon, 4),
            centroid_lat=round(lat, 4),
            vertices=sum(len(r) for polygon in feature.polygons for r in polygon),
            source=tags[path],
        )
    same = RegionBoundary.objects.filter(
        region_id__in=list(rows), source__in=set(tags.values())
    ).values_list("region_id", "source")
    if rows and {code: row.source for code, row in rows.items()} == dict(same):
        result.unchanged = len(rows)
        return result
    RegionBoundary.objects.filter(region_id__in=list(rows)).delete()
    RegionBoundary.objects.bulk_create(rows.values(), batch_size=200)
    result.created = len(set(rows) - existing)
    result.updated = len(set(rows) & existing)
    audit_event_record(
        event_type=AuditEventType.BOUNDARIES_IMPORTED,
        actor=actor,
        actor_label=actor_label,
        data={
            "what": "boundaries",
            "sources": result.sources,
            "level": level or "",
            "created": result.created,
            "updated": result.updated,
            "unknown": result.unknown,
        },
    )
    return result


@dataclass(frozen=True)
class BoundaryCheck:
    per_level: dict[str, tuple[int, int]]  # level -> (regions with a boundary, active regions)
    missing: list[str]  # active provinces and kab/kota without a boundary
    retired: list[str]  # boundaries of retired regions


def boundaries_check() -> BoundaryCheck:
    active = dict(
        Region.objects.filter(level__in=MAP_LEVELS, valid_to__isnull=True).values_list(
            "code", "level"
        )
    )
    stored = dict(RegionBoundary.objects.values_list("region_id", "region__valid_to"))
    per_level = {}
    for level in MAP_LEVELS:
        codes = [c for c, lv in active.items() if lv == level]
        per_level[level] = (sum(1 for c in codes if c in stored), len(codes))
    missing = sorted(c for c in active if c not in stored) if stored else []
    retired = sorted(c for c, valid_to in stored.items() if valid_to is not None)
    return BoundaryCheck(per_level=per_level, missing=missing, retired=retired)


# --- centroids for the tile grid ---------------------------------------------------------


@cache
def shipped_centroids() -> dict[str, tuple[float, float]]:
    """Kemendagri code -> (lon, lat) of every provinsi and kab/kota, so that a fresh install
    without boundaries can still lay out its tile-grid map."""
    with CENTROIDS_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            row["kode"]: (float(row["lon"]), float(row["lat"]))
            for row in csv.DictReader(line for line in handle if not line.startswith("#"))
        }
