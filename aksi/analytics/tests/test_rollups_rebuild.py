"""The set-based rebuild gives exactly the rows that saves and imports keep incrementally."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from aksi.accounts.models import Role
from aksi.accounts.tests.factories import user_with_role
from aksi.analytics import rollup_sql
from aksi.analytics.models import CoverageRollup
from aksi.analytics.services import rollups_rebuild
from aksi.catalogue.models import Indicator
from aksi.regions.models import Region
from aksi.reporting.imports import CellPair, coverage_values_import
from aksi.reporting.models import ValueStatus
from aksi.reporting.services import coverage_value_save

Key = tuple[int, str, str]
Sums = tuple[int, int, int]


def _rows() -> dict[Key, Sums]:
    """The rollups that count something (a total brought back to zero may stay as zeros)."""
    return {
        (r.indicator_id, r.region_code, r.period): (
            r.numerator_sum,
            r.denominator_sum,
            r.complete_count,
        )
        for r in CoverageRollup.objects.all()
        if (r.numerator_sum, r.denominator_sum, r.complete_count) != (0, 0, 0)
    }


def _stamps() -> dict[Key, dt.datetime]:
    return {
        (r.indicator_id, r.region_code, r.period): r.updated_at
        for r in CoverageRollup.objects.all()
    }


def _indicator(code: str) -> Indicator:
    return Indicator.objects.get(catalogue__year=2025, code=code)


@pytest.fixture
def kept(db: None) -> dict[Key, Sums]:
    """Values of Kab. Madiun saved one by one and imported per kecamatan, in two periods;
    returns the rollups the writes kept incrementally."""
    operator = user_with_role("op_madiun", Role.OPERATOR, "35.19")

    def save(
        desa: str,
        n: int | None,
        d: int | None,
        code: str = "BL-01",
        period: str = "2025",
        version: int | None = None,
        status: str = ValueStatus.VALUE,
    ) -> None:
        coverage_value_save(
            actor=operator,
            indicator=_indicator(code),
            region=Region.objects.get(code=desa),
            period=period,
            numerator=n,
            denominator=d,
            expected_version=version,
            status=status,
        )

    save("35.19.01.2001", 40, 50)
    save("35.19.01.2002", 30, 40)
    save("35.19.02.2001", 5, None)  # incomplete: not in the sums
    save("35.19.01.2001", 41, 50, version=1)
    save("35.19.01.2003", 1, None, code="RT-03")  # yes/no: 1 of 1
    save("35.19.01.2002", None, None, version=1, status=ValueStatus.NOT_APPLICABLE)
    save("35.19.02.2003", 7, 9, period="2025S1")
    save("35.19.04.2001", 2, 3, period="2025S1")
    # A kabupaten-level indicator: the kabupaten's own value is its rollup, counted once.
    upper = Indicator.objects.filter(
        catalogue__year=2025, entry_level=Indicator.EntryLevel.DISTRICT
    ).first()
    assert upper is not None
    save("35.19", 11, 12, code=upper.code)
    villages = ["35.19.03.2001", "35.19.03.2002", "35.19.03.2003"]
    for code in ("BL-01", "BL-02"):
        indicator = _indicator(code)
        cells = [
            CellPair(region_code=desa, indicator_id=indicator.pk, numerator=i + 1, denominator=10)
            for i, desa in enumerate(villages)
        ]
        report = coverage_values_import(
            actor=operator,
            subdistrict=Region.objects.get(code="35.19.03"),
            period="2025",
            cells=cells,
            apply=True,
        )
        assert report.written == len(villages)
    rows = _rows()
    assert rows[(upper.pk, "35.19", "2025")] == (11, 12, 1)
    assert rows[(_indicator("BL-01").pk, "35.19", "2025")] == (41 + 1 + 2 + 3, 50 + 30, 4)
    assert CoverageRollup.objects.filter(complete_count=0).exists()  # the desa set to n/a
    return rows


def test_a_rebuild_into_an_empty_table_gives_the_incremental_rows(kept: dict[Key, Sums]) -> None:
    CoverageRollup.objects.all().delete()
    assert rollups_rebuild() == len(kept)
    assert _rows() == kept
    assert CoverageRollup.objects.count() == len(kept)


def test_a_rebuild_of_consistent_rollups_rewrites_nothing(kept: dict[Key, Sums]) -> None:
    before = _stamps()
    assert rollups_rebuild() == len(kept)
    assert _rows() == kept
    # Only the rows that sum nothing any more are gone; the others were not touched.
    assert not CoverageRollup.objects.filter(complete_count=0).exists()
    assert _stamps() == {key: before[key] for key in kept}


def test_a_rebuild_repairs_drifted_rows_and_only_those(
    kept: dict[Key, Sums], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Three rows of a few dozen: in place, as a few rows of millions would be.
    monkeypatch.setattr(rollup_sql, "CHANGE_SHARE", 0.5)
    bl01 = _indicator("BL-01").pk
    before = _stamps()
    CoverageRollup.objects.filter(indicator_id=bl01, region_code="35", period="2025").update(
        numerator_sum=999
    )
    CoverageRollup.objects.filter(indicator_id=bl01, region_code="35.19.01", period="2025").delete()
    CoverageRollup.objects.create(
        indicator_id=bl01, region_code="35.20", period="2025", numerator_sum=1, denominator_sum=1
    )
    assert rollups_rebuild() == len(kept)
    assert _rows() == kept
    after = _stamps()
    assert after[(bl01, "35", "2025")] > before[(bl01, "35", "2025")]
    assert after[(bl01, "", "2025")] == before[(bl01, "", "2025")]


def test_a_rebuild_after_most_rows_drifted_replaces_them_all(kept: dict[Key, Sums]) -> None:
    table = CoverageRollup._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    CoverageRollup.objects.update(numerator_sum=F("numerator_sum") + 1)
    assert rollups_rebuild() == len(kept)
    assert _rows() == kept
    # The indexes and constraints dropped for the load are all back, and enforced.
    with connection.cursor() as cursor:
        assert connection.introspection.get_constraints(cursor, table) == constraints
    row = CoverageRollup.objects.first()
    assert row is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        CoverageRollup.objects.create(
            indicator_id=row.indicator_id, region_code=row.region_code, period=row.period
        )


def test_a_rebuild_of_one_period_leaves_the_others(kept: dict[Key, Sums]) -> None:
    bl01 = _indicator("BL-01").pk
    CoverageRollup.objects.filter(region_code="").update(numerator_sum=F("numerator_sum") + 5)
    assert rollups_rebuild(period="2025S1") == sum(1 for key in kept if key[2] == "2025S1")
    rows = _rows()
    assert {k: v for k, v in rows.items() if k[2] == "2025S1"} == {
        k: v for k, v in kept.items() if k[2] == "2025S1"
    }
    assert rows[(bl01, "", "2025")][0] == kept[(bl01, "", "2025")][0] + 5
    rollups_rebuild()
    assert _rows() == kept
