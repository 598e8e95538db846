"""The details column: changed fields as old → new, other data as key: value."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import translation

from aksi.accounts.models import User
from aksi.core.audit_selectors import DataRow, audit_data_summary
from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record


def test_it_shows_only_the_fields_that_changed() -> None:
    summary = audit_data_summary(
        {
            "code": "I.01",
            "before": {"name": "Old", "target": 90, "unit": "%"},
            "after": {"name": "New", "target": 90, "unit": "%", "note": "added"},
        }
    )
    assert summary.rows == [
        DataRow(key="name", old="Old", new="New", changed=True),
        DataRow(key="note", old="—", new="added", changed=True),
        DataRow(key="code", value="I.01"),
    ]
    assert summary.hidden == 0
    assert summary.full == ""


def test_it_lists_plain_data_as_keys_and_values() -> None:
    with translation.override("en"):
        summary = audit_data_summary({"invited": True, "roles": ["operator", "verifier"], "n": 0})
    assert [(r.key, r.value) for r in summary.rows] == [
        ("invited", "yes"),
        ("roles", "operator, verifier"),
        ("n", "0"),
    ]


def test_it_shortens_long_data_and_offers_the_whole() -> None:
    summary = audit_data_summary({f"k{n}": "x" * 300 for n in range(12)}, limit=8)
    assert len(summary.rows) == 8
    assert summary.hidden == 4
    assert all(len(r.value) == 120 and r.value.endswith("…") for r in summary.rows)
    assert '"k11"' in summary.full


def test_the_log_page_renders_old_and_new_values(client: Client, central_admin: User) -> None:
    audit_event_record(
        event_type=AuditEventType.CATALOGUE_PUBLISHED,
        actor=central_admin,
        region_code="35",
        data={"before": {"status": "draft"}, "after": {"status": "published"}},
    )
    client.force_login(central_admin)
    body = client.get(reverse("audit:log"), {"region": "35"}).content.decode()
    assert '<span class="muted">draft</span> <span aria-hidden="true">→</span>' in body
    assert " published</li>" in body
    assert " style=" not in body
    assert "<script>" not in body


def test_it_caps_the_whole_data_for_the_page() -> None:
    summary = audit_data_summary({"changes": [{"key": f"k{n}"} for n in range(2000)]})
    assert summary.full.endswith("…")
    assert len(summary.full) == 4000
