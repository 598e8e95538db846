from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.regions.models import Region
from aksi.review import services
from aksi.review.models import Submission


@pytest.fixture
def submitted(kecamatan: Region, kecamatan_operator: User) -> Submission:
    return services.submission_submit(actor=kecamatan_operator, region=kecamatan, period="2025")


def test_it_never_lets_the_submitting_level_verify_itself(
    submitted: Submission, kecamatan_verifier: User, kecamatan_operator: User
) -> None:
    for actor in (kecamatan_verifier, kecamatan_operator):
        with pytest.raises(PermissionDenied):
            services.submission_verify(submission=submitted, actor=actor)
    submitted.refresh_from_db()
    assert submitted.status == Submission.Status.SUBMITTED


def test_the_level_above_verifies_including_the_province(
    submitted: Submission, prov_verifier: User
) -> None:
    services.submission_verify(submission=submitted, actor=prov_verifier)
    submitted.refresh_from_db()
    assert submitted.status == Submission.Status.VERIFIED


def test_an_operator_outside_the_region_cannot_submit(
    kecamatan: Region, outsider: User, district_verifier: User
) -> None:
    for actor in (outsider, district_verifier):  # a verifier enters data but does not submit
        with pytest.raises(PermissionDenied):
            services.submission_submit(actor=actor, region=kecamatan, period="2025")
    assert not Submission.objects.exists()


def test_a_verifier_outside_the_scope_gets_404_and_changes_nothing(
    client: Client, submitted: Submission, outsider: User
) -> None:
    other_verifier = user_with_role("ver_aceh", Role.VERIFIER, "11")
    for user in (outsider, other_verifier):
        client.force_login(user)
        for name in ("verify", "return", "reopen"):
            response = client.post(reverse(f"review:{name}", args=[submitted.pk]), {"reason": "x"})
            assert response.status_code == 404
        assert client.get(reverse("review:submission", args=[submitted.pk])).status_code == 404
        response = client.post(reverse("review:bulk_verify"), {"submission": [submitted.pk]})
        assert response.status_code == 404
        assert client.get(reverse("review:inbox"), {"region": "35.19"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Submission.Status.SUBMITTED


def test_an_outsider_cannot_open_the_submit_panel(client: Client, outsider: User) -> None:
    client.force_login(outsider)
    assert client.get(reverse("review:submit", args=["2025", "35.19.01"])).status_code == 404
