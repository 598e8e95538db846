from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from aksi.accounts.models import Role, RoleAssignment, User
from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record
from aksi.regions.models import Region


def _seed(actor: User, target: User) -> None:
    for n in range(60):
        audit_event_record(
            event_type=AuditEventType.ASSIGNMENT_ENDED,
            actor=actor,
            target=target,
            region_code="35.19.01" if n % 2 else "35.19",
            data={"before": {"valid_to": None}, "after": {"valid_to": f"2025-01-{n % 28 + 1:02}"}},
        )


def test_it_lists_a_page_of_events_in_constant_queries(
    client: Client,
    central_admin: User,
    district_operator: User,
    django_assert_max_num_queries: Any,
) -> None:
    admin = User.objects.create_user(username="admin_madiun", password="x")
    RoleAssignment.objects.create(
        user=admin, role=Role.REGION_ADMIN, region=Region.objects.get(code="35.19")
    )
    _seed(central_admin, district_operator)
    client.force_login(admin)
    # session, user, current assignments (scope, 2FA check and menu share them), count, one
    # page of events joined with their actors (the admin's users are a subquery, not a query);
    # then the session is saved on every request: savepoint, update, release.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("audit:log"), {"region": "35.19"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 50
    assert response.context["page"].paginator.count == 60


def test_it_lists_the_second_page(
    client: Client, central_admin: User, district_operator: User
) -> None:
    _seed(central_admin, district_operator)
    client.force_login(central_admin)
    response = client.get(reverse("audit:log"), {"region": "35.19", "page": "2"})
    assert len(response.context["page"].object_list) == 10
    assert "page=1" in response.content.decode()
