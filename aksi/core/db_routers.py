"""Send the reads of read-mostly pages to a PostgreSQL streaming replica.

Enabled only when settings name a replica alias (`AKSI_READ_REPLICA`, set when
`DATABASE_REPLICA_URL` is); otherwise every method answers the primary and nothing changes,
so tests and the SQLite default behave exactly as without the router.

Which reads may go to the replica is decided per request by `ReplicaPinningMiddleware`
(aksi/core/middleware_db.py), through the context variable below. The rules:

* Outside a request (commands, tasks, the shell, tests) reads use the primary: a job that
  writes then reads must see its own write.
* A request may read from the replica only if it is a safe method (GET/HEAD/OPTIONS) on a
  read-mostly path (dashboards, scorecards, maps, public pages, the API) and the browser has
  not written in the last few seconds (the pin cookie).
* Within such a request, the first write of replica-served data pins the rest of the request
  to the primary (read-your-writes), and so does any open transaction on the primary.
* Only the reporting and reference data go to the replica; sessions, accounts, login
  security and audit events are always read from the primary, where a login or a password
  change has just written them.
"""

from __future__ import annotations

import contextvars
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

# Apps whose tables hold data that may be a second old without harm on a read-only page.
REPLICA_APPS = frozenset(
    {"regions", "catalogue", "reporting", "analytics", "review", "prevalence", "public"}
)


class RequestRouting:
    """Where this request may read: decided by the middleware, flipped by the first write."""

    __slots__ = ("replica_allowed", "wrote")

    def __init__(self, *, replica_allowed: bool) -> None:
        self.replica_allowed = replica_allowed
        # Wrote data the replica serves: the rest of this request reads the primary, and the
        # middleware pins the browser for a few seconds.
        self.wrote = False


_routing: contextvars.ContextVar[RequestRouting | None] = contextvars.ContextVar(
    "aksi_request_routing", default=None
)


def routing_begin(*, replica_allowed: bool) -> contextvars.Token[RequestRouting | None]:
    return _routing.set(RequestRouting(replica_allowed=replica_allowed))


def routing_resume(routing: RequestRouting) -> contextvars.Token[RequestRouting | None]:
    return _routing.set(routing)


def routing_end(token: contextvars.Token[RequestRouting | None]) -> RequestRouting | None:
    routing = _routing.get()
    _routing.reset(token)
    return routing


def routing_current() -> RequestRouting | None:
    return _routing.get()


def replica_alias() -> str:
    """The configured replica's alias, or "" when reads all go to the primary."""
    alias = getattr(settings, "AKSI_READ_REPLICA", "")
    return alias if alias and alias != DEFAULT_DB_ALIAS else ""


class ReplicaRouter:
    """Reads to the replica when the request allows it; writes and migrations to the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        alias = replica_alias()
        routing = _routing.get()
        if (
            not alias
            or routing is None
            or not routing.replica_allowed
            or routing.wrote
            or model._meta.app_label not in REPLICA_APPS
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            # Related objects follow the row they hang from (Django's default too).
            return instance._state.db
        return alias

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        routing = _routing.get()
        # Session and login-security writes happen on nearly every request (the session is
        # saved after the view, before a streamed body is read); their tables are never read
        # from the replica, so they pin nothing.
        if routing is not None and model._meta.app_label in REPLICA_APPS:
            routing.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # The replica is a copy of the primary: a row from either may point at a row of the other.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # Never create tables on the replica: it is read-only and receives the primary's WAL.
        return db == DEFAULT_DB_ALIAS
