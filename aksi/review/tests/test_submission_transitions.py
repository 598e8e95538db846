from __future__ import annotations

import pytest

from aksi.accounts.models import User
from aksi.regions.models import Region
from aksi.review import services
from aksi.review.models import InvalidTransition, Submission


def test_it_allows_only_the_listed_transitions() -> None:
    submission = Submission(status=Submission.Status.DRAFT)
    with pytest.raises(InvalidTransition):
        submission.move_to(Submission.Status.VERIFIED)
    assert submission.move_to(Submission.Status.SUBMITTED) == Submission.Status.DRAFT
    with pytest.raises(InvalidTransition):
        submission.move_to(Submission.Status.REOPENED)
    submission.move_to(Submission.Status.VERIFIED)
    with pytest.raises(InvalidTransition):
        submission.move_to(Submission.Status.RETURNED)
    submission.move_to(Submission.Status.REOPENED)
    submission.move_to(Submission.Status.SUBMITTED)
    assert submission.status == Submission.Status.SUBMITTED


def test_it_walks_submit_verify_reopen_resubmit_and_records_each_event(
    kecamatan: Region, kecamatan_operator: User, district_verifier: User
) -> None:
    submission = services.submission_submit(
        actor=kecamatan_operator, region=kecamatan, period="2025"
    )
    assert submission.step.code == "1"
    first = submission.first_submitted_at
    services.submission_verify(submission=submission, actor=district_verifier)
    services.submission_reopen(submission=submission, actor=district_verifier, reason="Typo")
    submission = services.submission_submit(
        actor=kecamatan_operator, region=kecamatan, period="2025"
    )
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.first_submitted_at == first  # timeliness keeps the first submission
    assert submission.last_submitted_at > first
    assert submission.verified_by == district_verifier
    moves = [(e.from_state, e.to_state) for e in submission.events.all()]
    assert moves == [
        ("draft", "submitted"),
        ("submitted", "verified"),
        ("verified", "reopened"),
        ("reopened", "submitted"),
    ]


def test_it_refuses_to_verify_twice(
    kecamatan: Region, kecamatan_operator: User, district_verifier: User
) -> None:
    submission = services.submission_submit(
        actor=kecamatan_operator, region=kecamatan, period="2025"
    )
    services.submission_verify(submission=submission, actor=district_verifier)
    with pytest.raises(InvalidTransition):
        services.submission_verify(submission=submission, actor=district_verifier)
