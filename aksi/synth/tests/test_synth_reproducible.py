from __future__ import annotations

import pytest

from aksi.reporting.models import CoverageValue
from aksi.synth import services
from aksi.synth.services import SynthError, SynthResult
from aksi.synth.tests.conftest import DISTRICT


def _snapshot(prefix: str) -> list[tuple[int, str, str, int | None, int | None]]:
    return list(
        CoverageValue.objects.filter(region__code__startswith=prefix)
        .order_by("indicator_id", "region_id", "period")
        .values_list("indicator_id", "region_id", "period", "numerator", "denominator")
    )


def test_it_generates_the_same_data_from_the_same_seed(madiun: SynthResult) -> None:
    first = _snapshot(DISTRICT)
    again = services.synth_generate(size="kabupaten", region_code=DISTRICT, seed=7, replace=True)
    assert again.deleted == madiun.values
    assert _snapshot(DISTRICT) == first
    assert len(first) == madiun.values > 10_000


def test_another_seed_gives_other_numbers(madiun: SynthResult) -> None:
    first = _snapshot(DISTRICT)
    services.synth_generate(size="kabupaten", region_code=DISTRICT, seed=8, replace=True)
    other = _snapshot(DISTRICT)
    same = len(set(first) & set(other))
    assert same < len(first) * 0.2


def test_a_desa_gets_the_same_values_in_its_kabupaten_and_its_province(db: None) -> None:
    # Kalimantan Utara (65) is small: its kabupaten 65.01 alone, then the whole province.
    services.synth_generate(size="kabupaten", region_code="65.01", seed=3, users=False)
    alone = _snapshot("65.01")
    services.synth_generate(size="province", region_code="65", seed=3, users=False, replace=True)
    assert _snapshot("65.01") == alone
    assert len(_snapshot("65")) > len(alone)


def test_it_refuses_to_generate_over_existing_values_without_replace(
    madiun: SynthResult,
) -> None:
    with pytest.raises(SynthError, match="--replace"):
        services.synth_generate(size="kabupaten", region_code=DISTRICT, seed=7)
    assert CoverageValue.objects.filter(region__code__startswith=DISTRICT).count() == (
        madiun.values
    )


def test_it_rejects_a_region_of_the_wrong_level(db: None) -> None:
    with pytest.raises(SynthError):
        services.synth_generate(size="kabupaten", region_code="35")
    with pytest.raises(SynthError):
        services.synth_generate(size="kabupaten", region_code="35", years=[1999])


def test_a_period_gets_the_same_values_whichever_periods_are_generated(db: None) -> None:
    services.synth_generate(size="kabupaten", region_code="65.01", seed=3, users=False)
    semesters = _snapshot("65.01")
    result = services.synth_generate(
        size="kabupaten", region_code="65.01", seed=3, users=False, replace=True, periods="all"
    )
    assert result.periods == ["2025", "2025S1", "2025S2"]
    every = _snapshot("65.01")
    assert [row for row in every if row[2] != "2025"] == semesters
    assert any(row[2] == "2025" for row in every)
