from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from aksi.accounts.models import User
from aksi.regions.models import Region
from aksi.review import services
from aksi.review.models import Submission

from .conftest import save_value


def test_coverage_above_100_percent_needs_a_comment(
    kecamatan: Region, desa: Region, kecamatan_operator: User
) -> None:
    save_value(kecamatan_operator, desa, 130, 100)  # BL-01: Dukcapil estimate, over 100% allowed
    with pytest.raises(ValidationError) as error:
        services.submission_submit(actor=kecamatan_operator, region=kecamatan, period="2025")
    assert "above 100%" in " ".join(error.value.messages)
    assert not Submission.objects.filter(status=Submission.Status.SUBMITTED).exists()
    submission = services.submission_submit(
        actor=kecamatan_operator, region=kecamatan, period="2025", note="New housing estate"
    )
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.events.get().note == "New housing estate"
    assert submission.completeness["warnings"]


def test_a_denominator_without_numerator_needs_a_comment(
    kecamatan: Region, desa: Region, kecamatan_operator: User
) -> None:
    save_value(kecamatan_operator, desa, None, 100)
    with pytest.raises(ValidationError) as error:
        services.submission_submit(actor=kecamatan_operator, region=kecamatan, period="2025")
    assert "no numerator" in " ".join(error.value.messages)


def test_clean_partial_data_submits_without_a_comment(
    kecamatan: Region, desa: Region, kecamatan_operator: User
) -> None:
    save_value(kecamatan_operator, desa, 80, 100)
    submission = services.submission_submit(
        actor=kecamatan_operator, region=kecamatan, period="2025"
    )
    assert submission.status == Submission.Status.SUBMITTED
