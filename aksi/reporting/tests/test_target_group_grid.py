from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.catalogue.models import TargetGroup
from aksi.reporting.models import TargetGroupCount

DESA = "35.19.01.2001"


@pytest.fixture
def operator(db: None) -> User:
    return user_with_role("op_kebonsari", Role.OPERATOR, "35.19.01")


def test_the_page_lists_every_village_and_group_in_constant_queries(
    client: Client, operator: User, django_assert_max_num_queries: Any
) -> None:
    client.force_login(operator)
    # session, user, assignments, subdistrict, target groups and the indicators' groups,
    # villages, counts, the kab/kota's subdistrict-entry switch, the kecamatan's submission
    # (lock), session save (savepoint: 3)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("reporting:target_groups", args=["2025", "35.19.01"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('<th scope="row">') == len(response.context["rows"]) == 14
    codes = [g.code for g in response.context["target_groups"]]
    assert "child_under_five" in codes
    assert "child_under_two" in codes  # the age-defined parent of infants, for rules
    assert "village" not in codes  # the group of yes/no indicators has no count to enter
    assert "mother" not in codes  # a heading, not a count


def test_a_count_saves_from_the_grid(client: Client, operator: User) -> None:
    client.force_login(operator)
    group = TargetGroup.objects.get(code="child_under_five")
    response = client.post(
        reverse("reporting:count", args=["2025", DESA, group.pk]),
        {"count": "1.204", "version": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "state-saved" in response.content.decode()
    assert TargetGroupCount.objects.get().count == 1204


def test_a_fraction_is_refused(client: Client, operator: User) -> None:
    client.force_login(operator)
    group = TargetGroup.objects.get(code="child_under_five")
    response = client.post(
        reverse("reporting:count", args=["2025", DESA, group.pk]), {"count": "1,5"}
    )
    assert "state-invalid" in response.content.decode()
    assert not TargetGroupCount.objects.exists()


def test_an_outsider_neither_sees_nor_saves(client: Client, outsider: User) -> None:
    client.force_login(outsider)
    page = client.get(reverse("reporting:target_groups", args=["2025", "35.19.01"]))
    assert page.status_code == 404
    group = TargetGroup.objects.get(code="child_under_five")
    response = client.post(
        reverse("reporting:count", args=["2025", DESA, group.pk]), {"count": "10"}
    )
    assert response.status_code == 403
    assert not TargetGroupCount.objects.exists()
