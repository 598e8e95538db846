from __future__ import annotations

import pytest
from django.http import Http404

from aksi.prevalence import selectors
from aksi.prevalence.models import AdministrativeCount
from aksi.regions.models import Region

pytestmark = pytest.mark.django_db


def _count(
    code: str, period: str, measured: int, stunted: int, severe: int, targeted: int | None = None
) -> None:
    AdministrativeCount.objects.create(
        region_id=code,
        period=period,
        measured_count=measured,
        stunted_count=stunted,
        severely_stunted_count=severe,
        targeted_count=targeted,
    )


def test_it_sums_desa_into_their_kecamatan_and_flags_low_n() -> None:
    _count("35.19.01.2001", "202408", 200, 20, 10, targeted=200)
    _count("35.19.01.2002", "202408", 100, 5, 5, targeted=200)
    _count("35.19.02.2001", "202408", 12, 3, 0)  # Dolopo: too few children for a %
    _count("35.19.02.2001", "202402", 50, 5, 0)  # another period: not counted
    _count("35.20.01.2001", "202408", 999, 99, 9)  # Kab. Magetan: outside
    district = Region.objects.get(code="35.19")
    breakdown = selectors.administrative_breakdown(region=district, period="202408")

    assert (breakdown.total.measured, breakdown.total.all_stunted) == (312, 43)
    assert breakdown.total.villages == 3
    assert breakdown.total.prevalence == 13.8
    kebonsari, dolopo = breakdown.children_with_data
    assert (kebonsari.region.code, kebonsari.prevalence, kebonsari.low_n) == (
        "35.19.01",
        13.3,
        False,
    )
    # 300 of 400 targeted measured: 75% < 80%, flagged
    assert (kebonsari.measurement_coverage, kebonsari.low_measurement) == (75.0, True)
    assert (dolopo.region.code, dolopo.prevalence, dolopo.low_n) == ("35.19.02", 25.0, True)
    assert dolopo.measurement_coverage is None  # no target count given: no claim
    assert len(breakdown.children) == Region.objects.filter(parent_id="35.19").count()


def test_the_low_n_threshold_is_a_setting(settings: object) -> None:
    _count("35.19.01.2001", "202408", 12, 3, 0)
    settings.AKSI_PREVALENCE_LOW_N = 10  # type: ignore[attr-defined]
    kecamatan = Region.objects.get(code="35.19.01")
    breakdown = selectors.administrative_breakdown(region=kecamatan, period="202408")
    assert breakdown.total.low_n is False


def test_the_nation_is_summed_by_province_in_two_queries(django_assert_num_queries: object) -> None:
    _count("35.19.01.2001", "202408", 200, 20, 10)
    _count("52.03.07.1001", "202408", 100, 10, 0)
    with django_assert_num_queries(2):  # type: ignore[operator]
        # the sums per province; the 38 provinces
        breakdown = selectors.administrative_breakdown(region=None, period="202408")
    assert [c.region.code for c in breakdown.children_with_data] == ["35", "52"]
    assert breakdown.total.prevalence == 13.3
    assert breakdown.total.expected_villages > 80_000


def test_periods_are_listed_latest_first_and_an_unknown_one_is_a_404() -> None:
    for period in ("2024S1", "202408", "202502", "2023"):
        _count("35.19.01.2001", period, 10, 1, 0)
    district = Region.objects.get(code="35.19")
    latest, periods = selectors.administrative_period_get(region=district, period=None)
    assert (latest, periods) == ("202502", ["202502", "202408", "2024S1", "2023"])
    with pytest.raises(Http404):
        selectors.administrative_period_get(region=district, period="202407")
    with pytest.raises(Http404):
        selectors.administrative_period_get(region=district, period="not-a-period")
