"""The arithmetic of DOMAIN §8.2: weighted means of item grades, the panel mean with the drop of
extremes, blank = 0, the 60/40 total and ranks where ties share a place (1, 2, 2, 4)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from aksi.accounts.models import User
from aksi.analytics.selectors import progress_for_region
from aksi.assessment import scoring, services
from aksi.assessment.models import AssessmentRound, ItemSource

from .factories import grade, item, make_round, region


def test_weighted_mean_weighs_each_value() -> None:
    assert scoring.weighted_mean([(100, 2), (50, 1)]) == Fraction(250, 3)
    assert scoring.weighted_mean([]) == 0


def test_panel_mean_drops_one_highest_and_one_lowest_from_three_panelists() -> None:
    assert scoring.panel_mean([100, 25, 75], drop_extremes=True) == (75, 2)
    assert scoring.panel_mean([100, 25, 75], drop_extremes=False) == (Fraction(200, 3), 0)
    # Two panelists: nothing to drop.
    assert scoring.panel_mean([100, 25], drop_extremes=True) == (Fraction(125, 2), 0)


def test_rounding_is_half_up_to_two_decimals() -> None:
    assert scoring.rounded(Fraction(525, 8)) == Decimal("65.63")  # 65.625
    assert scoring.rounded(Fraction(200, 3)) == Decimal("66.67")


@pytest.mark.parametrize(
    ("values", "ranks"),
    [
        (["100", "90", "90", "80"], [1, 2, 2, 4]),
        (["50", "70", "70", "70"], [4, 1, 1, 1]),
        (["87.50", "87.50"], [1, 1]),
        ([], []),
    ],
)
def test_equal_scores_share_a_rank_and_the_next_rank_skips(
    values: list[str], ranks: list[int]
) -> None:
    assert scoring.competition_ranks([Decimal(v) for v in values]) == ranks


def _results(round: AssessmentRound, actor: User) -> dict[str, object]:
    return {r.region_id: r for r in services.results_compute(actor=actor, round=round)}


def test_components_are_weighted_means_and_the_total_is_sixty_forty(
    simple_round: AssessmentRound, province_admin: User, technical: User, panelists: list[User]
) -> None:
    t1, t2, p1, p2 = (item(simple_round, c) for c in ("T1", "T2", "P1", "P2"))
    grade(technical, simple_round, "35.19", t1, "A")  # 100 × 2
    grade(technical, simple_round, "35.19", t2, "C")  # 50 × 1 → 83.33
    grade(panelists[0], simple_round, "35.19", p1, "A")  # (100 + 3 × 75) / 4 = 81.25
    grade(panelists[0], simple_round, "35.19", p2, "B")
    grade(panelists[1], simple_round, "35.19", p1, "C")  # 50
    grade(panelists[1], simple_round, "35.19", p2, "C")

    result = _results(simple_round, province_admin)["35.19"]

    assert result.technical == Decimal("83.33")
    assert result.panel == Decimal("65.63")  # (81.25 + 50) / 2 = 65.625, half up
    # 0.6 × 250/3 + 0.4 × 525/8 = 50 + 26.25 = 76.25 (from the exact components)
    assert result.total == Decimal("76.25")
    assert result.panelists_counted == 2


def test_two_technical_scorers_of_one_item_are_averaged(
    simple_round: AssessmentRound, province_admin: User, technical: User
) -> None:
    t1, t2 = item(simple_round, "T1"), item(simple_round, "T2")
    grade(technical, simple_round, "35.19", t1, "A")
    grade(province_admin, simple_round, "35.19", t1, "B")  # T1 = 87.5
    grade(technical, simple_round, "35.19", t2, "D")  # T2 = 25

    result = _results(simple_round, province_admin)["35.19"]

    assert result.technical == Decimal("66.67")  # (2 × 87.5 + 25) / 3
    assert result.details["items"] == {"T1": "87.50", "T2": "25.00"}


def test_a_blank_grade_and_an_ungraded_item_count_zero(
    simple_round: AssessmentRound, province_admin: User, technical: User, panelists: list[User]
) -> None:
    t1, t2, p1 = item(simple_round, "T1"), item(simple_round, "T2"), item(simple_round, "P1")
    grade(technical, simple_round, "35.19", t1, "")  # blank
    grade(technical, simple_round, "35.19", t2, "A")
    grade(panelists[0], simple_round, "35.19", p1, "A")  # P2 left ungraded by this panelist

    results = _results(simple_round, province_admin)

    assert results["35.19"].technical == Decimal("33.33")  # (2 × 0 + 100) / 3
    assert results["35.19"].panel == Decimal("25.00")  # (100 + 3 × 0) / 4
    # A kab/kota nobody graded scores zero everywhere.
    untouched = results["35.17"]
    assert (untouched.technical, untouched.panel, untouched.total) == (0, 0, 0)
    assert untouched.panelists_counted == 0


def test_the_blank_value_of_the_round_is_used(
    draft_round: AssessmentRound, province_admin: User, technical: User, panelists: list[User]
) -> None:
    from .factories import simple_rubric

    simple_rubric(draft_round, province_admin)
    draft_round.blank_value = Decimal(10)
    draft_round.save()
    services.round_panelist_add(actor=province_admin, round=draft_round, user=panelists[0])
    services.round_open_scoring(actor=province_admin, round=draft_round)
    grade(technical, draft_round, "35.19", item(draft_round, "T1"), "")
    grade(technical, draft_round, "35.19", item(draft_round, "T2"), "A")

    result = _results(draft_round, province_admin)["35.19"]

    assert result.technical == Decimal("40.00")  # (2 × 10 + 100) / 3


def test_extremes_are_dropped_only_when_asked_and_with_three_panelists(
    draft_round: AssessmentRound, province_admin: User, panelists: list[User]
) -> None:
    from .factories import simple_rubric

    items = simple_rubric(draft_round, province_admin)
    draft_round.drop_extremes = True
    draft_round.save()
    for panelist in panelists:
        services.round_panelist_add(actor=province_admin, round=draft_round, user=panelist)
    services.round_open_scoring(actor=province_admin, round=draft_round)
    for panelist, letter in zip(panelists, ("A", "D", "B"), strict=True):  # 100, 25, 75
        for code in ("P1", "P2"):
            grade(panelist, draft_round, "35.19", items[code], letter)
    # Only two panelists graded Kota Madiun: nothing is dropped there.
    grade(panelists[0], draft_round, "35.77", items["P1"], "A")
    grade(panelists[0], draft_round, "35.77", items["P2"], "A")
    grade(panelists[1], draft_round, "35.77", items["P1"], "D")
    grade(panelists[1], draft_round, "35.77", items["P2"], "D")

    results = _results(draft_round, province_admin)

    assert results["35.19"].panel == Decimal("75.00")  # 100 and 25 left out
    assert (results["35.19"].panelists_counted, results["35.19"].panelists_dropped) == (1, 2)
    dropped = {p["username"] for p in results["35.19"].details["panelists"] if p["dropped"]}
    assert dropped == {"panelis_1", "panelis_2"}
    assert results["35.77"].panel == Decimal("62.50")  # (100 + 25) / 2
    assert results["35.77"].panelists_dropped == 0


def test_without_the_option_all_panelists_count(
    simple_round: AssessmentRound, province_admin: User, panelists: list[User]
) -> None:
    for panelist, letter in zip(panelists, ("A", "D", "B"), strict=True):
        for code in ("P1", "P2"):
            grade(panelist, simple_round, "35.19", item(simple_round, code), letter)

    result = _results(simple_round, province_admin)["35.19"]

    assert result.panel == Decimal("66.67")
    assert result.panelists_counted == 3


def test_ranks_overall_and_per_component_share_places_on_ties(
    simple_round: AssessmentRound, province_admin: User, technical: User, panelists: list[User]
) -> None:
    t1, p1 = item(simple_round, "T1"), item(simple_round, "P1")
    # Jombang and Nganjuk identical; Madiun best technically, Kota Madiun best in the panel.
    for code in ("35.17", "35.18"):
        grade(technical, simple_round, code, t1, "B")
        grade(panelists[0], simple_round, code, p1, "B")
    grade(technical, simple_round, "35.19", t1, "A")
    grade(panelists[0], simple_round, "35.19", p1, "D")
    grade(technical, simple_round, "35.77", t1, "D")
    grade(panelists[0], simple_round, "35.77", p1, "A")

    results = _results(simple_round, province_admin)
    ranks = {code: (r.rank, r.technical_rank, r.panel_rank) for code, r in results.items()}

    # totals: Jombang = Nganjuk = 0.6×50 + 0.4×18.75 = 37.5; Madiun 40 + 2.5 = 42.5;
    # Kota Madiun 10 + 10 = 20.
    assert results["35.17"].total == results["35.18"].total == Decimal("37.50")
    assert ranks == {
        "35.19": (1, 1, 4),
        "35.17": (2, 2, 2),
        "35.18": (2, 2, 2),
        "35.77": (4, 4, 1),
    }


def test_the_completeness_item_is_computed_from_the_reporting_progress(
    province_admin: User, jatim: object, participants: list, technical: User
) -> None:
    from aksi.accounts.models import Role
    from aksi.accounts.tests.factories import user_with_role
    from aksi.catalogue.models import Indicator
    from aksi.regions.models import Region
    from aksi.reporting.services import coverage_value_save

    # Every village value of three kelurahan of Kota Madiun (27 kelurahan): about 11% filled.
    operator = user_with_role("op_kota_madiun", Role.OPERATOR, "35.77")
    indicators = Indicator.objects.filter(
        catalogue__year=2025, entry_level=Indicator.EntryLevel.VILLAGE
    )
    for village in Region.objects.filter(district_code="35.77", level="village").order_by("code")[
        :3
    ]:
        for indicator in indicators:
            coverage_value_save(
                actor=operator,
                indicator=indicator,
                region=village,
                period="2025",
                numerator=1,
                denominator=None if indicator.is_binary else 2,
            )
    round = make_round(province_admin, jatim, participants, conducted_year=2026)
    assert round.assessed_year == 2025
    t1 = item(round, "T1")
    assert t1.source == ItemSource.PROGRESS_FILLED
    round.panel_weight, round.technical_weight = 0, 100
    round.save()
    services.round_open_scoring(actor=province_admin, round=round)

    result = _results(round, province_admin)["35.77"]

    expected = progress_for_region(region=region("35.77"), period="2025").filled_percent
    assert expected is not None
    assert expected > 0
    assert result.progress_percent == Decimal(str(expected))
    assert result.details["items"]["T1"] == str(scoring.rounded(Fraction(str(expected))))
    # T1 is one of eight equally weighted technical items; the seven graded ones are blank.
    assert result.technical == scoring.rounded(Fraction(str(expected)) / 8)
