"""Reading the audit trail, scoped to what the reader administers.

The centre (and a superuser) reads every event. A regional admin reads the events of its region
subtree, plus the account events that carry no region (login, logout, password changes) of
users who hold a role there. Everyone else reads nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, Model, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from aksi.accounts.models import RoleAssignment, User
from aksi.accounts.scopes import managed_scope
from aksi.core.models import AuditEvent

USER_TARGET = User._meta.label_lower  # "accounts.user"


def _code_q(code: str) -> Q:
    """Events whose region is the code or lies below it (35.19 covers 35.19.01, not 35.190)."""
    return Q(region_code=code) | Q(region_code__startswith=f"{code}.")


def _visible_q(user: Any) -> Q:
    scope = managed_scope(user)
    if scope.national:
        return Q()
    if not scope.roots:
        return Q(pk__in=[])  # an empty Q() would match everything
    in_regions = Q()
    for root in scope.roots:
        in_regions |= _code_q(root)
    # Every assignment counts, ended ones too: the history of a user who held a role here
    # stays readable after the role ends. target_id is text, so the ids are cast to match.
    managed_users = (
        RoleAssignment.objects.filter(scope.q("region__"))
        .annotate(user_key=Cast("user_id", CharField()))
        .values("user_key")
    )
    own_accounts = Q(region_code="", target_type=USER_TARGET, target_id__in=managed_users)
    return in_regions | own_accounts


def _visible(user: Any) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(_visible_q(user))
        .select_related("actor")
        .order_by("-occurred_at", "-id")
    )


def _day_start(day: dt.date) -> dt.datetime:
    # A day is the reader's day (WIB by default), not UTC.
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_events_for_admin(
    *,
    user: Any,
    region_code: str | None = None,
    event_type: str | None = None,
    actor: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    q: str | None = None,
) -> QuerySet[AuditEvent]:
    """The audit log the user may read, newest first, narrowed by the optional filters.

    `region_code` takes the subtree; `actor` is a username (matching also system and failed-login
    labels); the dates are inclusive days in the current time zone; `q` searches target labels.
    """
    events = _visible(user)
    if region_code:
        events = events.filter(_code_q(region_code))
    if event_type:
        events = events.filter(event_type=event_type)
    if actor:
        events = events.filter(Q(actor__username__iexact=actor) | Q(actor_label__iexact=actor))
    if date_from:
        events = events.filter(occurred_at__gte=_day_start(date_from))
    if date_to:
        events = events.filter(occurred_at__lt=_day_start(date_to + dt.timedelta(days=1)))
    if q:
        events = events.filter(target_label__icontains=q)
    return events


def audit_events_for_target(*, user: Any, target_type: str, target_id: str) -> QuerySet[AuditEvent]:
    """The history ("riwayat") of one object by its model label and key, as far as visible."""
    return _visible(user).filter(target_type=target_type, target_id=target_id)


def audit_events_for_object(*, user: Any, obj: Model) -> QuerySet[AuditEvent]:
    return audit_events_for_target(
        user=user, target_type=obj._meta.label_lower, target_id=str(obj.pk)
    )


def audit_events_for_user(*, user: Any, subject: User) -> QuerySet[AuditEvent]:
    """What the subject did, and what was done to the subject's account, as far as visible."""
    return _visible(user).filter(
        Q(actor=subject) | Q(target_type=USER_TARGET, target_id=str(subject.pk))
    )


def audit_subject_get(*, user: Any, pk: int) -> User:
    """The account whose history the user asks for, or 404.

    The centre may open any account; a regional admin an account holding a role in its regions,
    or one that appears in an event it may read (say, the central admin who acted there), so
    that asking for an id reveals no name the admin could not already see.
    """
    subject = User.objects.filter(pk=pk).first()
    if subject is None:
        raise Http404
    scope = managed_scope(user)
    if scope.national:
        return subject
    if scope.roots and (
        RoleAssignment.objects.filter(scope.q("region__"), user=subject).exists()
        or audit_events_for_user(user=user, subject=subject).exists()
    ):
        return subject
    raise Http404


# Rendering of the JSON `data` of an event: short enough for a table cell.

MAX_VALUE_CHARS = 120
MAX_ROWS = 8
MAX_FULL_CHARS = 4000


@dataclass(frozen=True)
class DataRow:
    key: str
    value: str = ""
    old: str = ""
    new: str = ""
    changed: bool = False


@dataclass(frozen=True)
class DataSummary:
    rows: list[DataRow]
    hidden: int  # rows left out to keep the cell short
    full: str = ""  # the whole data as indented JSON, when the rows leave something out


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        text = ", ".join(str(v) for v in value) or "—"
    elif isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    else:
        text = str(value)
    if len(text) > MAX_VALUE_CHARS:
        text = text[: MAX_VALUE_CHARS - 1] + "…"
    return text


def audit_data_summary(data: Any, *, limit: int = MAX_ROWS) -> DataSummary:
    """Changed fields (old → new) when the data holds "before" and "after", then other keys."""
    if not isinstance(data, dict):
        rows = [] if data in (None, "") else [DataRow(key="", value=_text(data))]
        return DataSummary(rows=rows, hidden=0, full=_full(data, rows))
    rows: list[DataRow] = []
    before, after = data.get("before"), data.get("after")
    paired = isinstance(before, dict) and isinstance(after, dict)
    if paired:
        for key in [*after, *(k for k in before if k not in after)]:
            old, new = before.get(key), after.get(key)
            if old != new:
                rows.append(DataRow(key=key, old=_text(old), new=_text(new), changed=True))
    for key, value in data.items():
        if paired and key in ("before", "after"):
            continue
        rows.append(DataRow(key=str(key), value=_text(value)))
    shown = rows[:limit]
    hidden = len(rows) - len(shown)
    return DataSummary(rows=shown, hidden=hidden, full=_full(data, shown, force=hidden > 0))


def _full(data: Any, rows: list[DataRow], *, force: bool = False) -> str:
    cut = any(text.endswith("…") for row in rows for text in (row.value, row.old, row.new))
    if not (force or cut):
        return ""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2, default=str)
    # A catalogue load lists every change it made; the CSV export keeps the whole of it.
    return text if len(text) <= MAX_FULL_CHARS else text[: MAX_FULL_CHARS - 1] + "…"
