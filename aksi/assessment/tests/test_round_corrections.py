"""Corrections of a round's life: a closed round reopened for scoring (the province's admin or
the centre, with a reason; its results out of date until computed again), a publication
withdrawn (the centre only, with a reason), a draft nobody graded deleted. Every correction is
audited with its reason; every refusal says why and changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aksi.accounts.models import User
from aksi.assessment import selectors, services
from aksi.assessment.models import (
    AssessmentRound,
    InvalidTransition,
    RoundPanelist,
    RoundStatus,
    RubricItem,
    Score,
)
from aksi.core.models import AuditEvent, AuditEventType
from aksi.regions.models import Region

from .factories import grade, item, make_round, region

REASON = "Nilai 1.1 Kabupaten Madiun salah input"


@pytest.fixture
def closed_round(
    open_round: AssessmentRound, province_admin: User, panelists: list[User]
) -> AssessmentRound:
    grade(panelists[0], open_round, "35.19", item(open_round, "1.1"), "B")
    return services.round_close(actor=province_admin, round=open_round)


@pytest.fixture
def published_round(closed_round: AssessmentRound, province_admin: User) -> AssessmentRound:
    return services.round_publish(actor=province_admin, round=closed_round)


def _events(round_pk: int, event_type: AuditEventType) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            event_type=event_type, target_type="assessment.assessmentround", target_id=str(round_pk)
        ).order_by("id")
    )


def test_the_model_allows_one_step_back_from_closed_and_published_only(
    draft_round: AssessmentRound,
) -> None:
    allowed = {
        (RoundStatus.DRAFT, RoundStatus.SCORING),
        (RoundStatus.SCORING, RoundStatus.CLOSED),
        (RoundStatus.CLOSED, RoundStatus.PUBLISHED),
        (RoundStatus.CLOSED, RoundStatus.SCORING),
        (RoundStatus.PUBLISHED, RoundStatus.CLOSED),
    }
    for start in RoundStatus.values:
        for end in RoundStatus.values:
            draft_round.status = start
            assert draft_round.can_move_to(end) is ((start, end) in allowed), (start, end)
    draft_round.status = RoundStatus.PUBLISHED
    with pytest.raises(InvalidTransition):
        draft_round.move_to(RoundStatus.SCORING)  # back to grading only through closed


# --- reopening ----------------------------------------------------------------------------------


def test_a_closed_round_reopens_for_scoring_with_its_results_out_of_date(
    closed_round: AssessmentRound, province_admin: User, panelists: list[User]
) -> None:
    reopened = services.round_reopen(actor=province_admin, round=closed_round, reason=REASON)
    reopened.refresh_from_db()
    assert reopened.status == RoundStatus.SCORING
    assert reopened.closed_at is None
    assert reopened.results_stale
    assert reopened.results.count() == 4  # kept, marked out of date
    [event] = _events(reopened.pk, AuditEventType.ASSESSMENT_ROUND_REOPENED)
    assert event.actor == province_admin
    assert event.region_code == "35"
    assert (event.data["from"], event.data["to"], event.data["reason"]) == (
        "closed",
        "scoring",
        REASON,
    )
    assert event.data["closed_at"]
    assert selectors.round_last_correction(round=reopened) == event
    # Grading works again; closing recomputes and the results are current.
    grade(panelists[0], reopened, "35.19", item(reopened, "1.1"), "A")
    services.round_close(actor=province_admin, round=reopened)
    reopened.refresh_from_db()
    assert not reopened.results_stale
    madiun = reopened.results.get(region_id="35.19")
    assert madiun.details["items"]["1.1"] == "100.00"
    services.round_publish(actor=province_admin, round=reopened)


def test_a_reopening_needs_a_reason(closed_round: AssessmentRound, province_admin: User) -> None:
    for blank in ("", "   "):
        with pytest.raises(ValidationError) as refused:
            services.round_reopen(actor=province_admin, round=closed_round, reason=blank)
        assert refused.value.message_dict == {
            "reason": ["Give the reason for reopening the round."]
        }
    with pytest.raises(ValidationError, match="at most 1000 characters"):
        services.round_reopen(actor=province_admin, round=closed_round, reason="x" * 1001)
    closed_round.refresh_from_db()
    assert closed_round.status == RoundStatus.CLOSED
    assert not _events(closed_round.pk, AuditEventType.ASSESSMENT_ROUND_REOPENED)


def test_only_a_closed_round_reopens(
    published_round: AssessmentRound,
    province_admin: User,
    jatim: Region,
    participants: list[Region],
) -> None:
    draft = make_round(province_admin, jatim, participants, conducted_year=2026)
    with pytest.raises(ValidationError) as refused:
        services.round_reopen(actor=province_admin, round=draft, reason=REASON)
    assert refused.value.messages == [
        f"Only a closed round can be reopened; “{draft.title}” is draft. A published "
        "round must first be withdrawn from publication by a central admin."
    ]
    with pytest.raises(ValidationError, match="is published"):
        services.round_reopen(actor=province_admin, round=published_round, reason=REASON)
    published_round.refresh_from_db()
    assert published_round.status == RoundStatus.PUBLISHED
    assert not AuditEvent.objects.filter(
        event_type=AuditEventType.ASSESSMENT_ROUND_REOPENED
    ).exists()


@pytest.mark.parametrize("who", ["district_admin", "other_admin", "technical"])
def test_only_the_province_admin_or_the_centre_reopens(
    request: pytest.FixtureRequest, closed_round: AssessmentRound, who: str, central: User
) -> None:
    with pytest.raises(PermissionDenied):
        services.round_reopen(actor=request.getfixturevalue(who), round=closed_round, reason=REASON)
    closed_round.refresh_from_db()
    assert closed_round.status == RoundStatus.CLOSED
    services.round_reopen(actor=central, round=closed_round, reason=REASON)
    closed_round.refresh_from_db()
    assert closed_round.status == RoundStatus.SCORING


def test_a_grade_saved_after_computing_makes_the_results_out_of_date(
    open_round: AssessmentRound, province_admin: User, panelists: list[User]
) -> None:
    services.results_compute(actor=province_admin, round=open_round)
    open_round.refresh_from_db()
    assert not open_round.results_stale
    grade(panelists[0], open_round, "35.19", item(open_round, "1.1"), "C")
    open_round.refresh_from_db()
    assert open_round.results_stale
    services.results_compute(actor=province_admin, round=open_round)
    open_round.refresh_from_db()
    assert not open_round.results_stale


def test_results_out_of_date_are_not_published(
    closed_round: AssessmentRound, province_admin: User
) -> None:
    AssessmentRound.objects.filter(pk=closed_round.pk).update(results_stale=True)
    with pytest.raises(ValidationError, match="out of date: compute them again"):
        services.round_publish(actor=province_admin, round=closed_round)
    services.results_compute(actor=province_admin, round=closed_round)
    assert services.round_publish(actor=province_admin, round=closed_round).is_published


# --- withdrawing a publication ------------------------------------------------------------------


def test_the_centre_withdraws_a_publication_with_a_reason(
    published_round: AssessmentRound, province_admin: User, central: User, district_admin: User
) -> None:
    published_round.refresh_from_db()
    published_at = published_round.published_at
    assert selectors.round_list(user=district_admin).filter(pk=published_round.pk).exists()
    services.round_unpublish(actor=central, round=published_round, reason=REASON)
    published_round.refresh_from_db()
    assert published_round.status == RoundStatus.CLOSED
    assert published_round.published_at is None
    assert published_round.published_by is None
    assert published_round.results.count() == 4  # the results stay, for the province
    [event] = _events(published_round.pk, AuditEventType.ASSESSMENT_ROUND_UNPUBLISHED)
    assert event.actor == central
    assert event.data["reason"] == REASON
    assert event.data["published_by"] == "admin_jatim"
    assert event.data["published_at"] == published_at.isoformat()  # type: ignore[union-attr]
    assert event.get_event_type_display() == "Assessment results withdrawn from publication"
    # The kab/kota no longer sees the round; the province may reopen, correct, publish again.
    assert not selectors.round_list(user=district_admin).filter(pk=published_round.pk).exists()
    assert not selectors.results_for_api(user=district_admin).filter(round=published_round).exists()
    services.round_reopen(actor=province_admin, round=published_round, reason="koreksi")
    services.round_close(actor=province_admin, round=published_round)
    services.round_publish(actor=province_admin, round=published_round)
    published_round.refresh_from_db()
    assert published_round.is_published


@pytest.mark.parametrize("who", ["province_admin", "technical", "district_admin"])
def test_nobody_but_the_centre_withdraws_a_publication(
    request: pytest.FixtureRequest, published_round: AssessmentRound, who: str
) -> None:
    with pytest.raises(PermissionDenied) as refused:
        services.round_unpublish(
            actor=request.getfixturevalue(who), round=published_round, reason=REASON
        )
    assert "Only a central admin can withdraw published results" in str(refused.value)
    published_round.refresh_from_db()
    assert published_round.status == RoundStatus.PUBLISHED
    assert not _events(published_round.pk, AuditEventType.ASSESSMENT_ROUND_UNPUBLISHED)


def test_a_withdrawal_needs_a_published_round_and_a_reason(
    closed_round: AssessmentRound, central: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.round_unpublish(actor=central, round=closed_round, reason=REASON)
    assert refused.value.messages == [
        f"Only published results can be withdrawn; “{closed_round.title}” is closed."
    ]
    services.round_publish(actor=central, round=closed_round)
    with pytest.raises(ValidationError) as refused:
        services.round_unpublish(actor=central, round=closed_round, reason=" ")
    assert refused.value.message_dict == {
        "reason": ["Give the reason for withdrawing the published results."]
    }
    closed_round.refresh_from_db()
    assert closed_round.is_published


# --- deleting a draft ---------------------------------------------------------------------------


def test_a_draft_is_deleted_with_its_rubric_and_panel_and_the_audit_keeps_it(
    draft_round: AssessmentRound, province_admin: User, panelists: list[User]
) -> None:
    services.round_panelist_add(actor=province_admin, round=draft_round, user=panelists[0])
    pk, title = draft_round.pk, draft_round.title
    services.round_delete(actor=province_admin, round=draft_round)
    assert not AssessmentRound.objects.filter(pk=pk).exists()
    assert not RubricItem.objects.filter(round_id=pk).exists()
    assert not RoundPanelist.objects.filter(round_id=pk).exists()
    [event] = _events(pk, AuditEventType.ASSESSMENT_ROUND_DELETED)
    assert event.actor == province_admin
    assert event.target_label == title
    assert event.data["participants"] == ["35.17", "35.18", "35.19", "35.77"]
    assert event.data["panelists"] == ["panelis_1"]
    assert event.data["items"][:2] == ["T1", "T2"]


def test_a_round_past_its_draft_is_not_deleted(
    open_round: AssessmentRound, province_admin: User, central: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.round_delete(actor=central, round=open_round)
    assert refused.value.messages == [
        f"Only a draft can be deleted; “{open_round.title}” is scoring and stays as a record of "
        "the assessment."
    ]
    assert AssessmentRound.objects.filter(pk=open_round.pk).exists()
    assert not _events(open_round.pk, AuditEventType.ASSESSMENT_ROUND_DELETED)


def test_a_draft_with_scores_is_not_deleted(
    draft_round: AssessmentRound, province_admin: User, technical: User
) -> None:
    # Scores are only saved while scoring; a draft holding some came from outside the
    # services (a data repair): the guard holds all the same.
    Score.objects.create(
        round=draft_round,
        participant=region("35.19"),
        item=item(draft_round, "T2"),
        scorer=technical,
        grade="A",
    )
    with pytest.raises(ValidationError, match="already has scores"):
        services.round_delete(actor=province_admin, round=draft_round)
    with pytest.raises(InvalidTransition):
        draft_round.ensure_deletable()
    assert AssessmentRound.objects.filter(pk=draft_round.pk).exists()


@pytest.mark.parametrize("who", ["district_admin", "other_admin", "technical"])
def test_only_the_province_admin_or_the_centre_deletes_a_draft(
    request: pytest.FixtureRequest, draft_round: AssessmentRound, who: str, central: User
) -> None:
    with pytest.raises(PermissionDenied):
        services.round_delete(actor=request.getfixturevalue(who), round=draft_round)
    assert AssessmentRound.objects.filter(pk=draft_round.pk).exists()
    services.round_delete(actor=central, round=draft_round)
    assert not AssessmentRound.objects.exists()
