from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command

from aksi.accounts.models import Role, RoleAssignment, User
from aksi.accounts.scopes import entry_scope
from aksi.regions.models import Level, Region
from aksi.reporting.models import CoverageValue
from aksi.review.models import Submission
from aksi.synth import services
from aksi.synth.services import SynthResult
from aksi.synth.tests.conftest import DISTRICT


def test_submissions_exist_in_every_state(madiun: SynthResult) -> None:
    submissions = Submission.objects.filter(region__code__startswith=f"{DISTRICT}.")
    assert madiun.submissions == submissions.count()
    assert set(submissions.values_list("status", flat=True)) == set(Submission.Status.values)
    for submission in submissions.exclude(status=Submission.Status.DRAFT):
        assert submission.submitted_by is not None
        assert submission.last_submitted_at is not None
    assert all(s.returned_reason for s in submissions.filter(status=Submission.Status.RETURNED))


def test_every_kecamatan_gets_an_operator_who_entered_its_values(madiun: SynthResult) -> None:
    subdistricts = Region.objects.filter(
        parent_id=DISTRICT, level=Level.SUBDISTRICT, valid_to__isnull=True
    )
    for subdistrict in subdistricts:
        operator = User.objects.get(username=f"synth-{subdistrict.code}-operator")
        assert entry_scope(operator).covers(f"{subdistrict.code}.2001")
        assert check_password(services.PASSWORD, operator.password)
    value = CoverageValue.objects.filter(region__code__startswith=f"{DISTRICT}.").first()
    assert value.updated_by.username == f"synth-{value.region_id[:8]}-operator"
    assert RoleAssignment.objects.filter(
        user__username=f"synth-{DISTRICT}-verifier", role=Role.VERIFIER, region_id=DISTRICT
    ).exists()


def test_it_adds_no_users_twice(madiun: SynthResult) -> None:
    before = User.objects.count()
    again = services.synth_generate(size="kabupaten", region_code=DISTRICT, replace=True)
    assert again.users == 0
    assert User.objects.count() == before


def test_the_command_prints_a_one_line_summary(db: None) -> None:
    out = StringIO()
    call_command("synth", "--size", "kabupaten", "--region", "65.01", "--no-users", stdout=out)
    line = out.getvalue().strip()
    assert "\n" not in line
    assert "65.01" in line
    count = CoverageValue.objects.filter(region__code__startswith="65.01").count()
    assert f"{count:,}".replace(",", ".") in line or f"{count:,}" in line
    assert not User.objects.filter(username__startswith="synth-").exists()
    with pytest.raises(CommandError, match="replace"):
        call_command("synth", "--size", "kabupaten", "--region", "65.01", stdout=StringIO())
