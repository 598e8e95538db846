from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aksi.analytics import services
from aksi.core.commands import subcommands


class Command(BaseCommand):
    help = "Rebuild the coverage rollups from the raw values, or check them against a rebuild."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = subcommands(parser)
        for name, text in (
            ("rebuild", "Recompute every rollup from the raw values."),
            ("check", "Compare the stored rollups with a rebuild; change nothing."),
        ):
            action = sub.add_parser(name, help=text)
            action.add_argument("--period", help="Only this period, e.g. 2025 or 2025S1.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rebuild":
            written = services.rollups_rebuild(period=options["period"])
            self.stdout.write(f"Rebuilt {written:,} rollup rows.")
            return
        differences = services.rollups_differences(period=options["period"])
        for line in differences[:50]:
            self.stderr.write(line)
        if differences:
            raise CommandError(f"{len(differences):,} rollup rows differ from a rebuild.")
        self.stdout.write("Rollups match the raw values.")
