from __future__ import annotations

from django.db.models import Sum

from aksi.analytics.models import CoverageRollup
from aksi.analytics.services import rollups_differences
from aksi.reporting.models import CoverageValue
from aksi.synth.services import SynthResult
from aksi.synth.tests.conftest import DISTRICT


def test_rollups_equal_a_rebuild_from_the_values(madiun: SynthResult) -> None:
    assert madiun.rollups > 0
    assert rollups_differences() == []


def test_the_national_rollup_sums_every_generated_value(madiun: SynthResult) -> None:
    value = CoverageValue.objects.filter(period="2025S2").order_by("indicator_id").first()
    assert value is not None
    expected = CoverageValue.objects.filter(
        period="2025S2", indicator_id=value.indicator_id
    ).aggregate(n=Sum("numerator"), d=Sum("denominator"))
    nation = CoverageRollup.objects.get(
        indicator_id=value.indicator_id, region_code="", period="2025S2"
    )
    assert (nation.numerator_sum, nation.denominator_sum) == (expected["n"], expected["d"])
    assert CoverageRollup.objects.filter(region_code=DISTRICT).exists()


def test_replacing_a_kabupaten_keeps_the_rollups_of_its_neighbours(
    madiun: SynthResult,
) -> None:
    from aksi.synth import services

    services.synth_generate(size="kabupaten", region_code="35.20", seed=7, users=False)
    services.synth_generate(size="kabupaten", region_code=DISTRICT, seed=9, replace=True)
    assert CoverageRollup.objects.filter(region_code="35.20").exists()
    assert rollups_differences() == []


def test_a_full_load_of_the_rollups_equals_a_rebuild(madiun: SynthResult) -> None:
    from django.db import transaction

    from aksi.synth import services

    services.synth_generate(size="kabupaten", region_code="65.01", seed=7, users=False)
    with transaction.atomic():
        written = services.rollups_load(periods=["2025S1", "2025S2"])
    assert written == CoverageRollup.objects.count()
    assert rollups_differences() == []
