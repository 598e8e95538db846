from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import Role, RoleAssignment, User
from aksi.catalogue import services
from aksi.catalogue.models import IndicatorCatalogue
from aksi.catalogue.rules import is_central_admin

pytestmark = pytest.mark.django_db


def test_only_central_admins_and_superusers_manage_the_catalogue(
    central_admin: User, district_operator: User, outsider: User
) -> None:
    superuser = User.objects.create_superuser("root", password="correct horse battery")
    assert is_central_admin(central_admin)
    assert is_central_admin(superuser)
    assert not is_central_admin(district_operator)
    assert not is_central_admin(outsider)


def test_an_expired_central_admin_assignment_does_not_count(db: None) -> None:
    user = User.objects.create_user("mantan", password="correct horse battery")
    RoleAssignment.objects.create(user=user, role=Role.CENTRAL_ADMIN, valid_to="2020-12-31")
    assert not is_central_admin(user)


def test_a_district_operator_may_not_copy_edit_or_publish(
    catalogue_2025: IndicatorCatalogue,
    draft_2026: IndicatorCatalogue,
    district_operator: User,
) -> None:
    with pytest.raises(PermissionDenied):
        services.catalogue_copy(source=catalogue_2025, year=2027, actor=district_operator)
    with pytest.raises(PermissionDenied):
        services.indicator_update(
            indicator=draft_2026.indicators.get(code="RP-02"),
            actor=district_operator,
            national_target=Decimal("1"),
        )
    with pytest.raises(PermissionDenied):
        services.catalogue_publish(catalogue=draft_2026, actor=district_operator)
    assert not IndicatorCatalogue.objects.filter(year=2027).exists()
    draft_2026.refresh_from_db()
    assert draft_2026.status == IndicatorCatalogue.Status.DRAFT


@pytest.mark.parametrize(
    ("method", "name", "args"),
    [
        ("get", "catalogue:manage", []),
        ("post", "catalogue:copy", []),
        ("get", "catalogue:manage_catalogue", [2025]),
        ("post", "catalogue:publish", [2026]),
        ("get", "catalogue:indicator_edit", [2026, "RP-02"]),
        ("post", "catalogue:indicator_edit", [2026, "RP-02"]),
    ],
)
def test_the_manage_pages_refuse_other_users(
    client: Client,
    draft_2026: IndicatorCatalogue,
    district_operator: User,
    method: str,
    name: str,
    args: list[object],
) -> None:
    url = reverse(name, args=args)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(district_operator)
    assert getattr(client, method)(url).status_code == 403
    draft_2026.refresh_from_db()
    assert draft_2026.status == IndicatorCatalogue.Status.DRAFT


def test_drafts_are_hidden_from_the_public(
    client: Client, draft_2026: IndicatorCatalogue, central_admin: User
) -> None:
    assert client.get(reverse("catalogue:indicator", args=[2026, "RP-02"])).status_code == 404
    response = client.get(reverse("catalogue:indicators"), {"year": 2026})
    assert response.status_code == 200
    assert "RP-02" not in response.content.decode()
    client.force_login(central_admin)
    assert client.get(reverse("catalogue:indicator", args=[2026, "RP-02"])).status_code == 200
