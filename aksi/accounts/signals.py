"""Login, logout, failed login and lockout are audited (who, when, from which address)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record


def _address(request: HttpRequest | None) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


@receiver(user_logged_in)
def audit_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_event_record(
        event_type=AuditEventType.LOGIN,
        actor=user,
        target=user,
        data={"address": _address(request)},
    )


@receiver(user_logged_out)
def audit_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_event_record(
            event_type=AuditEventType.LOGOUT,
            actor=user,
            target=user,
            data={"address": _address(request)},
        )


def _known_user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first() if username else None


@receiver(user_login_failed)
def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit_event_record(
        event_type=AuditEventType.LOGIN_FAILED,
        actor_label=username or "anonymous",
        target=_known_user(username),
        data={"username": username, "address": _address(request)},
    )


@receiver(user_locked_out)
def audit_locked_out(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str, **kwargs: Any
) -> None:
    audit_event_record(
        event_type=AuditEventType.LOCKED_OUT,
        actor_label=(username or "anonymous")[:150],
        target=_known_user(username or ""),
        data={"username": username, "address": ip_address},
    )
