"""An account's history: what the person did, and what was done to the account."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import Role, RoleAssignment, User
from aksi.core import audit_selectors as selectors
from aksi.core.models import AuditEvent, AuditEventType
from aksi.core.services import audit_event_record
from aksi.regions.models import Region


@pytest.fixture
def madiun_admin(db: None) -> User:
    user = User.objects.create_user(username="admin_madiun", password="x", full_name="Admin Madiun")
    RoleAssignment.objects.create(
        user=user, role=Role.REGION_ADMIN, region=Region.objects.get(code="35.19")
    )
    return user


@pytest.fixture
def history(central_admin: User, district_operator: User) -> dict[str, AuditEvent]:
    return {
        "on": audit_event_record(
            event_type=AuditEventType.PASSWORD_RESET, actor=central_admin, target=district_operator
        ),
        "by": audit_event_record(
            event_type=AuditEventType.PASSWORD_CHANGED,
            actor=district_operator,
            target=district_operator,
        ),
        "login": audit_event_record(
            event_type=AuditEventType.LOGIN, actor=district_operator, target=district_operator
        ),
        "unrelated": audit_event_record(
            event_type=AuditEventType.LOGIN, actor=central_admin, target=central_admin
        ),
    }


def test_it_lists_events_by_and_on_the_account(
    central_admin: User, district_operator: User, history: dict[str, AuditEvent]
) -> None:
    events = selectors.audit_events_for_user(user=central_admin, subject=district_operator)
    ids = list(events.values_list("pk", flat=True))
    assert set(ids) == {history["on"].pk, history["by"].pk, history["login"].pk}
    assert ids == sorted(ids, reverse=True)  # newest first


def test_the_page_shows_the_history_to_the_admin_of_the_region(
    client: Client, madiun_admin: User, district_operator: User, history: dict[str, AuditEvent]
) -> None:
    client.force_login(madiun_admin)
    response = client.get(reverse("audit:user", kwargs={"pk": district_operator.pk}))
    assert response.status_code == 200
    shown = {e.pk for e in response.context["page"].object_list}
    assert shown == {history["on"].pk, history["by"].pk, history["login"].pk}
    assert "Operator_Madiun" in response.content.decode()


def test_it_hides_accounts_outside_the_admins_regions(
    client: Client, madiun_admin: User, outsider: User
) -> None:
    audit_event_record(event_type=AuditEventType.LOGIN, actor=outsider, target=outsider)
    client.force_login(madiun_admin)
    response = client.get(reverse("audit:user", kwargs={"pk": outsider.pk}))
    assert response.status_code == 404


def test_it_lets_a_regional_admin_open_the_central_admin_who_acted_there(
    client: Client, madiun_admin: User, central_admin: User, history: dict[str, AuditEvent]
) -> None:
    client.force_login(madiun_admin)
    response = client.get(reverse("audit:user", kwargs={"pk": central_admin.pk}))
    assert response.status_code == 200
    # Only the reset inside Madiun, not the central admin's own logins.
    assert {e.pk for e in response.context["page"].object_list} == {history["on"].pk}


def test_it_answers_404_for_an_unknown_account(client: Client, central_admin: User) -> None:
    client.force_login(central_admin)
    assert client.get(reverse("audit:user", kwargs={"pk": 999999})).status_code == 404
