"""Webhooks: a region admin's URL called, signed, when a report of its region changes state.

Deliveries are queued in the transaction of the change (so a rolled-back verify calls nobody)
and sent by `aksi webhooks deliver`, run every minute by a timer: retries back off, every attempt
is logged, and a request never waits for somebody else's server.

Each call is a POST of JSON with the headers `X-Aksi-Event`, `X-Aksi-Delivery` and
`X-Aksi-Signature: sha256=<hex>`, the HMAC-SHA256 of `<timestamp>.<body>` under the webhook's
secret, with the timestamp in `X-Aksi-Timestamp`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from aksi.accounts.scopes import managed_scope
from aksi.api.models import Webhook, WebhookDelivery
from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record
from aksi.regions.models import Region

# Minutes to wait after the 1st, 2nd, … failed attempt; then the delivery has failed.
BACKOFF_MINUTES = (1, 5, 30, 120, 720)
TIMEOUT_SECONDS = 10
USER_AGENT = "Aksi-Webhook/1"


def _check_url(url: str) -> None:
    """HTTPS to a public address only (no calls into the server's own network), unless the
    installation allows plain HTTP and private hosts (development, tests)."""
    parts = urlsplit(url)
    allow_private = settings.AKSI_WEBHOOK_ALLOW_PRIVATE
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise ValidationError({"url": _("The address must start with https://.")})
    if not parts.hostname:
        raise ValidationError({"url": _("The address has no host name.")})
    if allow_private:
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, None)}
    except OSError:
        raise ValidationError(
            {"url": _("%(host)s cannot be found.") % {"host": parts.hostname}}
        ) from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved:
            raise ValidationError(
                {"url": _("%(host)s is a private address.") % {"host": parts.hostname}}
            )


@transaction.atomic
def webhook_create(
    *, actor: Any, url: str, region: Region | None, events: list[str]
) -> tuple[Webhook, str]:
    """Register a webhook in the actor's managed scope; returns it with its signing secret."""
    scope = managed_scope(actor)
    if region is None and not scope.national:
        raise PermissionDenied(_("Only the central team registers nationwide webhooks."))
    if region is not None and not scope.covers(region.code):
        raise PermissionDenied(
            _("%(region)s is outside the regions you administer.") % {"region": region.name}
        )
    unknown = set(events) - set(Webhook.Event.values)
    if not events or unknown:
        raise ValidationError({"events": _("Choose at least one event.")})
    _check_url(url)
    secret = secrets.token_hex(24)
    webhook = Webhook.objects.create(
        owner=actor, region=region, url=url, secret=secret, events=sorted(events)
    )
    audit_event_record(
        event_type=AuditEventType.WEBHOOK_CREATED,
        actor=actor,
        target=webhook,
        region_code=region.code if region else "",
        data={"url": url, "events": sorted(events)},
    )
    return webhook, secret


@transaction.atomic
def webhook_deactivate(*, actor: Any, webhook: Webhook) -> Webhook:
    webhook.is_active = False
    webhook.save(update_fields=["is_active"])
    audit_event_record(
        event_type=AuditEventType.WEBHOOK_DEACTIVATED,
        actor=actor,
        target=webhook,
        region_code=webhook.region_id or "",
        data={"url": webhook.url},
    )
    return webhook


def webhooks_for_user(user: Any) -> Any:
    """The webhooks a user administers: those of regions in the user's managed scope."""
    scope = managed_scope(user)
    webhooks = Webhook.objects.select_related("region", "owner")
    if scope.national:
        return webhooks
    return webhooks.filter(scope.q("region__"))


def webhooks_enqueue(*, event: str, submission: Any) -> int:
    """Queue a delivery to every active webhook whose region covers the submission's region.

    Call inside the transaction of the change."""
    code = submission.region_id
    parts = code.split(".")
    roots = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    candidates = Webhook.objects.filter(
        Q(region_id__in=roots) | Q(region__isnull=True), is_active=True
    )
    hooks = [hook for hook in candidates if event in hook.events]
    if not hooks:
        return 0
    payload = {
        "event": event,
        "occurred_at": timezone.now().isoformat(timespec="seconds"),
        "submission": {
            "id": submission.pk,
            "region": code,
            "region_name": submission.region.name,
            "period": submission.period,
            "step": submission.step.code,
            "status": submission.status,
        },
    }
    WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(webhook=hook, event=event, payload=payload) for hook in hooks]
    )
    return len(hooks)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    body = json.dumps(delivery.payload, ensure_ascii=False).encode()
    timestamp = str(int(timezone.now().timestamp()))
    request = urllib.request.Request(
        delivery.webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Aksi-Event": delivery.event,
            "X-Aksi-Delivery": str(delivery.pk),
            "X-Aksi-Timestamp": timestamp,
            "X-Aksi-Signature": signature(delivery.webhook.secret, timestamp, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}"
    except (urllib.error.URLError, OSError) as error:
        return None, str(getattr(error, "reason", error))[:300]


@dataclass
class DeliveryRun:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


def webhooks_deliver(*, limit: int = 100) -> DeliveryRun:
    """Send the deliveries that are due; safe to run in several processes at once."""
    run = DeliveryRun()
    now = timezone.now()
    due = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
    ).order_by("next_attempt_at", "id")
    for _i in range(limit):
        with transaction.atomic():
            claimed = due.select_related("webhook")
            if connection.features.has_select_for_update_skip_locked:
                claimed = claimed.select_for_update(skip_locked=True, of=("self",))
            delivery = claimed.first()
            if delivery is None:
                break
            if not delivery.webhook.is_active:
                delivery.status, delivery.last_error = WebhookDelivery.Status.FAILED, "inactive"
                delivery.save(update_fields=["status", "last_error"])
                run.failed += 1
                continue
            code, error = _post(delivery)
            delivery.attempts += 1
            delivery.last_status_code, delivery.last_error = code, error
            if code is not None and 200 <= code < 300:
                delivery.status, delivery.delivered_at = (
                    WebhookDelivery.Status.DELIVERED,
                    timezone.now(),
                )
                run.delivered += 1
            elif delivery.attempts > len(BACKOFF_MINUTES):
                delivery.status = WebhookDelivery.Status.FAILED
                run.failed += 1
            else:
                wait = BACKOFF_MINUTES[delivery.attempts - 1]
                delivery.next_attempt_at = timezone.now() + dt.timedelta(minutes=wait)
                run.retrying += 1
            delivery.save()
    return run
