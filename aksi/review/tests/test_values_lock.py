from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import User
from aksi.regions.models import Region
from aksi.reporting.models import CoverageValue
from aksi.review import services
from aksi.review.locks import ValuesLocked, assert_values_editable, values_locked
from aksi.review.models import Submission

from .conftest import indicator, save_value


def test_a_submitted_kecamatan_locks_its_desa_values(
    kecamatan: Region, desa: Region, kecamatan_operator: User
) -> None:
    save_value(kecamatan_operator, desa, 10, 20)
    assert not values_locked(region=desa, period="2025")
    services.submission_submit(actor=kecamatan_operator, region=kecamatan, period="2025")
    assert values_locked(region=desa, period="2025")
    assert not values_locked(region=desa, period="2024")  # another period stays open
    with pytest.raises(ValuesLocked, match="submitted"):
        save_value(kecamatan_operator, desa, 11, 20, expected_version=1)
    assert CoverageValue.objects.get().numerator == 10


def test_the_grid_cell_answers_locked(
    client: Client, kecamatan: Region, desa: Region, kecamatan_operator: User
) -> None:
    services.submission_submit(actor=kecamatan_operator, region=kecamatan, period="2025")
    client.force_login(kecamatan_operator)
    response = client.post(
        reverse("reporting:cell", args=["2025", desa.code, indicator().pk]),
        {"numerator": "5", "denominator": "10", "version": ""},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert "state-locked" in body
    assert not CoverageValue.objects.exists()


def test_reopening_unlocks_and_a_return_unlocks(
    kecamatan: Region, desa: Region, kecamatan_operator: User, district_verifier: User
) -> None:
    submission = services.submission_submit(
        actor=kecamatan_operator, region=kecamatan, period="2025"
    )
    services.submission_verify(submission=submission, actor=district_verifier)
    with pytest.raises(ValuesLocked, match="verified"):
        assert_values_editable(region=desa, period="2025")
    services.submission_reopen(submission=submission, actor=district_verifier, reason="Fix")
    assert not values_locked(region=desa, period="2025")
    save_value(kecamatan_operator, desa, 3, 4)
    services.submission_submit(actor=kecamatan_operator, region=kecamatan, period="2025")
    assert values_locked(region=desa, period="2025")
    services.submission_return(submission=submission, actor=district_verifier, reason="Check")
    assert not values_locked(region=desa, period="2025")


@pytest.mark.parametrize(
    ("status", "locked"),
    [
        (Submission.Status.DRAFT, False),
        (Submission.Status.SUBMITTED, True),
        (Submission.Status.VERIFIED, True),
        (Submission.Status.RETURNED, False),
        (Submission.Status.REOPENED, False),
    ],
)
def test_only_submitted_and_verified_lock(
    kecamatan: Region, desa: Region, status: str, locked: bool
) -> None:
    from aksi.review.measures import coverage_step

    Submission.objects.create(
        step=coverage_step(2025), region=kecamatan, period="2025", status=status
    )
    assert values_locked(region=desa, period="2025") is locked
    assert values_locked(region=kecamatan, period="2025") is locked
