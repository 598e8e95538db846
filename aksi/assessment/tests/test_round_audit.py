"""Every change leaves an audit row: who, which round, old → new; refusals leave none."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from aksi.accounts.models import User
from aksi.assessment import services
from aksi.assessment.models import AssessmentRound
from aksi.core.models import AuditEvent, AuditEventType
from aksi.regions.models import Region

from .factories import item, make_round, region


def _events(round: AssessmentRound, event_type: AuditEventType) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            event_type=event_type, target_type="assessment.assessmentround", target_id=str(round.pk)
        ).order_by("id")
    )


def test_creating_a_round_is_audited(
    province_admin: User, jatim: Region, participants: list[Region]
) -> None:
    round = make_round(province_admin, jatim, participants)
    [event] = _events(round, AuditEventType.ASSESSMENT_ROUND_CREATED)
    assert event.actor == province_admin
    assert event.region_code == "35"
    assert event.data["participants"] == ["35.17", "35.18", "35.19", "35.77"]
    assert event.get_event_type_display() == "Assessment round created"


def test_a_score_change_is_audited_old_to_new_and_an_unchanged_save_is_not(
    open_round: AssessmentRound, panelists: list[User]
) -> None:
    cell = {"round": open_round, "participant": region("35.19"), "item": item(open_round, "1.1")}
    services.score_save(actor=panelists[0], grade="A", **cell)
    services.score_save(actor=panelists[0], grade="C", note="lokus kurang tepat", **cell)
    services.score_save(actor=panelists[0], grade="C", **cell)  # nothing changed
    events = _events(open_round, AuditEventType.ASSESSMENT_SCORE_SAVED)
    assert [(e.data["from"], e.data["to"]) for e in events] == [(None, "A"), ("A", "C")]
    assert events[1].data["note"] == ["", "lokus kurang tepat"]
    assert events[1].data["participant"] == "35.19"
    assert events[1].data["item"] == "1.1"
    assert all(e.actor == panelists[0] for e in events)


def test_a_refused_score_leaves_no_audit_row(
    open_round: AssessmentRound, district_admin: User
) -> None:
    with pytest.raises(PermissionDenied):
        services.score_save(
            actor=district_admin,
            round=open_round,
            participant=region("35.19"),
            item=item(open_round, "1.1"),
            grade="A",
        )
    assert not _events(open_round, AuditEventType.ASSESSMENT_SCORE_SAVED)


def test_settings_rubric_panel_and_transitions_are_audited(
    draft_round: AssessmentRound, province_admin: User, panelists: list[User]
) -> None:
    services.round_update(
        actor=province_admin,
        round=draft_round,
        title="Penilaian 2025",
        conducted_year=2025,
        assessed_year=2024,
        technical_weight=70,
        panel_weight=30,
        grade_scale=draft_round.grade_scale,
        blank_value=0,
        drop_extremes=False,
        participants=list(draft_round.participants.all()),
    )
    [changed] = _events(draft_round, AuditEventType.ASSESSMENT_ROUND_CHANGED)
    assert changed.data["changes"]["technical_weight"] == [60, 70]
    assert changed.data["changes"]["panel_weight"] == [40, 30]
    assert "grade_scale" not in changed.data["changes"]
    services.rubric_item_delete(actor=province_admin, item=item(draft_round, "2.3"))
    [rubric] = _events(draft_round, AuditEventType.ASSESSMENT_RUBRIC_CHANGED)
    assert rubric.data["action"] == "removed"
    assert rubric.data["item"]["code"] == "2.3"
    services.round_panelist_add(actor=province_admin, round=draft_round, user=panelists[0])
    [added] = _events(draft_round, AuditEventType.ASSESSMENT_PANELIST_ADDED)
    assert added.data["user"] == "panelis_1"
    services.round_open_scoring(actor=province_admin, round=draft_round)
    services.round_close(actor=province_admin, round=draft_round)
    services.round_publish(actor=province_admin, round=draft_round)
    transitions = [
        (e.event_type, e.data.get("from"), e.data.get("to"))
        for e in AuditEvent.objects.filter(target_id=str(draft_round.pk)).order_by("id")
        if e.event_type
        in (
            AuditEventType.ASSESSMENT_SCORING_OPENED,
            AuditEventType.ASSESSMENT_ROUND_CLOSED,
            AuditEventType.ASSESSMENT_ROUND_PUBLISHED,
        )
    ]
    assert transitions == [
        ("assessment.scoring_opened", "draft", "scoring"),
        ("assessment.round_closed", "scoring", "closed"),
        ("assessment.round_published", "closed", "published"),
    ]
    [computed] = _events(draft_round, AuditEventType.ASSESSMENT_RESULTS_COMPUTED)
    assert computed.data["participants"] == 4
