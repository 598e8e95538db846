"""maps.map_data: the values per region, banded against the target, within the view scope."""

from __future__ import annotations

from django.utils import translation

from aksi.accounts.models import User
from aksi.analytics import maps
from aksi.analytics.models import CoverageRollup
from aksi.catalogue.models import Indicator
from aksi.regions.models import Region
from aksi.reporting.services import coverage_value_save


def _indicator(code: str = "BL-01") -> Indicator:
    return Indicator.objects.get(catalogue__year=2025, code=code)


def _rollup(code: str, numerator: int, denominator: int, indicator: str = "BL-01") -> None:
    CoverageRollup.objects.create(
        indicator=_indicator(indicator),
        region_code=code,
        period="2025",
        numerator_sum=numerator,
        denominator_sum=denominator,
        complete_count=3,
    )


def _by_code(data: maps.MapData) -> dict[str, maps.MapRegion]:
    return {row.region.code: row for row in data.regions}


def test_it_shows_every_province_with_its_coverage_for_a_national_user(
    central_admin: User,
) -> None:
    _rollup("35", 45, 100)  # 50% of the 90% target
    _rollup("52", 81, 90)  # 90%: target reached
    _rollup("", 1, 2)  # the nation is not a province

    data = maps.map_data(user=central_admin, region=None, indicator=_indicator(), period="2025")

    rows = _by_code(data)
    assert len(rows) == 38
    assert rows["35"].value == 45.0
    assert (rows["35"].numerator, rows["35"].denominator) == (45, 100)
    assert rows["35"].band.index == 1  # 45–72%
    assert rows["52"].band.index == 3  # ≥ 90%
    assert rows["11"].value is None
    assert rows["11"].band is None
    assert rows["11"].colour == maps.NO_DATA_COLOUR
    assert rows["35"].href == "/map/35/?measure=BL-01&period=2025"
    assert data.as_of is not None


def test_the_bands_are_relative_to_the_national_target(central_admin: User) -> None:
    with translation.override("en"):
        bands = maps.bands_for(target=90.0)
        lower = maps.bands_for(target=15.5, lower_is_better=True)
    assert [b.label for b in bands] == ["< 45%", "45% – 72%", "72% – 90%", "≥ 90%"]
    assert [b.label for b in lower] == ["> 31%", "19.4% – 31%", "15.5% – 19.4%", "≤ 15.5%"]
    assert maps.band_of(71.9, target=90, bands=bands).index == 1
    assert maps.band_of(72.0, target=90, bands=bands).index == 2
    assert maps.band_of(15.5, target=15.5, bands=lower, lower_is_better=True).index == 3
    assert maps.band_of(40.0, target=15.5, bands=lower, lower_is_better=True).index == 0


def test_the_bands_follow_the_setting(settings: object) -> None:
    settings.AKSI_MAP_BANDS = (0.25, 0.5, 0.75)  # type: ignore[attr-defined]
    bands = maps.bands_for(target=100.0)
    assert len(bands) == 5
    assert maps.band_of(60.0, target=100.0, bands=bands).index == 2


def test_a_lower_is_better_indicator_is_banded_the_other_way(central_admin: User) -> None:
    _rollup("35", 10, 100, indicator="KL-01")  # 10% unwanted pregnancies: better than 15.5%

    data = maps.map_data(
        user=central_admin, region=None, indicator=_indicator("KL-01"), period="2025"
    )

    assert _by_code(data)["35"].band.index == 3


def test_a_provincial_user_sees_values_and_links_only_in_the_own_province(
    prov_verifier: User,
) -> None:
    _rollup("35", 45, 100)
    _rollup("52", 81, 90)
    _rollup("35.19", 9, 10)
    _rollup("35.77", 1, 10)

    national = _by_code(
        maps.map_data(user=prov_verifier, region=None, indicator=_indicator(), period="2025")
    )
    province = maps.map_data(
        user=prov_verifier,
        region=Region.objects.get(code="35"),
        indicator=_indicator(),
        period="2025",
    )

    assert national["35"].visible
    assert national["35"].value == 45.0
    assert not national["52"].visible
    assert national["52"].value is None
    assert national["52"].href is None
    assert national["52"].colour == maps.NO_ACCESS_COLOUR
    rows = _by_code(province)
    assert len(rows) == 38  # Jawa Timur: 29 kabupaten, 9 kota
    assert rows["35.19"].value == 90.0
    assert rows["35.19"].href == "/regions/35.19/"


def test_a_district_user_can_open_the_own_province_but_sees_only_the_own_values(
    district_operator: User,
) -> None:
    _rollup("35", 45, 100)
    _rollup("35.19", 9, 10)
    _rollup("35.77", 1, 10)

    national = _by_code(
        maps.map_data(user=district_operator, region=None, indicator=_indicator(), period="2025")
    )
    province = _by_code(
        maps.map_data(
            user=district_operator,
            region=Region.objects.get(code="35"),
            indicator=_indicator(),
            period="2025",
        )
    )

    assert national["35"].value is None  # the whole province is not the operator's to see
    assert national["35"].href.startswith("/map/35/")  # but it leads to Kabupaten Madiun
    assert national["11"].href is None
    assert province["35.19"].value == 90.0
    assert not province["35.77"].visible
    assert province["35.77"].href is None


def test_an_outsider_sees_no_value_of_jawa_timur(outsider: User) -> None:
    _rollup("35", 45, 100)
    _rollup("35.19", 9, 10)

    data = maps.map_data(
        user=outsider, region=Region.objects.get(code="35"), indicator=_indicator(), period="2025"
    )

    assert data.values_shown == 0
    assert all(row.href is None for row in data.regions)


def test_a_value_saved_in_a_village_shows_on_the_province_and_kabkota_maps(
    district_operator: User, central_admin: User
) -> None:
    coverage_value_save(
        actor=district_operator,
        indicator=_indicator(),
        region=Region.objects.get(code="35.19.01.2001"),
        period="2025",
        numerator=30,
        denominator=40,
    )

    national = _by_code(
        maps.map_data(user=central_admin, region=None, indicator=_indicator(), period="2025")
    )
    province = _by_code(
        maps.map_data(
            user=central_admin,
            region=Region.objects.get(code="35"),
            indicator=_indicator(),
            period="2025",
        )
    )

    assert national["35"].value == 75.0
    assert province["35.19"].value == 75.0
    assert province["35.19"].band.index == 2  # 72–90%


def test_progress_is_the_share_of_expected_village_cells_filled(
    district_operator: User, central_admin: User
) -> None:
    madiun = Region.objects.get(code="35.19")
    for code in ("BL-01", "BL-02"):
        coverage_value_save(
            actor=district_operator,
            indicator=_indicator(code),
            region=Region.objects.get(code="35.19.01.2001"),
            period="2025",
            numerator=1,
            denominator=2,
        )

    data = maps.map_data(
        user=central_admin,
        region=Region.objects.get(code="35"),
        indicator=None,
        period="2025",
        progress=maps.PROGRESS_FILLED,
    )

    row = _by_code(data)["35.19"]
    village_indicators = Indicator.objects.filter(
        catalogue__year=2025, entry_level=Indicator.EntryLevel.VILLAGE
    ).count()
    assert (row.numerator, row.denominator) == (2, madiun.village_count * village_indicators)
    assert row.value == round(200 / (madiun.village_count * village_indicators), 1)
    assert _by_code(data)["35.77"].value == 0.0  # nothing filled yet is 0%, not "no data"
    assert data.target == 100.0


def test_verified_progress_counts_the_villages_of_verified_subdistricts(
    central_admin: User,
) -> None:
    from aksi.review.measures import coverage_step
    from aksi.review.models import Submission

    step = coverage_step(2025)
    subdistrict = Region.objects.get(code="35.19.01")
    Submission.objects.create(
        step=step, region=subdistrict, period="2025", status=Submission.Status.VERIFIED
    )

    data = maps.map_data(
        user=central_admin,
        region=None,
        indicator=None,
        period="2025",
        progress=maps.PROGRESS_VERIFIED,
    )

    n = Indicator.objects.filter(
        catalogue__year=2025, entry_level=Indicator.EntryLevel.VILLAGE
    ).count()
    assert _by_code(data)["35"].numerator == subdistrict.village_count * n
    assert _by_code(data)["52"].numerator == 0


def test_progress_agrees_with_progress_for_region(
    district_operator: User, central_admin: User
) -> None:
    from aksi.analytics.selectors import progress_for_region

    coverage_value_save(
        actor=district_operator,
        indicator=_indicator(),
        region=Region.objects.get(code="35.19.01.2002"),
        period="2025",
        numerator=3,
        denominator=4,
    )
    jatim = Region.objects.get(code="35")

    row = _by_code(maps.map_data(user=central_admin, region=None, indicator=None, period="2025"))[
        "35"
    ]

    expected = progress_for_region(region=jatim, period="2025")
    assert (row.numerator, row.denominator) == (expected.filled, expected.expected)
    assert row.value == expected.filled_percent
