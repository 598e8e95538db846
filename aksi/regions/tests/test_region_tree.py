from __future__ import annotations

import csv
from pathlib import Path

import pytest

from aksi.regions.models import Kind, Level, Region
from aksi.regions.services import EXPECTED_COUNTS, regions_check

SHARED_WILAYAH = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "wilayah"


def test_it_holds_the_whole_national_tree_without_problems(db: None) -> None:
    check = regions_check(expected=EXPECTED_COUNTS)
    assert check.per_level == {
        Level.PROVINCE: 38,
        Level.DISTRICT: 514,
        Level.SUBDISTRICT: 7285,
        Level.VILLAGE: 83762,
    }
    assert check.problems == []


@pytest.mark.parametrize(
    ("filename", "level"),
    [
        ("provinsi.csv", Level.PROVINCE),
        ("kabupaten_kota.csv", Level.DISTRICT),
        ("kecamatan.csv", Level.SUBDISTRICT),
        ("desa_kelurahan.csv", Level.VILLAGE),
    ],
)
def test_it_matches_the_reference_region_list_code_for_code(
    db: None, filename: str, level: str
) -> None:
    path = SHARED_WILAYAH / filename
    if not path.exists():
        pytest.skip(f"NOTICE: reference list {path} is absent (as on a user's machine)")
    with path.open(encoding="utf-8") as handle:
        reference = {row["kode"].strip(): row["nama"].strip() for row in csv.DictReader(handle)}
    stored = dict(
        Region.objects.filter(level=level, valid_to__isnull=True).values_list("code", "name")
    )
    assert set(stored) == set(reference)
    differing = {
        c: (stored[c], reference[c]) for c in reference if stored[c].strip() != reference[c]
    }
    assert differing == {}


def test_it_gives_each_region_its_time_zone(db: None) -> None:
    zones = dict(
        Region.objects.filter(code__in=["35", "52.03", "61.01", "91.03.01", "96"]).values_list(
            "code", "time_zone"
        )
    )
    assert zones == {
        "35": "Asia/Jakarta",
        "52.03": "Asia/Makassar",
        "61.01": "Asia/Pontianak",
        "91.03.01": "Asia/Jayapura",
        "96": "Asia/Jayapura",
    }


def test_it_knows_regencies_cities_and_village_kinds(db: None) -> None:
    kinds = dict(
        Region.objects.filter(
            code__in=["35.19", "35.77", "91.03.01", "35.19.01", "52.71.01.1004"]
        ).values_list("code", "kind")
    )
    assert kinds == {
        "35.19": Kind.REGENCY,
        "35.77": Kind.CITY,
        "91.03.01": Kind.PAPUAN_SUBDISTRICT,
        "35.19.01": Kind.SUBDISTRICT,
        "52.71.01.1004": Kind.URBAN_VILLAGE,
    }
    customary = Region.objects.filter(kind=Kind.CUSTOMARY_VILLAGE)
    assert customary.count() == 14
    assert all(r.code.startswith("91.03.") for r in customary)


def test_it_stores_ancestor_codes_and_descendant_counts(db: None) -> None:
    village = Region.objects.get(code="35.19.01.2001")
    assert (village.province_code, village.district_code, village.subdistrict_code) == (
        "35",
        "35.19",
        "35.19.01",
    )
    district = Region.objects.get(code="35.19")
    assert (
        district.village_count
        == Region.objects.filter(district_code="35.19", level=Level.VILLAGE).count()
    )
    assert district.subdistrict_count == district.children.count()
