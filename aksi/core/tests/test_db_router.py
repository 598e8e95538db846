"""The read-replica router and its middleware (aksi/core/db_routers.py, middleware_db.py).

The logic is tested without a second server: the replica is a fake alias named in settings
(`AKSI_READ_REPLICA`) that no query ever reaches, since the tests ask the router where a query
*would* go. The last test runs against a real streaming replica only when
AKSI_TEST_REPLICA_URL is set (with DATABASE_URL pointing at its primary); see
docs/scale-out.md.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from aksi.accounts.models import User
from aksi.analytics.models import CoverageRollup
from aksi.catalogue.models import Indicator
from aksi.core import db_routers
from aksi.core.database import database_config
from aksi.core.middleware_db import PIN_COOKIE, ReplicaPinningMiddleware, _watch_writes
from aksi.regions.models import Region
from aksi.reporting.models import CoverageValue

FAKE = "fake_replica"


@pytest.fixture
def replica(settings: Any) -> str:
    settings.AKSI_READ_REPLICA = FAKE
    return FAKE


@pytest.fixture
def in_replica_request() -> Iterator[db_routers.RequestRouting]:
    token = db_routers.routing_begin(replica_allowed=True)
    routing = db_routers.routing_current()
    assert routing is not None
    yield routing
    db_routers.routing_end(token)


router = db_routers.ReplicaRouter()


def test_it_reads_the_replica_in_a_request_that_allows_it(replica, in_replica_request):
    assert router.db_for_read(CoverageValue) == FAKE
    assert router.db_for_read(CoverageRollup) == FAKE
    assert router.db_for_read(Region) == FAKE


def test_it_reads_the_primary_when_no_replica_is_configured(settings, in_replica_request):
    settings.AKSI_READ_REPLICA = ""
    assert router.db_for_read(CoverageValue) == DEFAULT_DB_ALIAS


def test_it_reads_the_primary_outside_a_request(replica):
    # Commands, tasks and the shell: a job that writes then reads must see its write.
    assert db_routers.routing_current() is None
    assert router.db_for_read(CoverageValue) == DEFAULT_DB_ALIAS


def test_it_reads_the_primary_when_the_request_may_not_use_the_replica(replica):
    token = db_routers.routing_begin(replica_allowed=False)
    try:
        assert router.db_for_read(CoverageValue) == DEFAULT_DB_ALIAS
    finally:
        db_routers.routing_end(token)


def test_it_keeps_sessions_and_accounts_on_the_primary(replica, in_replica_request):
    # A login or a password change has just written them: a lagging copy would log users out.
    assert router.db_for_read(Session) == DEFAULT_DB_ALIAS
    assert router.db_for_read(User) == DEFAULT_DB_ALIAS


def test_it_pins_reads_to_the_primary_after_a_data_write(replica, in_replica_request):
    assert router.db_for_read(CoverageValue) == FAKE
    assert router.db_for_write(CoverageValue) == DEFAULT_DB_ALIAS
    assert in_replica_request.wrote
    assert router.db_for_read(CoverageValue) == DEFAULT_DB_ALIAS
    assert router.db_for_read(CoverageRollup) == DEFAULT_DB_ALIAS


def test_a_session_write_does_not_pin(replica, in_replica_request):
    assert router.db_for_write(Session) == DEFAULT_DB_ALIAS
    assert not in_replica_request.wrote
    assert router.db_for_read(CoverageValue) == FAKE


def test_it_reads_the_primary_inside_a_transaction(replica, in_replica_request, db):
    # The db fixture runs the test inside a transaction on the primary.
    assert connections[DEFAULT_DB_ALIAS].in_atomic_block
    assert router.db_for_read(CoverageValue) == DEFAULT_DB_ALIAS


def test_related_objects_follow_their_instance(replica, in_replica_request):
    value = CoverageValue()
    value._state.db = DEFAULT_DB_ALIAS
    assert router.db_for_read(Region, instance=value) == DEFAULT_DB_ALIAS


def test_relations_of_a_replica_row_read_the_primary_after_a_write(replica, in_replica_request):
    value = CoverageValue()
    value._state.db = FAKE
    assert router.db_for_read(Region, instance=value) == FAKE
    router.db_for_write(CoverageValue)
    assert router.db_for_read(Region, instance=value) == DEFAULT_DB_ALIAS


def test_it_never_migrates_the_replica(replica):
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "reporting") is True
    assert router.allow_migrate(FAKE, "reporting") is False


def test_raw_sql_writes_of_data_pin_like_orm_writes(replica):
    routing = db_routers.RequestRouting(replica_allowed=True)
    wrapper = _watch_writes(routing)

    def execute(*args: Any) -> None:
        return None

    wrapper(execute, 'UPDATE "django_session" SET "expire_date" = %s', [], False, {})
    wrapper(execute, 'SELECT * FROM "reporting_coveragevalue"', [], False, {})
    assert not routing.wrote
    wrapper(execute, 'INSERT INTO "analytics_coveragerollup" ("x") VALUES (%s)', [], True, {})
    assert routing.wrote


def test_unquoted_and_copy_writes_are_seen(replica):
    for sql in (
        "COPY reporting_coveragevalue (id) FROM STDIN",
        "delete from reporting_coveragevaluechange where id = 1",
    ):
        routing = db_routers.RequestRouting(replica_allowed=True)
        _watch_writes(routing)(lambda *a: None, sql, [], False, {})
        assert routing.wrote, sql


# The middleware, with a view that records where its reads would go.


def _seen_by(request: HttpRequest, *, write: bool = False) -> tuple[list[str], HttpResponse]:
    seen: list[str] = []

    def view(req: HttpRequest) -> HttpResponse:
        seen.append(router.db_for_read(CoverageValue))
        if write:
            router.db_for_write(CoverageValue)
            seen.append(router.db_for_read(CoverageValue))
        return HttpResponse("ok")

    response = ReplicaPinningMiddleware(view)(request)
    return seen, response


@pytest.mark.parametrize(
    "path", ["/analytics/35.19/", "/map/35/", "/public/", "/api/dataValueSets.json"]
)
def test_safe_requests_on_read_mostly_paths_read_the_replica(replica, path):
    seen, response = _seen_by(RequestFactory().get(path))
    assert seen == [FAKE]
    assert PIN_COOKIE not in response.cookies


def test_the_request_context_ends_with_the_request(replica):
    _seen_by(RequestFactory().get("/analytics/"))
    assert db_routers.routing_current() is None


@pytest.mark.parametrize("path", ["/entry/2025S1/35.19.01/", "/review/", "/users/", "/"])
def test_other_pages_read_the_primary(replica, path):
    seen, _response = _seen_by(RequestFactory().get(path))
    assert seen == [DEFAULT_DB_ALIAS]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_unsafe_methods_read_the_primary(replica, method):
    seen, _response = _seen_by(getattr(RequestFactory(), method)("/api/dataValueSets.json"))
    assert seen == [DEFAULT_DB_ALIAS]


def test_a_data_write_pins_the_request_and_sets_the_pin_cookie(replica, settings):
    settings.AKSI_REPLICA_PIN_SECONDS = 7
    seen, response = _seen_by(RequestFactory().get("/analytics/35/"), write=True)
    assert seen == [FAKE, DEFAULT_DB_ALIAS]
    assert response.cookies[PIN_COOKIE]["max-age"] == 7
    assert response.cookies[PIN_COOKIE]["httponly"]


def test_the_pin_cookie_sends_the_next_reads_to_the_primary(replica):
    request = RequestFactory().get("/analytics/35/")
    request.COOKIES[PIN_COOKIE] = "1"
    seen, _response = _seen_by(request)
    assert seen == [DEFAULT_DB_ALIAS]


def test_it_does_nothing_without_a_replica(settings):
    settings.AKSI_READ_REPLICA = ""
    seen, response = _seen_by(RequestFactory().get("/analytics/35/"), write=True)
    assert seen == [DEFAULT_DB_ALIAS, DEFAULT_DB_ALIAS]
    assert PIN_COOKIE not in response.cookies
    assert not connections[DEFAULT_DB_ALIAS].execute_wrappers


def test_a_streamed_body_keeps_the_requests_routing(replica):
    # dataValueSets streams: its queries run after the middleware has returned.
    seen: list[str] = []

    def chunks() -> Iterator[bytes]:
        seen.append(router.db_for_read(CoverageValue))
        yield b"[]"

    response = ReplicaPinningMiddleware(lambda request: StreamingHttpResponse(chunks()))(
        RequestFactory().get("/api/dataValueSets.json")
    )
    assert seen == []
    assert b"".join(response.streaming_content) == b"[]"
    assert seen == [FAKE]
    assert db_routers.routing_current() is None


# Against a real streaming replica (KEEP=1 scripts/replica-rehearsal.sh leaves one running).

REPLICA_URL = os.environ.get("AKSI_TEST_REPLICA_URL", "")


@pytest.fixture
def real_replica(settings: Any, django_db_setup: None) -> Iterator[str]:
    # After django_db_setup, NAME is the test database's.
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    if primary["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("AKSI_TEST_REPLICA_URL needs DATABASE_URL to point at its primary")
    config = database_config(REPLICA_URL, default_sqlite=Path("unused"), conn_max_age=0)
    # The replica receives the primary's test database through streaming replication.
    config["NAME"] = primary["NAME"]
    # Django fills in each alias's defaults; configure_settings wants the default alias too.
    both = connections.configure_settings({DEFAULT_DB_ALIAS: dict(primary), "it_replica": config})
    connections.settings["it_replica"] = both["it_replica"]
    settings.AKSI_READ_REPLICA = "it_replica"
    yield "it_replica"
    connections["it_replica"].close()
    del connections["it_replica"]
    del connections.settings["it_replica"]


def _wait_for_database(alias: str, timeout: float = 60) -> None:
    # The test database was just created on the primary; the standby may not have it yet.
    deadline = time.monotonic() + timeout
    while True:
        try:
            connections[alias].ensure_connection()
            return
        except OperationalError:
            connections[alias].close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _primary_lsn() -> str:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("select pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


def _replayed(alias: str, target: str, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    with connections[alias].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("select pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.2)
    return False


@pytest.mark.skipif(not REPLICA_URL, reason="AKSI_TEST_REPLICA_URL is not set")
def test_it_reads_a_real_replica_and_pins_after_a_write(
    real_replica, settings, django_db_setup, django_db_blocker
):
    # No test transaction (its data would never reach the replica) and no flush afterwards
    # (it would empty the session's region tree): autocommit, and the test removes its row.
    settings.DATABASE_ROUTERS = ["aksi.core.db_routers.ReplicaRouter"]
    with django_db_blocker.unblock():
        _wait_for_database(real_replica)
        with connections[real_replica].cursor() as cursor:
            cursor.execute("select pg_is_in_recovery()")
            assert cursor.fetchone()[0], "AKSI_TEST_REPLICA_URL is not a standby"
        # The region tree the session loaded must have reached the replica.
        assert _replayed(real_replica, _primary_lsn())
        indicator = Indicator.objects.order_by("pk").first()
        assert indicator is not None
        token = db_routers.routing_begin(replica_allowed=True)
        try:
            region = Region.objects.get(code="35.19.01.2001")
            assert region._state.db == real_replica
            CoverageRollup.objects.create(
                indicator=indicator, region_code="35.19.01.2001", period="2099S1"
            )
            # The write pinned the request: the next read is the primary's and sees the row.
            rollups = CoverageRollup.objects.filter(period="2099S1")
            assert rollups.db == DEFAULT_DB_ALIAS
            assert rollups.count() == 1
        finally:
            db_routers.routing_end(token)
        try:
            assert _replayed(real_replica, _primary_lsn())
            assert CoverageRollup.objects.using(real_replica).filter(period="2099S1").count() == 1
        finally:
            CoverageRollup.objects.filter(period="2099S1").delete()
