"""Excel upload of a whole kabupaten: read + validate + apply through the real service.

Builds the template of every kecamatan of one kabupaten (default 16.07 Kab. Banyuasin, 313
desa) for all village indicators, fills every numerator and denominator, then times
`excel.template_read` + `imports.coverage_values_import(apply=True)` per kecamatan, against a
baseline measured in the same run: a bare openpyxl read-only read of the same files.

    python -m benchmarks [--district 16.07] [--period 2025]

Without DATABASE_URL it sets up a throw-away SQLite database under a temporary AKSI_HOME
(migrate, regions import, catalogue load); with DATABASE_URL it migrates and loads that one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import random
import shutil
import sys
import tempfile
import time
import tracemalloc
from typing import Any


def _setup() -> str | None:
    home = None
    if not os.environ.get("DATABASE_URL"):
        home = tempfile.mkdtemp(prefix="aksi-bench-")
        os.environ["AKSI_HOME"] = home
    # As in production: DEBUG off, so Django does not keep every query it ran.
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", f"benchmark-{random.random()}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aksi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("regions", "import", verbosity=0)
    call_command("catalogue", "load", verbosity=0)
    print(f"database ready in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return home


def _filled_templates(user: Any, district: str, period: str) -> list[tuple[Any, bytes]]:

    from aksi.regions.models import Level
    from aksi.regions.selectors import active_regions
    from aksi.reporting import excel, selectors

    indicators = selectors.entry_indicators(user=user, year=int(period[:4]))
    files = []
    subdistricts = active_regions().filter(parent_id=district, level=Level.SUBDISTRICT)
    for subdistrict in subdistricts.order_by("code"):
        rows = selectors.entry_grid(subdistrict=subdistrict, indicators=indicators, period=period)
        data = excel.template_build(
            subdistrict=subdistrict, period=period, indicators=indicators, rows=rows
        )
        files.append((subdistrict, _fill(data, indicators)))
    return files


def _filled_district(user: Any, district: str, period: str) -> list[tuple[Any, bytes]]:
    """The kabupaten's one file (as its OPD download it), filled the same way."""
    from aksi.regions.models import Region
    from aksi.reporting import excel, selectors

    region = Region.objects.get(code=district)
    indicators = selectors.entry_indicators(user=user, year=int(period[:4]))
    kecamatan = selectors.district_subdistricts(district=region)
    rows = []
    for subdistrict in kecamatan:
        rows += selectors.entry_grid(subdistrict=subdistrict, indicators=indicators, period=period)
    data = excel.template_build(
        subdistrict=region,
        period=period,
        indicators=indicators,
        rows=rows,
        subdistrict_names={k.code: k.name for k in kecamatan},
    )
    return [(region, _fill(data, indicators))]


def _fill(data: bytes, indicators: list[Any]) -> bytes:
    """Every numerator and denominator of a template, a third typed as text the Indonesian
    way (1.234), as people do; the same numbers for the same rows every run."""
    from openpyxl import load_workbook

    from aksi.reporting import excel

    binary = {2 * i + 3 for i, ind in enumerate(indicators) if ind.is_binary}
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook[excel.DATA_SHEET]
    for row in range(excel.FIRST_DATA_ROW, sheet.max_row + 1):
        rng = random.Random(f"16|{sheet.cell(row, 1).value}")
        for column in range(3, 3 + 2 * len(indicators), 2):
            if column in binary:
                sheet.cell(row, column, rng.randint(0, 1))
                continue
            denominator = rng.randint(1, 5000)
            numerator = rng.randint(0, denominator)
            typed = f"{numerator:,}".replace(",", ".") if row % 3 else numerator
            sheet.cell(row, column, typed)
            sheet.cell(row, column + 1, denominator)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _baseline(files: list[tuple[Any, bytes]]) -> int:
    from openpyxl import load_workbook

    cells = 0
    for _subdistrict, data in files:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        for row in workbook["Data"].iter_rows(min_row=3, values_only=True):
            cells += sum(1 for value in row[2:] if value is not None)
        workbook.close()
    return cells


ROLLUP_SECONDS = [0.0]


def _time_rollups() -> None:
    """Wrap the analytics rollup call the import makes, to report its share of the time."""
    from aksi.reporting import imports

    real = imports.rollups_apply

    def timed(changes: Any) -> None:
        started = time.perf_counter()
        real(list(changes))
        ROLLUP_SECONDS[0] += time.perf_counter() - started

    imports.rollups_apply = timed


def _pipeline(user: Any, files: list[tuple[Any, bytes]], period: str) -> tuple[int, int, int]:
    from aksi.reporting import excel, imports

    values = written = invalid = 0
    for subdistrict, data in files:
        upload = excel.template_read(data, name="isian.xlsx")
        report = imports.coverage_values_import(
            actor=user, subdistrict=subdistrict, period=period, cells=upload.pairs, apply=True
        )
        counts = report.counts
        values += counts["new"] + counts["changed"] + counts["unchanged"]
        invalid += counts["invalid"]
        written += report.written
    return values, written, invalid


def _timed(function: Any, *args: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--district", default="16.07", help="kabupaten code (16.07 Banyuasin)")
    parser.add_argument("--period", default="2025")
    options = parser.parse_args(argv)
    home = _setup()
    try:
        _run(options.district, options.period)
        return 0
    finally:
        if home:
            shutil.rmtree(home, ignore_errors=True)


def _run(district: str, period: str, *, quiet: bool = False) -> dict[str, str]:
    from django.db import connection

    from aksi.accounts.models import Role, RoleAssignment, User
    from aksi.analytics.models import CoverageRollup
    from aksi.regions.models import Level, Region
    from aksi.reporting.models import CoverageValue, CoverageValueChange

    user, _created = User.objects.get_or_create(username="bench_operator")
    RoleAssignment.objects.get_or_create(
        user=user, role=Role.OPERATOR, region=Region.objects.get(code=district)
    )
    files, build_seconds = _timed(_filled_templates, user, district, period)
    whole = _filled_district(user, district, period)
    desa = Region.objects.filter(district_code=district, level=Level.VILLAGE).count()
    size = sum(len(data) for _s, data in files)
    print(
        f"{len(files)} kecamatan files, {desa} desa, {size / 1024:.0f} KB, "
        f"built in {build_seconds:.1f} s",
        file=sys.stderr,
    )

    _time_rollups()
    baseline_cells, baseline_seconds = _timed(_baseline, whole)
    if os.environ.get("AKSI_BENCH_PROFILE"):
        import cProfile

        cProfile.runctx("_pipeline(user, whole, period)", globals(), locals(), sort="tottime")
        return {}

    def empty() -> None:
        # The period's rollups go too, or the next pass would add its values a second time.
        CoverageValueChange.objects.filter(value__period=period).delete()
        CoverageValue.objects.filter(period=period).delete()
        CoverageRollup.objects.filter(period=period).delete()

    # Kecamatan by kecamatan (21 files), then the kabupaten's one file on an empty period.
    (by_kecamatan, _w, invalid), kecamatan_seconds = _timed(_pipeline, user, files, period)
    assert invalid == 0, "the generated files must be valid"
    empty()
    ROLLUP_SECONDS[0] = 0.0
    (values, written, invalid), seconds = _timed(_pipeline, user, whole, period)
    rollup_seconds = ROLLUP_SECONDS[0]
    (again, rewritten, _i), again_seconds = _timed(_pipeline, user, whole, period)
    assert invalid == 0, "the generated files must be valid"
    assert rewritten == 0, "re-applying the same files must write nothing"

    # Peak memory: the same work on an empty table again, traced (tracemalloc slows it down, so
    # it is a separate run from the timed one).
    empty()
    tracemalloc.start()
    _pipeline(user, whole, period)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    rate = values / seconds
    baseline_rate = baseline_cells / baseline_seconds
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
        "size": f"{district}: one file of {desa} desa ({len(files)} kec), {values:,} values, "
        f"{len(whole[0][1]) / 1024:.0f} KB xlsx",
        "values/s": f"{rate:,.0f}",
        "values/s kecamatan by kecamatan": f"{by_kecamatan / kecamatan_seconds:,.0f}",
        "baseline (openpyxl read) values/s": f"{baseline_rate:,.0f}",
        "ratio": f"{rate / baseline_rate:.2f}",
        "rollups_apply share": f"{rollup_seconds:.2f} s of {seconds:.2f} s",
        "values/s without rollups": f"{values / (seconds - rollup_seconds):,.0f}",
        "re-apply values/s": f"{again / again_seconds:,.0f}",
        "peak MB": f"{peak / 1024 / 1024:.1f}",
        "written": f"{written:,}",
    }
    if quiet:
        return result
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key.ljust(width)}  {value}")
    met = rate >= 10_000 and peak < 300 * 1024 * 1024
    print(f"{'target'.ljust(width)}  ≥ 10,000 values/s and < 300 MB: {'met' if met else 'not met'}")
    return result


if __name__ == "__main__":
    raise SystemExit(main())
