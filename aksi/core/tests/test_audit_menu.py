from __future__ import annotations

from django.test import Client
from django.urls import reverse

from aksi.accounts.models import Role, RoleAssignment, User
from aksi.regions.models import Region


def _has_audit_link(client: Client) -> bool:
    return f'href="{reverse("audit:log")}"' in client.get("/").content.decode()


def test_it_shows_the_audit_log_in_the_menu_of_admins_only(
    client: Client, central_admin: User, district_operator: User
) -> None:
    client.force_login(central_admin)
    assert _has_audit_link(client)
    regional = User.objects.create_user(username="admin_madiun", password="x")
    RoleAssignment.objects.create(
        user=regional, role=Role.REGION_ADMIN, region=Region.objects.get(code="35.19")
    )
    client.force_login(regional)
    assert _has_audit_link(client)
    client.force_login(district_operator)
    assert not _has_audit_link(client)
    client.logout()
    assert not _has_audit_link(client)
