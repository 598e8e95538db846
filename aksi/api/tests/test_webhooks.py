"""Webhooks: registered in scope, queued with the change, delivered signed, retried, logged."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import region_admin, user_with_role
from aksi.api.models import Webhook, WebhookDelivery
from aksi.api.webhooks import BACKOFF_MINUTES, webhook_create, webhooks_deliver
from aksi.core.models import AuditEvent, AuditEventType
from aksi.regions.models import Region
from aksi.review.services import submission_return, submission_submit, submission_verify


class Receiver:
    """A real HTTP server on loopback that records what it is sent."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/aksi"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    settings.AKSI_WEBHOOK_ALLOW_PRIVATE = True
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()


@pytest.fixture
def madiun_admin(db: None) -> User:
    return region_admin("35.19")


ALL_EVENTS = list(Webhook.Event.values)


def test_a_verify_is_delivered_signed_to_the_webhooks_of_the_region_and_above(
    receiver: Receiver, madiun_admin: User, central_admin: User
) -> None:
    operator = user_with_role("op_kebonsari", Role.OPERATOR, "35.19.01")
    verifier = user_with_role("ver_madiun", Role.VERIFIER, "35.19")
    hook, secret = webhook_create(
        actor=madiun_admin,
        url=receiver.url,
        region=Region.objects.get(code="35.19"),
        events=ALL_EVENTS,
    )
    webhook_create(
        actor=central_admin,
        url=receiver.url + "/other",
        region=Region.objects.get(code="11"),
        events=ALL_EVENTS,
    )
    kebonsari = Region.objects.get(code="35.19.01")
    submission = submission_submit(actor=operator, region=kebonsari, period="2025")
    submission_verify(submission=submission, actor=verifier)

    run = webhooks_deliver()

    assert run.delivered == 2  # submitted and verified, to the Madiun webhook only
    events = [headers["X-Aksi-Event"] for headers, _body in receiver.received]
    assert events == ["submission.submitted", "submission.verified"]
    headers, body = receiver.received[1]
    payload = json.loads(body)
    assert payload["submission"]["region"] == "35.19.01"
    assert payload["submission"]["status"] == "verified"
    expected = hmac.new(
        secret.encode(), f"{headers['X-Aksi-Timestamp']}.".encode() + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-Aksi-Signature"] == f"sha256={expected}"
    assert set(hook.deliveries.values_list("status", flat=True)) == {"delivered"}


def test_a_failing_receiver_is_retried_with_backoff_and_finally_given_up(
    receiver: Receiver, madiun_admin: User
) -> None:
    receiver.status = 500
    operator = user_with_role("op_kebonsari", Role.OPERATOR, "35.19.01")
    webhook_create(
        actor=madiun_admin,
        url=receiver.url,
        region=Region.objects.get(code="35.19"),
        events=["submission.submitted"],
    )
    submission_submit(actor=operator, region=Region.objects.get(code="35.19.01"), period="2025")

    assert webhooks_deliver().retrying == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.attempts, delivery.last_status_code, delivery.status) == (1, 500, "pending")
    assert webhooks_deliver().retrying == 0  # not due yet: nothing is sent again at once
    later = delivery.next_attempt_at
    for wait in BACKOFF_MINUTES:
        with time_machine.travel(later + dt.timedelta(seconds=1)):
            webhooks_deliver()
        delivery.refresh_from_db()
        later = delivery.next_attempt_at + dt.timedelta(minutes=wait)
    assert delivery.status == "failed"
    assert delivery.attempts == len(BACKOFF_MINUTES) + 1
    assert len(receiver.received) == len(BACKOFF_MINUTES) + 1


def test_a_returned_report_reaches_only_webhooks_that_asked_for_returns(
    receiver: Receiver, madiun_admin: User
) -> None:
    operator = user_with_role("op_kebonsari", Role.OPERATOR, "35.19.01")
    verifier = user_with_role("ver_madiun", Role.VERIFIER, "35.19")
    webhook_create(
        actor=madiun_admin,
        url=receiver.url,
        region=Region.objects.get(code="35.19"),
        events=["submission.returned"],
    )
    submission = submission_submit(
        actor=operator, region=Region.objects.get(code="35.19.01"), period="2025"
    )
    submission_return(submission=submission, actor=verifier, reason="Cek ulang BL-01")
    webhooks_deliver()
    assert [h["X-Aksi-Event"] for h, _b in receiver.received] == ["submission.returned"]


def test_webhooks_are_registered_only_inside_the_admins_region(madiun_admin: User) -> None:
    with pytest.raises(PermissionDenied):
        webhook_create(
            actor=madiun_admin,
            url="https://example.org/hook",
            region=Region.objects.get(code="35.18"),
            events=ALL_EVENTS,
        )
    with pytest.raises(PermissionDenied):
        webhook_create(
            actor=madiun_admin, url="https://example.org/hook", region=None, events=ALL_EVENTS
        )


@pytest.mark.parametrize(
    "url", ["http://example.org/hook", "https://127.0.0.1/hook", "https://10.1.2.3/x"]
)
def test_plain_http_and_private_addresses_are_refused_in_production(
    madiun_admin: User, settings: Any, url: str
) -> None:
    settings.AKSI_WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(ValidationError) as refused:
        webhook_create(
            actor=madiun_admin,
            url=url,
            region=Region.objects.get(code="35.19"),
            events=ALL_EVENTS,
        )
    assert "url" in refused.value.message_dict
    assert not Webhook.objects.exists()


def test_the_webhook_page_registers_shows_the_secret_once_and_logs_deliveries(
    client: Client, madiun_admin: User, settings: Any
) -> None:
    settings.AKSI_WEBHOOK_ALLOW_PRIVATE = True
    client.force_login(madiun_admin)
    response = client.post(
        reverse("api:webhooks"),
        {
            "url": "http://127.0.0.1:9/hook",
            "region_code": "35.19",
            "events": ["submission.verified"],
        },
    )
    assert response.context["secret"]
    hook = Webhook.objects.get()
    assert AuditEvent.objects.filter(event_type=AuditEventType.WEBHOOK_CREATED).exists()
    page = client.get(reverse("api:webhook", args=[hook.pk]))
    assert page.status_code == 200
    client.post(reverse("api:webhook", args=[hook.pk]))
    hook.refresh_from_db()
    assert not hook.is_active


def test_operators_have_no_webhook_page_and_admins_see_only_their_own_region(
    client: Client, madiun_admin: User, settings: Any
) -> None:
    settings.AKSI_WEBHOOK_ALLOW_PRIVATE = True
    hook, _secret = webhook_create(
        actor=madiun_admin,
        url="http://127.0.0.1:9/a",
        region=Region.objects.get(code="35.19"),
        events=ALL_EVENTS,
    )
    client.force_login(user_with_role("op", Role.OPERATOR, "35.19.01"))
    assert client.get(reverse("api:webhooks")).status_code == 403
    client.force_login(region_admin("35.18", username="admin_magetan"))
    assert client.get(reverse("api:webhook", args=[hook.pk])).status_code == 404
