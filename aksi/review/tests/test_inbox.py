from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.regions.models import Region
from aksi.review import services

from .conftest import save_value

KAB_MALANG = "35.07"  # 33 kecamatan


@pytest.fixture
def malang_verifier(db: None) -> User:
    return user_with_role("ver_malang", Role.VERIFIER, KAB_MALANG)


def _fill_malang(malang_verifier: User) -> list[Region]:
    operator = user_with_role("op_malang", Role.OPERATOR, KAB_MALANG)
    kecamatan = list(Region.objects.filter(parent_id=KAB_MALANG).order_by("code")[:12])
    for index, region in enumerate(kecamatan):
        desa = region.children.order_by("code").first()
        save_value(operator, desa, 50, 100)
        submission = services.submission_submit(actor=operator, region=region, period="2025")
        if index % 3 == 0:
            services.submission_verify(submission=submission, actor=malang_verifier)
        elif index % 3 == 1:
            services.submission_return(submission=submission, actor=malang_verifier, reason="x")
    return kecamatan


def test_it_lists_every_kecamatan_of_a_large_kab_in_constant_queries(
    client: Client, malang_verifier: User, django_assert_max_num_queries: Any
) -> None:
    _fill_malang(malang_verifier)
    client.force_login(malang_verifier)
    # session, user, assignments, verify roots, children, step, submissions, completeness
    # from reporting duties (duties, indicators, desa counts, filled counts), changes since
    # verification, session save (3 with its savepoint)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("review:inbox"), {"period": "2025"})
    assert response.status_code == 200
    inbox = response.context["inbox"]
    assert len(inbox.rows) == 33
    assert inbox.counts == {"verified": 4, "returned": 4, "submitted": 4, "missing": 21}
    assert all(row.completeness and row.completeness > 0 for row in inbox.rows[:12])
    assert response.content.decode().count('name="submission"') == 4  # only submitted ones


def test_it_counts_changes_made_after_the_verification(
    client: Client, kecamatan: Region, desa: Region, kecamatan_operator: User, district_verifier
) -> None:
    save_value(kecamatan_operator, desa, 50, 100)
    submission = services.submission_submit(
        actor=kecamatan_operator, region=kecamatan, period="2025"
    )
    services.submission_verify(submission=submission, actor=district_verifier)
    services.submission_reopen(submission=submission, actor=district_verifier, reason="fix")
    save_value(kecamatan_operator, desa, 60, 100, expected_version=1)
    save_value(kecamatan_operator, desa, 70, 100, expected_version=2)
    save_value(kecamatan_operator, desa, 1, None, code="RT-03")
    client.force_login(district_verifier)
    response = client.get(reverse("review:inbox"), {"region": "35.19", "period": "2025"})
    rows = {row.region.code: row for row in response.context["inbox"].rows}
    assert rows["35.19.01"].changes_since_verified == 3
    assert rows["35.19.01"].status == "reopened"


def test_bulk_verify_verifies_the_ticked_submitted_ones(
    client: Client, malang_verifier: User
) -> None:
    kecamatan = _fill_malang(malang_verifier)
    from aksi.review.models import Submission

    waiting = list(Submission.objects.filter(status="submitted"))
    already = Submission.objects.filter(status="verified").first()
    client.force_login(malang_verifier)
    response = client.post(
        reverse("review:bulk_verify"),
        {"submission": [s.pk for s in waiting] + [already.pk], "next": "/review/"},
    )
    assert response.status_code == 302
    assert Submission.objects.filter(status="verified").count() == 8
    assert Submission.objects.filter(status="submitted").count() == 0
    assert len(kecamatan) == 12
