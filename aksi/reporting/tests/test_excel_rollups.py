from __future__ import annotations

from aksi.accounts.models import User
from aksi.analytics.models import CoverageRollup
from aksi.catalogue.models import Indicator
from aksi.regions.models import Region
from aksi.reporting.imports import CellPair, coverage_values_import


def test_an_applied_import_moves_the_rollups_of_every_level_above(district_operator: User) -> None:
    indicator = Indicator.objects.get(catalogue__year=2025, code="BL-01")
    cells = [
        CellPair(
            region_code="35.19.01.2001", indicator_id=indicator.pk, numerator=3, denominator=4
        ),
        CellPair(
            region_code="35.19.01.2002", indicator_id=indicator.pk, numerator=5, denominator=6
        ),
    ]
    kecamatan = Region.objects.get(code="35.19.01")
    coverage_values_import(
        actor=district_operator, subdistrict=kecamatan, period="2025", cells=cells, apply=True
    )
    for code in ("35.19.01", "35.19", "35"):
        rollup = CoverageRollup.objects.get(indicator=indicator, region_code=code, period="2025")
        assert (rollup.numerator_sum, rollup.denominator_sum, rollup.complete_count) == (8, 10, 2)
