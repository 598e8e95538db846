from __future__ import annotations

import statistics

from aksi.catalogue.models import Indicator, TargetGroup
from aksi.regions.models import Level, Region
from aksi.reporting.models import CountSource, CoverageValue, TargetGroupCount
from aksi.reporting.services import ESTIMATED_DENOMINATORS, _validate
from aksi.synth.generators import COUNTED
from aksi.synth.services import SynthResult
from aksi.synth.tests.conftest import DISTRICT


def _values() -> list[CoverageValue]:
    return list(
        CoverageValue.objects.filter(region__district_code=DISTRICT).select_related(
            "indicator__catalogue", "region"
        )
    )


def test_every_value_passes_the_validation_of_a_single_save(madiun: SynthResult) -> None:
    values = _values()
    assert len(values) == madiun.values
    for value in values:
        assert _validate(
            indicator=value.indicator,
            region=value.region,
            period=value.period,
            numerator=value.numerator,
            denominator=value.denominator,
            status=value.status,
        ) == (value.numerator, value.denominator)


def test_numerators_exceed_denominators_only_against_estimates_and_rarely(
    madiun: SynthResult,
) -> None:
    values = [v for v in _values() if not v.indicator.is_binary]
    over = [v for v in values if v.numerator > v.denominator]
    assert all(v.indicator.denominator_source in ESTIMATED_DENOMINATORS for v in over)
    assert 0 < len(over) < len(values) * 0.03


def test_yes_no_indicators_count_zero_or_one_of_one(madiun: SynthResult) -> None:
    binary = [v for v in _values() if v.indicator.is_binary]
    assert binary
    assert {v.denominator for v in binary} == {1}
    assert {v.numerator for v in binary} == {0, 1}


def test_coverage_is_spread_like_real_data_not_uniform_noise(madiun: SynthResult) -> None:
    values = [v for v in _values() if not v.indicator.is_binary and v.denominator]
    coverage = [v.numerator / v.denominator for v in values]
    # Uniform noise on [0, 1] would have mean 0.5 and deviation 0.29.
    assert 0.55 < statistics.mean(coverage) < 0.9
    assert 0.08 < statistics.pstdev(coverage) < 0.25
    by_period = {
        period: statistics.mean(v.numerator / v.denominator for v in values if v.period == period)
        for period in ("2025S1", "2025S2")
    }
    assert by_period["2025S2"] > by_period["2025S1"]  # the year's work shows by semester 2
    # Denominators follow the target group: stunting cases are far fewer than families.
    median = {
        source: statistics.median(
            v.denominator for v in values if v.indicator.denominator_source == source
        )
        for source in (
            Indicator.DenominatorSource.EPPGBM,
            Indicator.DenominatorSource.BKKBN_FAMILY_DATA,
        )
    }
    assert median["eppgbm"] * 5 < median["bkkbn_family_data"]


def test_most_but_not_all_cells_are_reported(madiun: SynthResult) -> None:
    villages = Region.objects.filter(
        district_code=DISTRICT, level=Level.VILLAGE, valid_to__isnull=True
    ).count()
    village_indicators = Indicator.objects.filter(
        catalogue__year=2025, entry_level=Indicator.EntryLevel.VILLAGE
    ).count()
    possible = villages * village_indicators * 2
    reported = CoverageValue.objects.filter(
        region__code__startswith=f"{DISTRICT}.", indicator__entry_level="village"
    ).count()
    assert 0.8 * possible < reported < possible


def test_denominators_of_counted_indicators_are_the_target_group_counts(
    madiun: SynthResult,
) -> None:
    counts = {
        (c.region_id, c.target_group_id, c.period): c
        for c in TargetGroupCount.objects.filter(region__district_code=DISTRICT)
    }
    assert madiun.counts == len(counts) > 1000
    counted = [
        v
        for v in _values()
        if v.indicator.denominator_source in COUNTED and not v.indicator.is_binary
    ]
    assert counted
    for value in counted:
        count = counts[(value.region_id, value.indicator.target_group_id, value.period)]
        assert value.denominator == count.count
        expected = "dukcapil" if count.source == CountSource.DUKCAPIL else "target_group_data"
        assert value.denominator_source == expected


def test_a_target_group_never_outnumbers_its_parent_group(madiun: SynthResult) -> None:
    counts = {
        (c.region_id, c.target_group_id, c.period): c.count
        for c in TargetGroupCount.objects.filter(region__district_code=DISTRICT)
    }
    parents = dict(TargetGroup.objects.values_list("pk", "parent_id"))
    nested = 0
    for (region, group, period), count in counts.items():
        parent = counts.get((region, parents[group], period))
        if parent is not None:
            nested += 1
            assert count <= parent
    assert nested > 0


def test_supporting_data_pass_the_save_rules_and_hold_together(madiun: SynthResult) -> None:
    from aksi.reporting.models import SupportingValue
    from aksi.reporting.supporting.values import _validate as supporting_validate

    values = list(
        SupportingValue.objects.filter(region__code__startswith=f"{DISTRICT}.").select_related(
            "item__catalogue", "region"
        )
    )
    assert len(values) == madiun.supporting > 0
    by_key: dict[tuple[str, str, str], int] = {}
    for value in values:
        supporting_validate(
            item=value.item, region=value.region, period=value.period, value=value.value
        )
        by_key[(value.region_id, value.period, value.item.code)] = value.value
    levels = {v.region.level for v in values}
    assert levels == {Level.VILLAGE, Level.SUBDISTRICT}
    for (region, period, code), number in by_key.items():
        if code in ("DP-02", "DP-04"):
            assert number <= by_key[(region, period, "DP-01")]
