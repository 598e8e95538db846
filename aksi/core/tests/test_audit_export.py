"""The CSV export: the filtered, scoped rows in a machine format, streamed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
import time_machine
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import Role, RoleAssignment, User
from aksi.core.models import AuditEvent, AuditEventType
from aksi.core.services import audit_event_record
from aksi.regions.models import Region


def _rows(response: StreamingHttpResponse) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[arg-type]
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def decree_event(central_admin: User, district_operator: User) -> AuditEvent:
    event = audit_event_record(
        event_type=AuditEventType.ASSIGNMENT_ENDED,
        actor=central_admin,
        target=district_operator,
        region_code="35.19",
        data={"before": {"valid_to": None}, "after": {"valid_to": "2025-06-30"}},
    )
    AuditEvent.objects.filter(pk=event.pk).update(
        occurred_at=dt.datetime(2025, 7, 1, 20, tzinfo=dt.UTC)
    )
    return event


@time_machine.travel("2025-07-01 20:00 +0000")  # already 2 July in Jakarta
def test_it_streams_a_dated_csv_with_iso_times_and_json_data(
    client: Client, central_admin: User, decree_event: AuditEvent
) -> None:
    client.force_login(central_admin)
    response = client.get(reverse("audit:export"), {"region": "35.19"})
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="aksi-audit-2025-07-02.csv"'
    rows = _rows(response)
    assert [row["id"] for row in rows] == [str(decree_event.pk)]
    row = rows[0]
    assert row["occurred_at"] == "2025-07-02T03:00:00+07:00"
    assert row["event_type"] == "accounts.assignment_ended"
    assert row["actor_username"] == "pusat"
    assert row["target_type"] == "accounts.user"
    assert row["target_label"] == "Operator_Madiun"
    assert row["region_code"] == "35.19"
    assert json.loads(row["data"]) == {
        "before": {"valid_to": None},
        "after": {"valid_to": "2025-06-30"},
    }


def test_it_exports_only_what_a_regional_admin_may_read(
    client: Client, decree_event: AuditEvent
) -> None:
    aceh_admin = User.objects.create_user(username="admin_aceh", password="x")
    RoleAssignment.objects.create(
        user=aceh_admin, role=Role.REGION_ADMIN, region=Region.objects.get(code="11")
    )
    aceh = audit_event_record(event_type=AuditEventType.USER_CREATED, region_code="11.01")
    client.force_login(aceh_admin)
    ids = {row["id"] for row in _rows(client.get(reverse("audit:export")))}
    assert str(aceh.pk) in ids
    assert str(decree_event.pk) not in ids


def test_it_keeps_spreadsheets_from_running_a_label_as_a_formula(
    client: Client, central_admin: User
) -> None:
    event = audit_event_record(event_type=AuditEventType.LOGIN_FAILED, actor_label="=HYPERLINK(1)")
    client.force_login(central_admin)
    rows = _rows(client.get(reverse("audit:export"), {"event_type": "accounts.login_failed"}))
    assert [(r["id"], r["actor_label"]) for r in rows] == [(str(event.pk), "'=HYPERLINK(1)")]


def test_it_refuses_a_bad_filter_with_a_message_naming_it(
    client: Client, central_admin: User
) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.force_login(central_admin)
    response = client.get(reverse("audit:export"), {"date_from": "2025-02-30"})
    assert response.status_code == 400
    assert response.content.decode().startswith("From date: ")
