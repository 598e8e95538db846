"""Who may do what: the province's admin runs the round; its technical team grades technical
items; assigned panelists grade panel items of their round only. A kab/kota admin, another
province's admin and a panelist of another round are refused, and nothing is saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.assessment import selectors, services
from aksi.assessment.models import AssessmentRound, Component, RoundStatus, Score
from aksi.regions.models import Region

from .factories import graded, item, make_round, region


def test_only_the_province_admin_or_the_centre_creates_a_round(
    jatim: Region, participants: list[Region], district_admin: User, other_admin: User
) -> None:
    for refused in (
        district_admin,
        other_admin,
        user_with_role("teknis", Role.PROVINCIAL_REVIEWER, "35"),
    ):
        with pytest.raises(PermissionDenied):
            make_round(refused, jatim, participants)
    assert not AssessmentRound.objects.exists()
    central = user_with_role("pusat", Role.CENTRAL_ADMIN, None)
    assert make_round(central, jatim, participants).province_id == "35"


@pytest.mark.parametrize("who", ["district_admin", "other_admin", "technical"])
def test_others_cannot_change_open_or_publish_the_round(
    request: pytest.FixtureRequest, draft_round: AssessmentRound, who: str
) -> None:
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.rubric_item_delete(actor=actor, item=item(draft_round, "1.1"))
    with pytest.raises(PermissionDenied):
        services.round_open_scoring(actor=actor, round=draft_round)
    with pytest.raises(PermissionDenied):
        services.round_publish(actor=actor, round=draft_round)
    draft_round.refresh_from_db()
    assert draft_round.status == RoundStatus.DRAFT
    assert draft_round.items.filter(code="1.1").exists()


def test_a_panelist_grades_panel_items_of_their_round_only(
    open_round: AssessmentRound,
    panelists: list[User],
    province_admin: User,
    jatim: Region,
    participants: list[Region],
) -> None:
    panel_item = item(open_round, "1.1")
    technical_item = item(open_round, "T2")
    inside = panelists[0]
    services.score_save(
        actor=inside, round=open_round, participant=region("35.19"), item=panel_item, grade="A"
    )
    with pytest.raises(PermissionDenied, match="technical items"):
        services.score_save(
            actor=inside,
            round=open_round,
            participant=region("35.19"),
            item=technical_item,
            grade="A",
        )
    # panelists[2] holds the role but was assigned to another round (next year's), not this one.
    other_round = make_round(province_admin, jatim, participants, conducted_year=2026)
    services.round_panelist_add(actor=province_admin, round=other_round, user=panelists[2])
    with pytest.raises(PermissionDenied, match="not a panelist of this round"):
        services.score_save(
            actor=panelists[2],
            round=open_round,
            participant=region("35.19"),
            item=panel_item,
            grade="A",
        )
    assert Score.objects.filter(round=open_round).count() == 1


def test_an_assigned_panelist_whose_role_ended_is_refused(
    open_round: AssessmentRound, panelists: list[User]
) -> None:
    panelists[0].assignments.update(valid_to="2000-01-01")
    with pytest.raises(PermissionDenied):
        services.score_save(
            actor=panelists[0],
            round=open_round,
            participant=region("35.19"),
            item=item(open_round, "1.1"),
            grade="A",
        )


@pytest.mark.parametrize("who", ["district_admin", "other_admin"])
def test_kab_kota_and_other_provinces_grade_nothing(
    request: pytest.FixtureRequest, open_round: AssessmentRound, who: str
) -> None:
    actor = request.getfixturevalue(who)
    for code in ("T2", "1.1"):
        with pytest.raises(PermissionDenied):
            services.score_save(
                actor=actor,
                round=open_round,
                participant=region("35.19"),
                item=item(open_round, code),
                grade="A",
            )
    assert not Score.objects.exists()


def test_the_technical_team_is_the_province_not_its_kab_kota(
    open_round: AssessmentRound, technical: User
) -> None:
    province_operator = user_with_role("op_prov", Role.OPERATOR, "35")
    kab_operator = user_with_role("op_kab", Role.OPERATOR, "35.19")
    for scorer in (technical, province_operator):
        services.score_save(
            actor=scorer,
            round=open_round,
            participant=region("35.19"),
            item=item(open_round, "T2"),
            grade="B",
        )
    with pytest.raises(PermissionDenied):
        services.score_save(
            actor=kab_operator,
            round=open_round,
            participant=region("35.19"),
            item=item(open_round, "T2"),
            grade="B",
        )
    with pytest.raises(PermissionDenied):  # the technical team does not grade presentations
        services.score_save(
            actor=technical,
            round=open_round,
            participant=region("35.19"),
            item=item(open_round, "1.1"),
            grade="B",
        )
    assert Score.objects.count() == 2


def test_only_holders_of_the_panelist_role_join_a_panel(
    draft_round: AssessmentRound, province_admin: User, technical: User
) -> None:
    banten_panelist = user_with_role("panelis_banten", Role.PANELIST, "36")
    for refused in (technical, banten_panelist):
        with pytest.raises(ValidationError, match="does not hold the panelist role"):
            services.round_panelist_add(actor=province_admin, round=draft_round, user=refused)
    assert not draft_round.panelists.exists()
    assert selectors.eligible_panelists(round=draft_round) == []


def test_unpublished_rounds_are_hidden_from_kab_kota_and_other_provinces(
    open_round: AssessmentRound,
    province_admin: User,
    technical: User,
    panelists: list[User],
    district_admin: User,
    other_admin: User,
) -> None:
    def sees(user: User) -> bool:
        return selectors.round_list(user=user).filter(pk=open_round.pk).exists()

    assert sees(province_admin)
    assert sees(technical)
    assert sees(panelists[0])
    assert not sees(district_admin)
    assert not sees(other_admin)
    assert not sees(panelists[2])  # holds the role, not on this round's panel
    services.round_close(actor=province_admin, round=open_round)
    services.round_publish(actor=province_admin, round=open_round)
    assert sees(district_admin)
    assert sees(other_admin)
    assert sees(panelists[2])


def test_results_before_publication_are_for_the_province_team_only(
    open_round: AssessmentRound,
    province_admin: User,
    technical: User,
    panelists: list[User],
    district_admin: User,
) -> None:
    services.results_compute(actor=province_admin, round=open_round)
    assert len(selectors.results_get(user=technical, round=open_round)) == 4
    for refused in (panelists[0], district_admin):
        with pytest.raises(PermissionDenied):
            selectors.results_get(user=refused, round=open_round)
    monitor = user_with_role("monitor", Role.CENTRAL_MONITOR, None)
    assert len(selectors.results_get(user=monitor, round=open_round)) == 4


def test_scorers_see_their_own_grid_only(
    open_round: AssessmentRound, panelists: list[User], technical: User
) -> None:
    services.score_save(
        actor=panelists[1],
        round=open_round,
        participant=region("35.19"),
        item=item(open_round, "1.1"),
        grade="C",
    )
    grid = selectors.scoring_grid(user=panelists[0], round=open_round, component=Component.PANEL)
    assert grid.scored == 0
    assert [i.code for i in grid.items] == [i.code for i in graded(open_round, Component.PANEL)]
    with pytest.raises(PermissionDenied):
        selectors.scoring_grid(user=technical, round=open_round, component=Component.PANEL)
