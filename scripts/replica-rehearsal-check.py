"""Checks of scripts/replica-rehearsal.sh: where Aksi reads and writes with a replica.

Run with DJANGO_SETTINGS_MODULE pointing at settings that define the "replica" alias and the
ReplicaRouter, the primary holding a synthetic kabupaten (aksi synth) and the replica
delaying WAL replay by APPLY_DELAY (recovery_min_apply_delay), so a read that went to the
replica is visible: it shows the value from before a save.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections import Counter
from typing import Any

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from aksi.accounts.models import User  # noqa: E402
from aksi.core import db_routers  # noqa: E402
from aksi.core.middleware_db import PIN_COOKIE  # noqa: E402
from aksi.reporting import services  # noqa: E402
from aksi.reporting.models import CoverageValue, ValueStatus  # noqa: E402

REPLICA = settings.AKSI_READ_REPLICA
PERIOD = os.environ.get("REHEARSAL_PERIOD", "2025S2")
failures: list[str] = []
TABLE = re.compile(r'(?:FROM|JOIN|INTO|UPDATE)\s+"?(\w+)"?', re.IGNORECASE)


def check(ok: bool, text: str) -> None:
    print(("  ok    " if ok else "  FAIL  ") + text)
    if not ok:
        failures.append(text)


def lsn(alias: str, sql: str) -> str:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def wait_for_replay(timeout: float) -> float:
    """Seconds until the replica has replayed everything the primary wrote so far."""
    target = lsn("default", "select pg_current_wal_lsn()::text")
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("select pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return time.monotonic() - start
        time.sleep(0.2)
    raise SystemExit("the replica did not catch up")


def tables(queries: list[dict[str, Any]]) -> Counter[str]:
    """How often each table is named after FROM/JOIN/INTO/UPDATE in the queries."""
    found: Counter[str] = Counter()
    for query in queries:
        found.update(TABLE.findall(query["sql"]))
    return found


def request(client: Client, method: str, url: str, **data: Any) -> tuple[Any, dict[str, Any]]:
    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
    ):
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    print(
        f"  {method.upper()} {url} -> {response.status_code}: "
        f"{len(on_primary.captured_queries)} queries on the primary "
        f"{dict(tables(on_primary.captured_queries))}, "
        f"{len(on_replica.captured_queries)} on the replica "
        f"{dict(tables(on_replica.captured_queries))}"
    )
    return response, {
        "primary": on_primary.captured_queries,
        "replica": on_replica.captured_queries,
        "body": body,
    }


def api_numerator(body: bytes, element: str) -> int | None:
    import json

    for row in json.loads(body)["dataValues"]:
        if row["dataElement"] == element:
            return int(row["value"])
    return None


def main() -> None:
    delay = os.environ.get("APPLY_DELAY", "?")
    print(f"replica alias {REPLICA!r}; WAL replay delayed by {delay}")
    caught = wait_for_replay(timeout=120)
    print(f"  replica caught up with the primary in {caught:.1f} s")

    operator = User.objects.get(username="synth-35.19.01-operator")
    client = Client(HTTP_HOST="localhost")
    client.force_login(operator)

    print("\n1. A dashboard GET reads the reporting data from the replica")
    response, q = request(client, "get", f"/analytics/35.19.01/?period={PERIOD}")
    check(response.status_code == 200, "the dashboard answers 200")
    check(len(q["replica"]) > 0, "the dashboard's data queries ran on the replica")
    data_on_primary = [
        t for t in tables(q["primary"]) if t.split("_")[0] in db_routers.REPLICA_APPS
    ]
    check(
        not data_on_primary, f"no reporting/analytics table read on the primary {data_on_primary}"
    )

    # A value this operator may change (not locked by a submission).
    candidates = (
        CoverageValue.objects.filter(
            region__code__startswith="35.19.01.",
            period=PERIOD,
            status=ValueStatus.VALUE,
            indicator__is_binary=False,
            numerator__gt=1,
            denominator__isnull=False,
        )
        .select_related("indicator", "region")
        .order_by("region_id", "indicator_id")[:10]
    )
    saved = None
    print("\n2. A cell save (POST) writes on the primary; its own response reads the new value")
    for value in candidates:
        new = value.numerator - 1
        url = f"/entry/{PERIOD}/{value.region_id}/{value.indicator_id}/"
        response, q = request(
            client,
            "post",
            url,
            numerator=str(new),
            denominator=str(value.denominator),
            version=str(value.version),
        )
        fresh = CoverageValue.objects.using("default").get(pk=value.pk)
        if fresh.numerator == new:
            saved = (value, new)
            break
        print("    (locked or refused; trying another value)")
    if saved is None:
        raise SystemExit("no value could be saved")
    value, new = saved
    check(len(q["replica"]) == 0, "the POST ran no query on the replica")
    check(
        f'value="{value.version + 1}"'.encode() in q["body"],
        f"the re-rendered cell carries the new version {value.version + 1} (read after the write)",
    )
    check(PIN_COOKIE in response.cookies, f"the response sets the {PIN_COOKIE} pin cookie")
    old = value.numerator
    element = f"{value.indicator.code}.NUM"
    api = f"/api/dataValueSets.json?orgUnit={value.region_id}&period={PERIOD}"

    print("\n3. The next GET from the same browser (pin cookie) reads the primary: sees the save")
    response, q = request(client, "get", api)
    check(len(q["replica"]) == 0, "pinned: no query on the replica")
    check(api_numerator(q["body"], element) == new, f"the API shows {element} = {new}")

    print("\n4. Another browser (no pin cookie) reads the replica, which is still behind")
    other = Client(HTTP_HOST="localhost")
    other.force_login(operator)
    response, q = request(other, "get", api)
    check(len(q["replica"]) > 0, "unpinned: the values came from the replica")
    stale = api_numerator(q["body"], element)
    check(stale == old, f"the replica still shows {element} = {stale} (before the save: {old})")

    print("\n5. Inside a replica-allowed request, the first write pins later reads to the primary")
    token = db_routers.routing_begin(replica_allowed=True)
    try:
        before = CoverageValue.objects.get(pk=value.pk)
        check(before._state.db == REPLICA, f"a read before any write used {before._state.db!r}")
        services.coverage_value_save(
            actor=operator,
            indicator=value.indicator,
            region=value.region,
            period=PERIOD,
            numerator=new - 1,
            denominator=value.denominator,
            expected_version=CoverageValue.objects.using("default").get(pk=value.pk).version,
        )
        after = CoverageValue.objects.get(pk=value.pk)
        check(after._state.db == "default", f"the read after the write used {after._state.db!r}")
        check(after.numerator == new - 1, f"and sees its own write ({after.numerator})")
    finally:
        db_routers.routing_end(token)

    print("\n6. Once the replica applies the WAL, unpinned reads show the save too")
    start = time.monotonic()
    while time.monotonic() - start < 120:
        if CoverageValue.objects.using(REPLICA).get(pk=value.pk).numerator == new - 1:
            break
        time.sleep(0.25)
    print(f"  the replica showed the last save after {time.monotonic() - start:.1f} s")
    response, q = request(other, "get", api)
    check(api_numerator(q["body"], element) == new - 1, "the replica now shows the last save")

    print("\n7. The replica refuses writes (hot standby is read-only)")
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "update reporting_coveragevalue set note = 'x' where id = %s", [value.pk]
            )
        check(False, "a write on the replica failed")
    except Exception as error:  # noqa: BLE001 - any database error is the expected outcome
        check("read-only" in str(error), f"a write on the replica failed: {str(error).strip()}")

    print()
    if failures:
        print(f"{len(failures)} check(s) failed")
        sys.exit(1)
    print("all checks passed")


if __name__ == "__main__":
    main()
