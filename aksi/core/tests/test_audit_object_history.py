"""The history ("riwayat") of one object, by model label and key."""

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
def madiun(db: None) -> Region:
    return Region.objects.get(code="35.19")


@pytest.fixture
def madiun_admin(madiun: Region) -> User:
    user = User.objects.create_user(username="admin_madiun", password="x")
    RoleAssignment.objects.create(user=user, role=Role.REGION_ADMIN, region=madiun)
    return user


@pytest.fixture
def region_events(central_admin: User, madiun: Region) -> list[AuditEvent]:
    aceh = Region.objects.get(code="11")
    return [
        audit_event_record(
            event_type=AuditEventType.REPORTING_UNIT_CREATED,
            actor=central_admin,
            target=region,
            region_code=region.code,
            data={"name": region.name},
        )
        for region in (madiun, madiun, aceh)
    ]


def test_it_lists_the_events_of_one_object(
    central_admin: User, madiun: Region, region_events: list[AuditEvent]
) -> None:
    events = selectors.audit_events_for_object(user=central_admin, obj=madiun)
    assert list(events.values_list("pk", flat=True)) == [
        region_events[1].pk,
        region_events[0].pk,
    ]


def test_the_page_shows_an_objects_history_by_label_and_key(
    client: Client, madiun_admin: User, region_events: list[AuditEvent]
) -> None:
    client.force_login(madiun_admin)
    url = reverse("audit:object", kwargs={"label": "regions.region", "pk": "35.19"})
    response = client.get(url)
    assert response.status_code == 200
    assert [e.pk for e in response.context["page"].object_list] == [
        region_events[1].pk,
        region_events[0].pk,
    ]
    assert "Kabupaten Madiun" in response.content.decode()


def test_it_reveals_nothing_of_an_object_outside_the_admins_regions(
    client: Client, madiun_admin: User, region_events: list[AuditEvent]
) -> None:
    client.force_login(madiun_admin)
    url = reverse("audit:object", kwargs={"label": "regions.region", "pk": "11"})
    response = client.get(url)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert "Aceh" not in response.content.decode().split("<main", 1)[1]


@pytest.mark.parametrize("label", ["nothing.here", "notalabel"])
def test_it_answers_404_for_an_unknown_model(
    client: Client, central_admin: User, label: str
) -> None:
    client.force_login(central_admin)
    url = reverse("audit:object", kwargs={"label": label, "pk": "1"})
    assert client.get(url).status_code == 404
