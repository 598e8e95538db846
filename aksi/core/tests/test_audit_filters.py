"""Filtering the audit log: by event, region subtree, actor, days in WIB and target text."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import User
from aksi.core import audit_selectors as selectors
from aksi.core.models import AuditEvent, AuditEventType
from aksi.core.services import audit_event_record

WIB = ZoneInfo("Asia/Jakarta")


def _event(
    *, when: dt.datetime, region: str = "35.19", label: str = "", actor: User | None = None
) -> AuditEvent:
    event = audit_event_record(
        event_type=AuditEventType.DECREE_REGISTERED if label else AuditEventType.USER_CREATED,
        actor=actor,
        actor_label="" if actor else "aksi demo",
        region_code=region,
    )
    AuditEvent.objects.filter(pk=event.pk).update(occurred_at=when, target_label=label)
    return event


@pytest.fixture
def seeded(central_admin: User, district_operator: User) -> dict[str, AuditEvent]:
    return {
        # 23:30 WIB on 1 March is 16:30 UTC: it belongs to 1 March, not the 2nd.
        "late": _event(when=dt.datetime(2025, 3, 1, 23, 30, tzinfo=WIB), actor=central_admin),
        "next_day": _event(
            when=dt.datetime(2025, 3, 2, 0, 10, tzinfo=WIB), region="35.19.01", label="SK 12/2025"
        ),
        "aceh": _event(when=dt.datetime(2025, 3, 5, 9, 0, tzinfo=WIB), region="11"),
        "by_operator": _event(
            when=dt.datetime(2025, 3, 6, 9, 0, tzinfo=WIB), actor=district_operator
        ),
    }


def _ids(central_admin: User, **filters: object) -> set[int]:
    events = selectors.audit_events_for_admin(user=central_admin, **filters)  # type: ignore[arg-type]
    return set(events.values_list("pk", flat=True))


def test_it_filters_by_region_subtree(central_admin: User, seeded: dict[str, AuditEvent]) -> None:
    ids = _ids(central_admin, region_code="35.19")
    assert {seeded["late"].pk, seeded["next_day"].pk, seeded["by_operator"].pk} <= ids
    assert seeded["aceh"].pk not in ids


def test_it_filters_by_event_type(central_admin: User, seeded: dict[str, AuditEvent]) -> None:
    ids = _ids(central_admin, event_type=AuditEventType.DECREE_REGISTERED)
    assert ids == {seeded["next_day"].pk}


def test_it_filters_by_actor_username_in_any_case(
    central_admin: User, seeded: dict[str, AuditEvent]
) -> None:
    assert _ids(central_admin, actor="OPERATOR_MADIUN") == {seeded["by_operator"].pk}


def test_it_filters_whole_days_in_indonesian_western_time(
    central_admin: User, seeded: dict[str, AuditEvent]
) -> None:
    day = dt.date(2025, 3, 1)
    assert _ids(central_admin, date_from=day, date_to=day) == {seeded["late"].pk}
    after = _ids(central_admin, date_from=dt.date(2025, 3, 2), date_to=dt.date(2025, 3, 5))
    assert after == {seeded["next_day"].pk, seeded["aceh"].pk}


def test_it_searches_the_target_label(central_admin: User, seeded: dict[str, AuditEvent]) -> None:
    assert _ids(central_admin, q="sk 12") == {seeded["next_day"].pk}


def test_the_page_applies_the_filters_from_the_query_string(
    client: Client, central_admin: User, seeded: dict[str, AuditEvent]
) -> None:
    client.force_login(central_admin)
    response = client.get(
        reverse("audit:log"),
        {"region": "3519", "date_from": "2025-03-01", "date_to": "2025-03-02", "q": ""},
    )
    assert response.status_code == 200
    shown = {e.pk for e in response.context["page"].object_list}
    assert shown == {seeded["late"].pk, seeded["next_day"].pk}
    body = response.content.decode()
    assert "1 Mar 2025 23:30" in body  # shown in WIB, not UTC


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "31-31-2025"}, "From date"),
        ({"date_to": "kemarin"}, "To date"),
        ({"event_type": "accounts.hacked"}, "Event"),
        ({"region": "35.1X"}, "Region code"),
        ({"date_from": "2025-03-05", "date_to": "2025-03-01"}, "To date"),
    ],
)
def test_it_names_the_field_of_a_bad_filter_instead_of_failing(
    client: Client,
    central_admin: User,
    seeded: dict[str, AuditEvent],
    params: dict[str, str],
    field: str,
) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.force_login(central_admin)
    response = client.get(reverse("audit:log"), params)
    assert response.status_code == 200
    assert response.context["page"] is None  # no half-filtered rows
    body = response.content.decode()
    assert 'role="alert"' in body
    assert f"{field}: " in body
