"""One load-test run as a markdown table: per page type, throughput, p50/p95/p99, errors.

Reads locust's <OUT>/<name>_stats.csv and _failures.csv and the load-average samples that
loadtest/run.sh took during the run. Usage: report.py OUT NAME --users N --workers W
"""

from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

# The pages the goal (p95 <= 300 ms) is about.
GOAL_PAGES = {"entry grid", "cell save", "entry index", "dashboard", "scorecard"}
GOAL_MS = 300


def _loadavg(out: Path, name: str) -> str:
    samples: list[float] = []
    inside = False
    for line in (out / "loadavg.txt").read_text().splitlines():
        parts = line.split()
        if parts[1:] == ["start", name]:
            inside = True
        elif parts[1:] == ["end", name]:
            inside = False
        elif inside and len(parts) == 4:
            samples.append(float(parts[1]))
    if not samples:
        return "n/a"
    mean = sum(samples) / len(samples)
    return f"{min(samples):.2f}–{max(samples):.2f} ({mean:.2f})"


def step_table(out: Path) -> str:
    """One line per run of the folder: the step-up table."""
    keys = ["entry grid", "cell save", "dashboard", "scorecard"]
    lines = [
        "| run | req/s | p50 ms (all) | p95 ms (all) | "
        + " | ".join(f"p95 {k}" for k in keys)
        + " | errors | load average (mean) |",
        "|---|---:|---:|---:|" + "---:|" * len(keys) + "---:|---|",
    ]
    runs = sorted(
        out.glob("*_stats.csv"),
        key=lambda p: int(re.sub(r"\D", "", p.name.split("_")[0]) or 0),
    )
    for path in runs:
        name = path.name.removesuffix("_stats.csv")
        rows = {r["Name"]: r for r in csv.DictReader(path.open())}
        total = rows["Aggregated"]
        errors = sum(int(r["Failure Count"]) for n, r in rows.items() if n != "Aggregated")
        cells = " | ".join(rows[k]["95%"] if k in rows else "–" for k in keys)
        lines.append(
            f"| {name} | {float(total['Requests/s']):.1f} | {total['50%']} | {total['95%']} "
            f"| {cells} | {errors} | {_loadavg(out, name)} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("name", nargs="?")
    parser.add_argument("--users", type=int)
    parser.add_argument("--workers", type=int)
    parser.add_argument("--steps", action="store_true", help="The step-up table of the folder")
    args = parser.parse_args()
    if args.steps:
        print(step_table(args.out))
        return
    rows = list(csv.DictReader((args.out / f"{args.name}_stats.csv").open()))
    lines = [
        f"### {args.name}: {args.users} simulated users, {args.workers} gunicorn workers",
        "",
        "| page type | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    worst = 0.0
    errors = 0
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        name = row["Name"]
        if name in ("login", "login page"):
            continue  # before the statistics reset; a stray one would be a re-login
        p95 = float(row["95%"] or 0)
        if name in GOAL_PAGES:
            worst = max(worst, p95)
        errors += int(row["Failure Count"]) if name != "Aggregated" else 0
        label = "**all**" if name == "Aggregated" else name
        lines.append(
            f"| {label} | {int(row['Request Count']):,} | {float(row['Requests/s']):.1f} "
            f"| {row['50%']} | {row['95%']} | {row['99%']} "
            f"| {float(row['Max Response Time']):.0f} | {row['Failure Count']} |"
        )
    verdict = "met" if worst <= GOAL_MS and errors == 0 else "NOT met"
    lines += [
        "",
        f"Worst p95 of entry and dashboard pages: {worst:.0f} ms; errors: {errors}; "
        f"goal (p95 <= {GOAL_MS} ms, zero errors) {verdict}. "
        f"1-min load average min–max (mean): {_loadavg(args.out, args.name)}.",
    ]
    failures = args.out / f"{args.name}_failures.csv"
    if failures.exists():
        failed = list(csv.DictReader(failures.open()))
        if failed:
            lines += ["", "Failures:", ""]
            lines += [
                f"- {f['Method']} {f['Name']}: {f['Error']} ({f['Occurrences']}×)" for f in failed
            ]
    print("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
