from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import User
from aksi.regions.models import Region
from aksi.review import services
from aksi.review.models import Submission


@pytest.fixture
def submitted(kecamatan: Region, kecamatan_operator: User) -> Submission:
    return services.submission_submit(actor=kecamatan_operator, region=kecamatan, period="2025")


@pytest.mark.parametrize("reason", ["", "   "])
def test_it_requires_a_reason_to_return(
    submitted: Submission, district_verifier: User, reason: str
) -> None:
    with pytest.raises(ValidationError):
        services.submission_return(submission=submitted, actor=district_verifier, reason=reason)
    submitted.refresh_from_db()
    assert submitted.status == Submission.Status.SUBMITTED
    assert not submitted.events.filter(to_state="returned").exists()


def test_it_returns_with_the_reason_and_the_region_can_submit_again(
    submitted: Submission, district_verifier: User, kecamatan_operator: User, kecamatan: Region
) -> None:
    services.submission_return(
        submission=submitted, actor=district_verifier, reason="BL-01 of Bacem is missing"
    )
    submitted.refresh_from_db()
    assert submitted.status == Submission.Status.RETURNED
    assert submitted.returned_reason == "BL-01 of Bacem is missing"
    services.submission_submit(actor=kecamatan_operator, region=kecamatan, period="2025")
    submitted.refresh_from_db()
    assert submitted.status == Submission.Status.SUBMITTED
    assert submitted.returned_reason == ""


def test_it_keeps_the_submission_when_the_return_form_has_no_reason(
    client: Client, submitted: Submission, district_verifier: User
) -> None:
    client.force_login(district_verifier)
    response = client.post(reverse("review:return", args=[submitted.pk]), {"reason": ""})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Submission.Status.SUBMITTED
