from __future__ import annotations

import pytest
from django.core.management import call_command

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.analytics.models import CoverageRollup
from aksi.analytics.services import rollups_differences, rollups_rebuild
from aksi.catalogue.models import Indicator
from aksi.regions.models import Region
from aksi.reporting.models import ValueStatus
from aksi.reporting.services import coverage_value_save


@pytest.fixture
def operator(db: None) -> User:
    return user_with_role("op_madiun", Role.OPERATOR, "35.19")


def _save(
    actor: User,
    desa: str,
    n: int | None,
    d: int | None,
    version: int | None = None,
    code: str = "BL-01",
    status: str = ValueStatus.VALUE,
) -> None:
    coverage_value_save(
        actor=actor,
        indicator=Indicator.objects.get(catalogue__year=2025, code=code),
        region=Region.objects.get(code=desa),
        period="2025",
        numerator=n,
        denominator=d,
        expected_version=version,
        status=status,
    )


def _totals(code: str, indicator: str = "BL-01") -> tuple[int, int, int]:
    row = CoverageRollup.objects.get(
        indicator__catalogue__year=2025,
        indicator__code=indicator,
        region_code=code,
        period="2025",
    )
    return row.numerator_sum, row.denominator_sum, row.complete_count


def test_one_saved_value_moves_every_level_up_to_the_nation(operator: User) -> None:
    _save(operator, "35.19.01.2001", 40, 50)
    _save(operator, "35.19.02.2001", 10, 50)
    for code in ("35.19.01", "35.19", "35", ""):
        assert _totals(code)[2] >= 1
    assert _totals("35.19.01") == (40, 50, 1)
    assert _totals("35.19") == (50, 100, 2)
    assert _totals("35") == (50, 100, 2)
    assert _totals("") == (50, 100, 2)
    assert (
        CoverageRollup.objects.get(
            indicator__code="BL-01", region_code="35.19", period="2025"
        ).coverage
        == 50.0
    )


def test_a_change_moves_the_totals_by_the_difference(operator: User) -> None:
    _save(operator, "35.19.01.2001", 40, 50)
    _save(operator, "35.19.01.2001", 45, 60, version=1)
    assert _totals("35") == (45, 60, 1)
    _save(operator, "35.19.01.2001", None, None, version=2, status=ValueStatus.NO_DATA)
    assert _totals("35") == (0, 0, 0)


def test_rebuild_equals_incremental_after_a_mixed_sequence(operator: User) -> None:
    _save(operator, "35.19.01.2001", 40, 50)
    _save(operator, "35.19.01.2002", 30, 40)
    _save(operator, "35.19.02.2001", 5, None)  # incomplete: not in the sums
    _save(operator, "35.19.01.2001", 41, 50, version=1)
    _save(operator, "35.19.01.2003", 1, None, code="RT-03")  # yes/no: 1 of 1
    _save(operator, "35.19.01.2002", None, None, version=1, status=ValueStatus.NOT_APPLICABLE)
    assert rollups_differences() == []
    incremental = {
        (r.indicator_id, r.region_code): (r.numerator_sum, r.denominator_sum, r.complete_count)
        for r in CoverageRollup.objects.all()
        if r.complete_count
    }
    rollups_rebuild()
    rebuilt = {
        (r.indicator_id, r.region_code): (r.numerator_sum, r.denominator_sum, r.complete_count)
        for r in CoverageRollup.objects.all()
    }
    assert rebuilt == incremental
    assert _totals("35.19", "RT-03") == (1, 1, 1)


def test_the_check_command_reports_drift(operator: User) -> None:
    _save(operator, "35.19.01.2001", 40, 50)
    CoverageRollup.objects.filter(region_code="35").update(numerator_sum=999)
    with pytest.raises(Exception, match="differ"):
        call_command("rollups", "check")
    call_command("rollups", "rebuild")
    assert _totals("35") == (40, 50, 1)


def test_the_region_page_shows_coverage_to_users_in_scope_only(
    client: object, operator: User, outsider: User, django_assert_max_num_queries: object
) -> None:
    _save(operator, "35.19.01.2001", 40, 50)
    client.force_login(operator)  # type: ignore[attr-defined]
    # session, user, catalogue year, assignments, rollups, region+parent, ancestors, groups,
    # villages, units, indicators, session save …
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        page = client.get("/regions/35.19/")  # type: ignore[attr-defined]
    rows = {row.indicator.code: row for row in page.context["coverage"]}
    assert (rows["BL-01"].numerator, rows["BL-01"].denominator) == (40, 50)
    assert rows["BL-01"].coverage == 80.0
    assert "80,0%" in page.content.decode()
    client.force_login(outsider)  # type: ignore[attr-defined]
    assert client.get("/regions/35.19/").context["coverage"] == []  # type: ignore[attr-defined]


def test_progress_counts_filled_and_verified_cells_up_to_the_nation(operator: User) -> None:
    from aksi.analytics.selectors import progress_for_region
    from aksi.review.models import Submission
    from aksi.review.services import submission_submit, submission_verify

    _save(operator, "35.19.01.2001", 40, 50)
    _save(operator, "35.19.01.2002", 30, 40)
    kecamatan = Region.objects.get(code="35.19.01")
    district = Region.objects.get(code="35.19")
    per_village = Indicator.objects.filter(
        catalogue__year=2025, entry_level=Indicator.EntryLevel.VILLAGE
    ).count()
    progress = progress_for_region(region=district, period="2025")
    assert progress.expected == district.village_count * per_village
    assert progress.filled == 2
    assert progress.verified == 0
    submission_submit(actor=operator, region=kecamatan, period="2025")
    verifier = user_with_role("ver_madiun", Role.VERIFIER, "35.19")
    submission_verify(submission=Submission.objects.get(), actor=verifier)
    for region in (district, Region.objects.get(code="35"), None):
        progress = progress_for_region(region=region, period="2025")
        assert progress.verified == kecamatan.village_count * per_village
        assert progress.filled == 2
