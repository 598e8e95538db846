"""The coverage entry grid of a large kecamatan, rendered through the whole Django stack.

Generates the synthetic data of one kabupaten (`aksi synth`, default 61.05 Kab. Sintang, whose
kecamatan have up to 43 desa), then requests the entry grid of its largest kecamatan (or of
`--subdistrict`) `--runs` times through Django's test client as an operator of that kecamatan,
and reports p50/p95 ms and the page size, plain and gzipped. Baselines measured in the same run:

* the page's data as model instances (the selectors of the indicators and the grid rows);
* a trivial template with the same number of cells (one `<td>` with one number each);
* the kecamatan list of the same operator (`/entry/`: the same middleware, session and base
  template, no grid): the fixed cost of any page.

    python -m benchmarks.entry_grid [--district 61.05] [--subdistrict CODE] [--period 2025S2]
                                    [--runs 30]

It runs as production does: DEBUG off, static files collected (into a temporary AKSI_HOME).
Without DATABASE_URL the database is a throw-away SQLite one in that AKSI_HOME (migrate, regions
import, catalogue load); with DATABASE_URL it uses (and fills) that one: give it one of its own.
AKSI_BENCH_PROFILE=1 prints a cProfile of the grid requests instead (sorted by
AKSI_BENCH_SORT, default tottime).

Goal: the page costs at most twice the sum of the baselines (before the cells were prepared in
the selector and written without template nodes, it cost 8–26 times as much).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

GOAL = 2  # the page p50 against the sum of the baseline p50s


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _times(function: Callable[[], Any], runs: int) -> list[float]:
    function()  # warm: template and URL caches, the database's pages
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


def _ms(samples: list[float]) -> str:
    return f"{_p(samples, 0.5) * 1000:,.1f} / {_p(samples, 0.95) * 1000:,.1f} ms"


def _setup() -> str:
    home = tempfile.mkdtemp(prefix="aksi-bench-grid-")
    os.environ["AKSI_HOME"] = home
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", f"benchmark-{random.random()}")
    # The test client asks for host "testserver".
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aksi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("regions", "import", verbosity=0)
    call_command("catalogue", "load", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"database ready in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return home


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.entry_grid", description=__doc__)
    parser.add_argument("--district", default="61.05", help="kabupaten code (61.05 Sintang)")
    parser.add_argument("--subdistrict", default="", help="kecamatan code (default: the largest)")
    parser.add_argument("--period", default="2025S2")
    parser.add_argument("--runs", type=int, default=30)
    options = parser.parse_args(argv)
    home = _setup()
    try:
        _run(options.district, options.subdistrict, options.period, options.runs)
        return 0
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _run(district: str, subdistrict_code: str, period: str, runs: int) -> dict[str, str]:
    from django.db import connection, reset_queries
    from django.db.models import Count
    from django.template import engines
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from aksi.accounts.models import Role, RoleAssignment, User
    from aksi.regions.models import Level, Region
    from aksi.reporting import selectors
    from aksi.synth.services import synth_generate

    year = int(period[:4])
    started = time.perf_counter()
    synth_generate(size="kabupaten", region_code=district, seed=1, years=[year], replace=True)
    print(f"synthetic data in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    subdistricts = Region.objects.filter(parent_id=district, level=Level.SUBDISTRICT)
    if subdistrict_code:
        subdistrict = subdistricts.get(code=subdistrict_code)
    else:
        subdistrict = subdistricts.annotate(desa=Count("children")).order_by("-desa", "code")[0]
    user, _created = User.objects.get_or_create(username="bench_grid_operator")
    RoleAssignment.objects.get_or_create(user=user, role=Role.OPERATOR, region=subdistrict)
    client = Client()
    client.force_login(user)
    url = reverse("reporting:grid", args=[period, subdistrict.code])

    def page() -> bytes:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response.content

    def index() -> None:
        assert client.get(reverse("reporting:entry")).status_code == 200

    def raw_selectors() -> list[Any]:
        # The page's data as rows of model instances (what the Excel template takes too).
        indicators = selectors.entry_indicators(
            user=user, year=year, subdistrict=subdistrict, period=period
        )
        return selectors.entry_grid(subdistrict=subdistrict, indicators=indicators, period=period)

    rows = raw_selectors()
    cells = sum(len(row.cells) for row in rows)
    numbers = [
        [row.village.name, [value.numerator if value else "" for _i, value in row.cells]]
        for row in rows
    ]
    trivial = engines["django"].from_string(
        "<table>{% for name, cells in rows %}<tr><th>{{ name }}</th>{% for n in cells %}"
        "<td>{{ n }}</td>{% endfor %}</tr>{% endfor %}</table>"
    )

    body = page()
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        page()
    query_count = len(queries)  # now: the log is reset by every request after this one
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content).count(b'class="cell-state') == cells
    if os.environ.get("AKSI_BENCH_PROFILE"):
        import cProfile

        cProfile.runctx(
            "for _ in range(5): page()",
            globals(),
            locals(),
            sort=os.environ.get("AKSI_BENCH_SORT", "tottime"),
        )
        return {}

    page_times = _times(page, runs)
    selector_times = _times(raw_selectors, runs)
    trivial_times = _times(lambda: trivial.render({"rows": numbers}), runs)
    index_times = _times(index, runs)
    baseline = _p(selector_times, 0.5) + _p(trivial_times, 0.5) + _p(index_times, 0.5)

    database = connection.vendor
    if database == "sqlite":
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
        "grid": f"{subdistrict.code} {subdistrict.name}, {period}: {len(rows)} desa × "
        f"{cells // max(1, len(rows))} indicators = {cells} cells, {query_count} queries",
        "page p50 / p95": _ms(page_times),
        "page size": f"{len(body) / 1024:,.0f} KB, gzipped {len(zipped.content) / 1024:,.1f} KB",
        "baseline: data (selectors) p50 / p95": _ms(selector_times),
        "baseline: trivial template, same cells": _ms(trivial_times),
        "baseline: /entry/ (fixed page cost)": _ms(index_times),
        "page p50 / sum of the baseline p50s": f"{_p(page_times, 0.5) / baseline:.2f}",
    }
    met = _p(page_times, 0.5) <= GOAL * baseline
    result["goal"] = f"page p50 ≤ {GOAL} × the baselines: {'met' if met else 'not met'}"
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key.ljust(width)}  {value}")
    return result


if __name__ == "__main__":
    raise SystemExit(main())
