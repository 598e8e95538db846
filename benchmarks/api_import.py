"""Import of a DHIS2 JSON data value set through POST /api/dataValueSets, streamed.

Writes a payload of every village indicator (numerator and denominator) for every desa of the
chosen regions to a file, then sends it through the real view (token authentication, streamed
ijson parse, `values_exchange`: scope, locks, validation, history, rollups) as a WSGI request
whose body is read from the file, as gunicorn would hand it over. Baselines in the same run:

* parse: the same file through ijson alone (what reading the payload costs);
* copy: PostgreSQL `COPY` of the same pairs into a bare table with the same primary key
  (SQLite: `executemany` INSERT).

Peak memory is the growth of the process's maximum resident set during the import.

    python -m benchmarks.api_import [--regions 35] [--period 2025]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _setup() -> str | None:
    home = None
    if not os.environ.get("DATABASE_URL"):
        home = tempfile.mkdtemp(prefix="aksi-bench-api-")
        os.environ["AKSI_HOME"] = home
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", f"benchmark-{random.random()}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aksi.settings")
    os.environ.setdefault("AKSI_API_MAX_BYTES", str(2 * 1024**3))
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    os.environ.setdefault("AKSI_API_RATE", "100000/m")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from aksi.regions.models import Region

    if not Region.objects.exists():
        call_command("regions", "import", verbosity=0)
    call_command("catalogue", "load", verbosity=0)
    return home


def _write_payload(path: Path, regions: list[str], period: str) -> tuple[int, list[tuple]]:
    """The payload file and the (indicator code, desa, numerator, denominator) pairs in it."""
    from aksi.catalogue.models import Indicator
    from aksi.regions.models import Level, Region
    from aksi.regions.selectors import subtree_q

    rng = random.Random(7)
    indicators = list(
        Indicator.objects.filter(
            catalogue__year=int(period[:4]), entry_level=Indicator.EntryLevel.VILLAGE
        ).order_by("order")
    )
    villages = Region.objects.filter(level=Level.VILLAGE, valid_to__isnull=True)
    condition = subtree_q(regions[0])
    for code in regions[1:]:
        condition |= subtree_q(code)
    codes = list(villages.filter(condition).order_by("code").values_list("code", flat=True))
    count = 0
    pairs = []
    with path.open("w") as out:
        out.write(f'{{"period": "{period}", "dataValues": [')
        first = True
        for desa in codes:
            for indicator in indicators:
                if indicator.is_binary:
                    numerator, denominator = rng.randint(0, 1), 1
                    values = [(f"{indicator.code}.NUM", "true" if numerator else "false")]
                else:
                    denominator = rng.randint(20, 400)
                    numerator = rng.randint(0, denominator)
                    values = [
                        (f"{indicator.code}.NUM", str(numerator)),
                        (f"{indicator.code}.DEN", str(denominator)),
                    ]
                pairs.append((indicator.pk, desa, numerator, denominator))
                for element, value in values:
                    out.write(
                        ("" if first else ",")
                        + json.dumps({"dataElement": element, "orgUnit": desa, "value": value})
                    )
                    first = False
                    count += 1
        out.write("]}")
    return count, pairs


def _parse_only(path: Path) -> int:
    import ijson

    with path.open("rb") as stream:
        return sum(1 for _item in ijson.items(stream, "dataValues.item"))


def _copy_baseline(pairs: list[tuple], period: str) -> float:
    from django.db import connection

    table = "bench_api_raw"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(
            f"CREATE TABLE {table} (indicator_id bigint NOT NULL, region_id varchar(13) NOT NULL,"
            " period varchar(8) NOT NULL, numerator bigint, denominator bigint,"
            " PRIMARY KEY (indicator_id, region_id, period))"
        )
        started = time.perf_counter()
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
                for indicator, desa, numerator, denominator in pairs:
                    copy.write_row((indicator, desa, period, numerator, denominator))
        else:
            cursor.executemany(
                f"INSERT INTO {table} VALUES (%s, %s, %s, %s, %s)",
                [(i, d, period, n, m) for i, d, n, m in pairs],
            )
        seconds = time.perf_counter() - started
        cursor.execute(f"DROP TABLE {table}")
    return seconds


def _import(path: Path, token: str) -> tuple[dict[str, Any], float]:
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    size = path.stat().st_size
    statuses: list[str] = []
    with path.open("rb") as body:
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/api/dataValueSets",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(size),
            "HTTP_AUTHORIZATION": f"Bearer {token}",
            "HTTP_ACCEPT_LANGUAGE": "en",
            "wsgi.input": body,
            "wsgi.url_scheme": "http",
            "wsgi.errors": io.StringIO(),
        }
        started = time.perf_counter()
        chunks = handler(environ, lambda status, headers: statuses.append(status))
        answer = b"".join(chunks)
        if not statuses[0].startswith(("200", "409")):
            raise SystemExit(f"{statuses[0]}: {answer[:500]!r}")
        seconds = time.perf_counter() - started
    return json.loads(answer), seconds


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> None:
    """Linux: give freed memory back (the payload writer's lists) and start the peak resident
    set (VmHWM) afresh from here, so the import's own growth shows."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def run(regions: list[str], period: str) -> dict[str, str]:
    from django.db import connection

    from aksi.accounts.models import Role, RoleAssignment, User
    from aksi.api.services import access_token_create
    from aksi.regions.models import Region
    from aksi.reporting.models import CoverageValue, CoverageValueChange

    user, _created = User.objects.get_or_create(username="bench_api")
    for code in regions:
        RoleAssignment.objects.get_or_create(
            user=user, role=Role.OPERATOR, region=Region.objects.get(code=code)
        )
    CoverageValueChange.objects.filter(value__period=period).delete()
    CoverageValue.objects.filter(period=period).delete()
    from aksi.analytics.services import rollups_rebuild

    rollups_rebuild(period=period)
    _token, token = access_token_create(user=user, name="bench", days=1)
    workdir = Path(tempfile.mkdtemp(prefix="aksi-api-payload-"))
    try:
        path = workdir / "dataValueSets.json"
        values, pairs = _write_payload(path, regions, period)
        size_mb = path.stat().st_size / 1024**2
        print(f"{values:,} data values, {size_mb:.0f} MB payload", file=sys.stderr)
        started = time.perf_counter()
        parsed = _parse_only(path)
        parse_seconds = time.perf_counter() - started
        copy_seconds = _copy_baseline(pairs, period)
        del pairs
        _reset_peak()
        rss_before = _status_mb("VmRSS")
        body, seconds = _import(path, token)
        rss_growth = _status_mb("VmHWM") - rss_before
        counts = body["response"]["importCount"]
        assert parsed == values
        assert counts["imported"] == values, counts
        assert not body["response"]["conflicts"], body["response"]["conflicts"][:3]
        again, again_seconds = _import(path, token)
        assert again["response"]["importCount"]["ignored"] == values
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    rate = values / seconds
    if connection.vendor == "sqlite":
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    else:
        version = connection.cursor().connection.info.server_version
        database = f"PostgreSQL {version // 10000}.{version % 10000}"
    result = {
        "date": dt.date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}",
        "database": database,
        "size": f"{', '.join(regions)}: {values:,} values ({size_mb:.0f} MB JSON)",
        "values/s": f"{rate:,.0f}",
        "parse values/s": f"{values / parse_seconds:,.0f}",
        "copy values/s": f"{values / copy_seconds:,.0f}",
        "ratio to copy": f"{seconds / copy_seconds:.1f}× slower",
        "re-send values/s": f"{values / again_seconds:,.0f}",
        "peak MB": f"{rss_growth:,.0f} above {rss_before:,.0f}",
        "target": "met" if rate >= 20_000 else "not met",
    }
    for key, value in result.items():
        print(f"{key:>18}: {value}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.api_import", description=__doc__)
    parser.add_argument("--regions", default="35", help="comma-separated region codes")
    parser.add_argument("--period", default="2025")
    options = parser.parse_args(argv)
    home = _setup()
    try:
        run(options.regions.split(","), options.period)
        return 0
    finally:
        if home:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
