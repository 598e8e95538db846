"""Decide, per request, whether its reads may go to the read replica (see db_routers)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

from aksi.core import db_routers

# Pages that only show data; their GETs may read a copy that is a second old.
DEFAULT_REPLICA_PATHS = ("/analytics/", "/map/", "/public/", "/prevalence/", "/api/")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PIN_COOKIE = "aksi_primary"
# INSERT INTO "t", UPDATE "t", DELETE FROM "t", COPY "t", TRUNCATE "t" (raw SQL of bulk paths).
_WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY|TRUNCATE(?:\s+TABLE)?|MERGE\s+INTO)\s+"?(\w+)',
    re.IGNORECASE,
)


def replica_paths() -> tuple[str, ...]:
    return tuple(getattr(settings, "AKSI_REPLICA_PATHS", DEFAULT_REPLICA_PATHS))


def pin_seconds() -> int:
    # Longer than the replica's usual lag: the page after a save must show the save.
    return int(getattr(settings, "AKSI_REPLICA_PIN_SECONDS", 10))


def replica_allowed(request: HttpRequest) -> bool:
    return (
        request.method in SAFE_METHODS
        and PIN_COOKIE not in request.COOKIES
        and request.path.startswith(replica_paths())
    )


def _watch_writes(routing: db_routers.RequestRouting) -> Callable[..., Any]:
    """An execute wrapper on the primary: raw SQL writes pin like ORM writes do."""
    data_prefixes = tuple(f"{app}_" for app in db_routers.REPLICA_APPS)

    def wrapper(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        match = _WRITE.match(sql)
        if match and match.group(1).lower().startswith(data_prefixes):
            routing.wrote = True
        return execute(sql, params, many, context)

    return wrapper


def _stream_routed(content: Iterable[bytes], routing: db_routers.RequestRouting) -> Iterator[bytes]:
    """A streaming body runs its queries after the view returned: keep the request's routing."""
    chunks = iter(content)
    while True:
        token = db_routers.routing_resume(routing)
        try:
            chunk = next(chunks)
        except StopIteration:
            return
        finally:
            db_routers.routing_end(token)
        yield chunk


class ReplicaPinningMiddleware:
    """Let safe requests on read-mostly paths read the replica; pin writers to the primary.

    A request that changed reporting data sets a short-lived cookie, so the same browser's
    next pages (the dashboard after a save) read the primary until the replica has caught up.
    Does nothing when no replica is configured.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not db_routers.replica_alias():
            return self.get_response(request)
        token = db_routers.routing_begin(replica_allowed=replica_allowed(request))
        routing = db_routers.routing_current()
        assert routing is not None
        try:
            with connections[DEFAULT_DB_ALIAS].execute_wrapper(_watch_writes(routing)):
                response = self.get_response(request)
        finally:
            db_routers.routing_end(token)
        if response.streaming and not getattr(response, "is_async", False):
            response.streaming_content = _stream_routed(response.streaming_content, routing)
        if routing.wrote:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=pin_seconds(),
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
