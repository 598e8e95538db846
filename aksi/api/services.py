"""Personal access tokens: created and revoked by their owner, audited, shown once."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aksi.api.models import TOKEN_PREFIX, AccessToken, token_digest
from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record

MAX_DAYS = 366
MAX_TOKENS = 20


@transaction.atomic
def access_token_create(*, user: Any, name: str, days: int) -> tuple[AccessToken, str]:
    """Create a token for `user`; returns it with its secret, which is never shown again."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the system that uses it.")})
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(
            {"days": _("A token is valid for 1 to %(max)s days.") % {"max": MAX_DAYS}}
        )
    if AccessToken.objects.filter(user=user).usable().count() >= MAX_TOKENS:
        raise ValidationError(
            {"name": _("You have %(max)s valid tokens: revoke one first.") % {"max": MAX_TOKENS}}
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        user=user,
        name=name,
        hint=secret[: len(TOKEN_PREFIX) + 6],
        digest=token_digest(secret),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit_event_record(
        event_type=AuditEventType.ACCESS_TOKEN_CREATED,
        actor=user,
        target=token,
        data={"name": name, "expires_at": token.expires_at.isoformat()},
    )
    return token, secret


@transaction.atomic
def access_token_revoke(*, token: AccessToken, actor: Any) -> AccessToken:
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_event_record(
        event_type=AuditEventType.ACCESS_TOKEN_REVOKED,
        actor=actor,
        target=token,
        data={"name": token.name},
    )
    return token


def access_token_user(secret: str) -> tuple[Any, AccessToken] | None:
    """The active user a token acts as, or None (unknown, expired, revoked, inactive)."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        AccessToken.objects.usable()
        .select_related("user")
        .filter(digest=token_digest(secret))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # One write a minute at most: a busy integration must not turn every read into a write.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, token
