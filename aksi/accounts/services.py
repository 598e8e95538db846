from __future__ import annotations

from django.db import transaction

from aksi.accounts.models import User
from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record


@transaction.atomic
def user_password_change(*, user: User, new_password: str) -> User:
    """Set the user's own password (validated by the form) and lift a forced change."""
    was_forced = user.must_change_password
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_event_record(
        event_type=AuditEventType.PASSWORD_CHANGED,
        actor=user,
        target=user,
        data={"forced": was_forced},
    )
    return user
