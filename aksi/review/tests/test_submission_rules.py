"""Configurable validation rules at submit: errors block, warnings need a comment."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.catalogue.models import Indicator, IndicatorCatalogue
from aksi.regions.models import Region
from aksi.reporting.services import coverage_value_save, validation_rule_save
from aksi.review.models import Submission
from aksi.review.services import submission_submit

DESA = "35.19.01.2001"


def _save(actor: User, code: str, numerator: int, denominator: int) -> None:
    coverage_value_save(
        actor=actor,
        indicator=Indicator.objects.get(catalogue__year=2025, code=code),
        region=Region.objects.get(code=DESA),
        period="2025",
        numerator=numerator,
        denominator=denominator,
    )


def _rule(admin: User, code: str, operator: str, severity: str) -> None:
    validation_rule_save(
        actor=admin,
        catalogue=IndicatorCatalogue.objects.get(year=2025),
        code=code,
        left="BL-04.numerator",
        operator=operator,
        right="BL-03.numerator",
        severity=severity,
        message="BL-04 dibanding BL-03",
    )


def test_an_error_rule_blocks_submit_and_a_warning_rule_needs_a_comment(
    central_admin: User, settings: Any
) -> None:
    operator = user_with_role("op_kebonsari", Role.OPERATOR, "35.19.01")
    kebonsari = Region.objects.get(code="35.19.01")
    _rule(central_admin, "buruk-dalam-kurang", "<=", "error")
    _save(operator, "BL-03", 2, 10)
    _save(operator, "BL-04", 3, 10)
    with pytest.raises(ValidationError, match="buruk-dalam-kurang"):
        submission_submit(actor=operator, region=kebonsari, period="2025", note="sudah dicek")
    assert not Submission.objects.exists()

    _save(operator, "BL-04", 2, 10)
    _rule(central_admin, "buruk-kurang-ketat", "<", "warning")
    with pytest.raises(ValidationError):
        submission_submit(actor=operator, region=kebonsari, period="2025")
    submission = submission_submit(
        actor=operator, region=kebonsari, period="2025", note="Dua balita gizi buruk juga kurang"
    )
    assert submission.status == Submission.Status.SUBMITTED
