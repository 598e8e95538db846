"""Completeness against reporting duties: expected cells come from who reports what."""

from __future__ import annotations

import datetime

import pytest

from aksi.accounts.models import User
from aksi.regions.models import Region
from aksi.reporting import duties
from aksi.reporting.models import ReportingDuty, ReportingUnit, Sector, UnitKind
from aksi.review import measures

from .conftest import save_value


@pytest.fixture
def mid_year_puskesmas(kecamatan: Region) -> ReportingUnit:
    """Kebonsari's puskesmas opened on 1 August 2025; the kecamatan reports everything else."""
    unit = ReportingUnit.objects.create(
        region=kecamatan,
        kind=UnitKind.HEALTH_CENTER,
        sector=Sector.HEALTH,
        name="Puskesmas Kebonsari",
        active_from=datetime.date(2025, 8, 1),
    )
    unit.served_regions.set(Region.objects.filter(parent=kecamatan))
    duties.reporting_duties_generate(
        actor=None, district=Region.objects.get(code="35.19"), year=2025
    )
    return unit


def test_a_unit_opened_mid_year_is_expected_only_from_then_on(
    kecamatan: Region, desa: Region, kecamatan_operator: User, mid_year_puskesmas: ReportingUnit
) -> None:
    all_ids = set(measures.village_indicator_ids(2025))
    puskesmas_ids = set(
        ReportingDuty.objects.get(unit=mid_year_puskesmas).indicators.values_list("pk", flat=True)
    )
    assert puskesmas_ids  # the health indicators
    first = measures.subdistrict_completeness(subdistrict=kecamatan, period="2025S1")
    second = measures.subdistrict_completeness(subdistrict=kecamatan, period="2025S2")
    year = measures.subdistrict_completeness(subdistrict=kecamatan, period="2025")
    villages = kecamatan.village_count
    assert first.expected == villages * len(all_ids - puskesmas_ids)
    assert second.expected == year.expected == villages * len(all_ids)


def test_a_health_value_before_the_puskesmas_opened_does_not_push_past_100_percent(
    kecamatan: Region, desa: Region, kecamatan_operator: User, mid_year_puskesmas: ReportingUnit
) -> None:
    # Everything the kecamatan itself reports in S1, for every desa, plus a BL-01 nobody expects.
    own = ReportingDuty.objects.get(region=kecamatan, unit=None)
    for village in Region.objects.filter(parent=kecamatan, valid_to__isnull=True):
        for code in own.indicators.values_list("code", flat=True):
            save_value(
                kecamatan_operator,
                village,
                None,
                None,
                code=code,
                period="2025S1",
                status="no_data",
            )
    save_value(kecamatan_operator, desa, 80, 100, code="BL-01", period="2025S1")
    result = measures.subdistrict_completeness(subdistrict=kecamatan, period="2025S1")
    assert result.filled == result.expected
    assert result.percent == 100.0


def test_overlapping_duties_count_a_cell_once(
    kecamatan: Region, desa: Region, kecamatan_operator: User, mid_year_puskesmas: ReportingUnit
) -> None:
    # A kab/kota OPD of the same sector also carries the health indicators of every kecamatan.
    ReportingUnit.objects.create(
        region=Region.objects.get(code="35.19"),
        kind=UnitKind.AGENCY,
        sector=Sector.HEALTH,
        name="Dinas Kesehatan",
    )
    duties.reporting_duties_generate(
        actor=None, district=Region.objects.get(code="35.19"), year=2025
    )
    result = measures.subdistrict_completeness(subdistrict=kecamatan, period="2025")
    assert result.expected == kecamatan.village_count * len(measures.village_indicator_ids(2025))


def test_without_duties_every_village_indicator_is_expected(kecamatan: Region) -> None:
    result = measures.subdistrict_completeness(subdistrict=kecamatan, period="2025S1")
    assert result.expected == kecamatan.village_count * len(measures.village_indicator_ids(2025))


def test_the_district_view_agrees_with_each_kecamatan(
    kecamatan: Region,
    desa: Region,
    kecamatan_operator: User,
    mid_year_puskesmas: ReportingUnit,
    django_assert_max_num_queries: object,
) -> None:
    save_value(kecamatan_operator, desa, 80, 100, code="BL-01", period="2025S1")
    save_value(kecamatan_operator, desa, 5, 10, code="KL-02", period="2025S1")
    with django_assert_max_num_queries(5):  # type: ignore[operator]
        by_code = measures.district_completeness(district_code="35.19", period="2025S1")
    assert len(by_code) == 15
    for code in ("35.19.01", "35.19.02"):
        region = Region.objects.get(code=code)
        assert by_code[code] == measures.subdistrict_completeness(
            subdistrict=region, period="2025S1"
        )
    assert by_code["35.19.01"].filled == 1  # KL-02; BL-01 is not expected before August
