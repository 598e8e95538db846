"""The slowest statements of a load-test run, grouped by shape, each SELECT explained.

loadtest/setup.sh sets log_min_duration_statement = 50ms on the load-test database (no server
restart, unlike pg_stat_statements), so the PostgreSQL server log holds every slower statement
with its database name. This reads the log lines of $LOADTEST_DB since --since (UTC, as in the
log), groups them by their text with literals replaced, and runs EXPLAIN (ANALYZE, BUFFERS) on
the slowest example of the top groups. Prints markdown.

Usage: slow_queries.py [--log /var/log/postgresql/postgresql-15-main.log]
                       [--since "2026-11-26 15:40:00"] [--until ...] [--top 8]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field

LINE = re.compile(
    r"^(?P<at>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\.\d+ UTC \[\d+\] \S*@(?P<db>\S+) LOG:  "
    r"duration: (?P<ms>[\d.]+) ms  (?:statement|execute [^:]*): (?P<sql>.*)$"
)
IGNORED = ("EXPLAIN", "CREATE", "DROP", "ANALYZE", "VACUUM", "COPY", "ALTER")
LITERALS = [
    (re.compile(r"'(?:[^']|'')*'(?:::\w+)?"), "?"),
    (re.compile(r"\b\d+(?:\.\d+)?\b"), "?"),
    (re.compile(r"IN \((?:\?, )*\?\)"), "IN (...)"),
]


@dataclass
class Group:
    shape: str
    times: list[float] = field(default_factory=list)
    slowest: tuple[float, str] = (0.0, "")

    def add(self, ms: float, sql: str) -> None:
        self.times.append(ms)
        if ms > self.slowest[0]:
            self.slowest = (ms, sql)


def _shape(sql: str) -> str:
    for pattern, replacement in LITERALS:
        sql = pattern.sub(replacement, sql)
    return sql


def _statements(path: str, db: str, since: str, until: str) -> list[tuple[float, str]]:
    found: list[tuple[float, str]] = []
    current: list[str] | None = None
    ms = 0.0
    with open(path, errors="replace") as log:
        for raw in log:
            line = raw.rstrip("\n")
            if line.startswith("\t") and current is not None:
                current.append(line.strip())
                continue
            if current is not None:
                found.append((ms, " ".join(current)))
                current = None
            match = LINE.match(line)
            if not match or match["db"] != db:
                continue
            if since and match["at"] < since or until and match["at"] > until:
                continue
            if match["sql"].lstrip().upper().startswith(IGNORED):
                continue  # maintenance and our own EXPLAINs, not the application's
            ms = float(match["ms"])
            current = [match["sql"]]
    if current is not None:
        found.append((ms, " ".join(current)))
    return found


def _explain(db: str, sql: str) -> str:
    result = subprocess.run(
        ["psql", "-X", "-q", "-d", db, "-c", "EXPLAIN (ANALYZE, BUFFERS) " + sql],
        capture_output=True,
        text=True,
        check=False,
    )
    return (result.stdout or result.stderr).rstrip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", default="/var/log/postgresql/postgresql-15-main.log")
    parser.add_argument("--db", default=os.environ.get("LOADTEST_DB", "aksi_load"))
    parser.add_argument("--since", default="")
    parser.add_argument("--until", default="")
    parser.add_argument("--top", type=int, default=8)
    args = parser.parse_args()
    groups: dict[str, Group] = defaultdict(lambda: Group(""))
    for ms, sql in _statements(args.log, args.db, args.since, args.until):
        shape = _shape(sql)
        group = groups[shape]
        group.shape = shape
        group.add(ms, sql)
    ranked = sorted(groups.values(), key=lambda g: -sum(g.times))
    print("| # | slow statements | total s | mean ms | max ms | statement (shape) |")
    print("|---:|---:|---:|---:|---:|---|")
    for number, group in enumerate(ranked[: args.top * 2], start=1):
        total = sum(group.times)
        mean = total / len(group.times)
        print(
            f"| {number} | {len(group.times)} | {total / 1000:.1f} | {mean:.0f} "
            f"| {max(group.times):.0f} | `{group.shape[:160]}` |"
        )
    print()
    for number, group in enumerate(ranked[: args.top], start=1):
        sql = group.slowest[1]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        print(f"#### {number}: slowest example ({group.slowest[0]:.0f} ms in the run)\n")
        print("```sql\n" + sql + "\n```\n")
        print("```\n" + _explain(args.db, sql) + "\n```\n")


if __name__ == "__main__":
    main()
