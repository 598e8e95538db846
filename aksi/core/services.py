from __future__ import annotations

from typing import Any

from django.db import models

from aksi.core.models import AuditEvent, AuditEventType


def audit_event_record(
    *,
    event_type: AuditEventType,
    actor: Any = None,
    actor_label: str = "",
    target: models.Model | None = None,
    region_code: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit row; call it inside the transaction of the change it records."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        event_type=event_type,
        actor=actor,
        actor_label=actor_label or (actor.get_username() if actor else "system"),
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        region_code=region_code,
        data=data or {},
    )
