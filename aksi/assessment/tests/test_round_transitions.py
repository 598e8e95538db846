"""draft → scoring → closed → published, nothing else; what each state allows; bad input named
clearly (a grade outside the scale, a closed round, weights not adding up to 100)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from aksi.accounts.models import User
from aksi.assessment import services
from aksi.assessment.models import AssessmentRound, Component, RoundStatus, Score
from aksi.regions.models import Region

from .factories import item, make_round, region


def _settings(round: AssessmentRound, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "title": round.title,
        "conducted_year": round.conducted_year,
        "assessed_year": round.assessed_year,
        "technical_weight": round.technical_weight,
        "panel_weight": round.panel_weight,
        "grade_scale": round.grade_scale,
        "blank_value": round.blank_value,
        "drop_extremes": round.drop_extremes,
        "participants": list(round.participants.all()),
    }
    return values | changes


def test_a_new_round_has_every_kab_kota_the_defaults_and_the_default_rubric(
    province_admin: User, jatim: Region
) -> None:
    round = services.round_create(actor=province_admin, province=jatim, conducted_year=2025)
    assert round.status == RoundStatus.DRAFT
    assert round.assessed_year == 2024
    assert round.participants.count() == 38  # every kab/kota of Jawa Timur
    assert (round.technical_weight, round.panel_weight) == (60, 40)
    assert round.grades == {"A": 100, "B": 75, "C": 50, "D": 25}
    assert round.blank_value == 0
    technical = list(
        round.items.filter(component=Component.TECHNICAL).values_list("code", flat=True)
    )
    panel = list(round.items.filter(component=Component.PANEL).values_list("code", flat=True))
    assert technical == [f"T{n}" for n in range(1, 9)]
    assert panel[:2] == ["1.1", "1.2"]
    assert "lokasi prioritas" in item(round, "1.1").text


def test_the_full_life_of_a_round(
    open_round: AssessmentRound, province_admin: User, panelists: list[User]
) -> None:
    assert open_round.status == RoundStatus.SCORING
    assert open_round.scoring_opened_at
    services.score_save(
        actor=panelists[0],
        round=open_round,
        participant=region("35.19"),
        item=item(open_round, "1.1"),
        grade="A",
    )
    closed = services.round_close(actor=province_admin, round=open_round)
    assert closed.status == RoundStatus.CLOSED
    assert closed.closed_at
    assert closed.results.count() == 4  # closing computes the final results
    published = services.round_publish(actor=province_admin, round=closed)
    published.refresh_from_db()
    assert published.status == RoundStatus.PUBLISHED
    assert published.published_at
    assert published.published_by == province_admin


def test_no_step_can_be_skipped_or_undone(
    draft_round: AssessmentRound, province_admin: User, panelists: list[User]
) -> None:
    with pytest.raises(ValidationError, match="Only a round open for scoring can be closed"):
        services.round_close(actor=province_admin, round=draft_round)
    with pytest.raises(ValidationError, match="Only a closed round can be published"):
        services.round_publish(actor=province_admin, round=draft_round)
    with pytest.raises(ValidationError, match="computed while a round is scored or closed"):
        services.results_compute(actor=province_admin, round=draft_round)
    services.round_panelist_add(actor=province_admin, round=draft_round, user=panelists[0])
    services.round_open_scoring(actor=province_admin, round=draft_round)
    with pytest.raises(ValidationError, match="scoring was already opened"):
        services.round_open_scoring(actor=province_admin, round=draft_round)
    services.round_close(actor=province_admin, round=draft_round)
    services.round_publish(actor=province_admin, round=draft_round)
    with pytest.raises(ValidationError, match="is published"):
        services.results_compute(actor=province_admin, round=draft_round)


def test_scoring_opens_only_with_participants_items_and_panelists(
    draft_round: AssessmentRound, province_admin: User
) -> None:
    for panel_item in draft_round.items.filter(component=Component.PANEL):
        services.rubric_item_delete(actor=province_admin, item=panel_item)
    with pytest.raises(ValidationError) as refused:
        services.round_open_scoring(actor=province_admin, round=draft_round)
    assert refused.value.messages == [
        "The panel component weighs 40% but has no rubric item.",
        "Assign at least one panelist: the panel component weighs 40%.",
    ]
    draft_round.refresh_from_db()
    assert draft_round.status == RoundStatus.DRAFT


def test_a_closed_round_takes_no_more_grades(
    open_round: AssessmentRound, province_admin: User, panelists: list[User]
) -> None:
    services.round_close(actor=province_admin, round=open_round)
    with pytest.raises(ValidationError) as refused:
        services.score_save(
            actor=panelists[0],
            round=open_round,
            participant=region("35.19"),
            item=item(open_round, "1.1"),
            grade="A",
        )
    assert refused.value.messages == [
        f"Scores are saved only while a round is open for scoring; “{open_round.title}” is closed."
    ]
    assert not Score.objects.exists()


def test_a_draft_takes_no_grades_either(draft_round: AssessmentRound, technical: User) -> None:
    with pytest.raises(ValidationError, match="is draft"):
        services.score_save(
            actor=technical,
            round=draft_round,
            participant=region("35.19"),
            item=item(draft_round, "T2"),
            grade="A",
        )


@pytest.mark.parametrize("letter", ["E", "A+", "1", "100"])
def test_a_grade_outside_the_scale_is_refused_by_name(
    open_round: AssessmentRound, panelists: list[User], letter: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.score_save(
            actor=panelists[0],
            round=open_round,
            participant=region("35.19"),
            item=item(open_round, "1.1"),
            grade=letter,
        )
    assert refused.value.message_dict == {
        "grade": [f"“{letter}” is not a grade of this round: choose A, B, C, D, or leave it blank."]
    }
    assert not Score.objects.exists()


def test_a_lower_case_grade_is_taken_and_a_computed_or_foreign_cell_is_not(
    open_round: AssessmentRound, technical: User, jatim: Region
) -> None:
    saved = services.score_save(
        actor=technical,
        round=open_round,
        participant=region("35.19"),
        item=item(open_round, "T2"),
        grade=" b ",
    )
    assert saved.score.grade == "B"
    with pytest.raises(ValidationError, match="computed from the reporting data"):
        services.score_save(
            actor=technical,
            round=open_round,
            participant=region("35.19"),
            item=item(open_round, "T1"),
            grade="A",
        )
    with pytest.raises(ValidationError, match="does not take part"):
        services.score_save(
            actor=technical,
            round=open_round,
            participant=region("35.01"),
            item=item(open_round, "T2"),
            grade="A",
        )


def test_a_stale_cell_is_a_conflict_not_an_overwrite(
    open_round: AssessmentRound, panelists: list[User]
) -> None:
    first = services.score_save(
        actor=panelists[0],
        round=open_round,
        participant=region("35.19"),
        item=item(open_round, "1.1"),
        grade="A",
        expected_version=0,
    )
    services.score_save(
        actor=panelists[0],
        round=open_round,
        participant=region("35.19"),
        item=item(open_round, "1.1"),
        grade="B",
        expected_version=first.score.version,
    )
    with pytest.raises(services.ScoreConflict) as conflict:
        services.score_save(
            actor=panelists[0],
            round=open_round,
            participant=region("35.19"),
            item=item(open_round, "1.1"),
            grade="C",
            expected_version=first.score.version,  # what the other tab still shows
        )
    assert conflict.value.current.grade == "B"
    assert Score.objects.get().grade == "B"


def test_weights_that_do_not_add_up_to_100_are_refused_by_name(
    draft_round: AssessmentRound, province_admin: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.round_update(
            actor=province_admin,
            round=draft_round,
            **_settings(draft_round, technical_weight=70, panel_weight=40),
        )
    assert refused.value.message_dict["technical_weight"] == [
        "The weights of the technical component (70) and the panel component (40) add up to "
        "110; they must add up to 100."
    ]
    draft_round.refresh_from_db()
    assert (draft_round.technical_weight, draft_round.panel_weight) == (60, 40)


def test_the_settings_change_while_draft_and_are_fixed_after(
    draft_round: AssessmentRound, province_admin: User, panelists: list[User]
) -> None:
    scale = [{"grade": "A", "value": 100}, {"grade": "B", "value": Decimal("62.5")}]
    services.round_update(
        actor=province_admin,
        round=draft_round,
        **_settings(
            draft_round,
            technical_weight=50,
            panel_weight=50,
            grade_scale=scale,
            drop_extremes=True,
            participants=[region("35.19"), region("35.77")],
        ),
    )
    draft_round.refresh_from_db()
    assert draft_round.grades == {"A": 100, "B": Decimal("62.5")}
    assert draft_round.drop_extremes
    assert sorted(draft_round.participants.values_list("code", flat=True)) == ["35.19", "35.77"]
    services.round_panelist_add(actor=province_admin, round=draft_round, user=panelists[0])
    services.round_open_scoring(actor=province_admin, round=draft_round)
    with pytest.raises(ValidationError, match="change only while it is a draft"):
        services.round_update(actor=province_admin, round=draft_round, **_settings(draft_round))
    with pytest.raises(ValidationError, match="change only while it is a draft"):
        services.rubric_item_delete(actor=province_admin, item=item(draft_round, "1.1"))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {
                "participants": [
                    Region(code="36.01", name="Pandeglang", level="district", parent_id="36")
                ]
            },
            "participants",
            "Pandeglang is not a regency/city of Jawa Timur.",
        ),
        ({"participants": []}, "participants", "Choose at least one regency/city to assess."),
        (
            {"grade_scale": [{"grade": "A", "value": 100}, {"grade": "A", "value": 50}]},
            "grade_scale",
            "Grade A appears twice in the scale.",
        ),
        (
            {"grade_scale": [{"grade": "A", "value": 120}]},
            "grade_scale",
            "Grade A needs a value from 0 to 100.",
        ),
        (
            {"assessed_year": 2025},
            "assessed_year",
            "The year assessed comes before the year of the assessment (usually the year "
            "before: 2024).",
        ),
        ({"title": " "}, "title", "Enter the title of the round."),
    ],
)
def test_bad_settings_are_named(
    draft_round: AssessmentRound,
    province_admin: User,
    changes: dict[str, object],
    field: str,
    message: str,
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.round_update(
            actor=province_admin, round=draft_round, **_settings(draft_round, **changes)
        )
    assert message in refused.value.message_dict[field]


def test_one_round_per_province_and_year(
    draft_round: AssessmentRound, province_admin: User, jatim: Region, participants: list[Region]
) -> None:
    with pytest.raises(ValidationError) as refused:
        make_round(province_admin, jatim, participants)
    assert refused.value.message_dict["conducted_year"] == [
        "Jawa Timur already has an assessment round in 2025."
    ]


def test_rubric_items_are_checked_and_panel_items_never_computed(
    draft_round: AssessmentRound, province_admin: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.rubric_item_add(
            actor=province_admin,
            round=draft_round,
            component=Component.PANEL,
            code="1.1",
            text="",
            weight=0,
            source="progress_filled",
        )
    errors = refused.value.message_dict
    assert errors["code"] == ["The rubric already has an item 1.1."]
    assert errors["text"] == ["Describe what the item assesses."]
    assert errors["weight"] == ["The weight of an item is a number above 0 and at most 1000."]
    assert errors["source"] == [
        "Panel items are graded by the panelists; only technical items are computed."
    ]
    added = services.rubric_item_add(
        actor=province_admin,
        round=draft_round,
        component=Component.PANEL,
        code="3.1",
        text="Video inovasi",
        weight=Decimal("0.5"),
    )
    assert added.order == draft_round.items.count()  # appended at the end
    changed = services.rubric_item_update(
        actor=province_admin,
        item=added,
        code="3.1",
        text="Video inovasi daerah",
        weight=2,
        order=1,
        source="graded",
    )
    assert (changed.text, changed.weight) == ("Video inovasi daerah", 2)


def test_a_panelist_who_has_scored_stays_on_the_panel(
    open_round: AssessmentRound, province_admin: User, panelists: list[User]
) -> None:
    services.score_save(
        actor=panelists[0],
        round=open_round,
        participant=region("35.19"),
        item=item(open_round, "1.1"),
        grade="A",
    )
    with pytest.raises(ValidationError, match="has already saved 1 score in this round"):
        services.round_panelist_remove(actor=province_admin, round=open_round, user=panelists[0])
    services.round_panelist_remove(actor=province_admin, round=open_round, user=panelists[1])
    assert list(open_round.panelists.values_list("user__username", flat=True)) == ["panelis_1"]
