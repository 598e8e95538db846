from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aksi.core.commands import subcommands
from aksi.regions import boundaries
from aksi.regions.models import Level

LEVEL_ARGUMENTS = {"provinsi": Level.PROVINCE, "kabupaten": Level.DISTRICT}
LEVEL_LABELS = {Level.PROVINCE: "provinsi", Level.DISTRICT: "kabupaten/kota"}


class Command(BaseCommand):
    help = "Import region boundaries for the maps, or check the stored ones."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = subcommands(parser)
        imp = sub.add_parser(
            "import",
            help="Import boundaries (GeoJSON or TopoJSON keyed by Kemendagri code in `kode`).",
        )
        imp.add_argument(
            "file",
            nargs="*",
            type=Path,
            help="Boundary file(s); default: the province and kab/kota files shipped with Aksi.",
        )
        imp.add_argument(
            "--level",
            choices=sorted(LEVEL_ARGUMENTS),
            help="Import only the features of this level.",
        )
        sub.add_parser("check", help="Print how many regions have a boundary, and which lack one.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            level = LEVEL_ARGUMENTS[options["level"]] if options["level"] else None
            try:
                result = boundaries.boundaries_import(paths=options["file"] or None, level=level)
            except boundaries.BoundarySourceError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(result.summary())
            return
        check = boundaries.boundaries_check()
        for level, label in LEVEL_LABELS.items():
            with_boundary, total = check.per_level[level]
            self.stdout.write(f"{label:<16}{with_boundary:>5,} / {total:,}")
        if not any(n for n, _total in check.per_level.values()):
            self.stdout.write("No boundaries imported: the maps show a tile grid.")
            return
        if check.retired:
            self.stderr.write(f"boundaries of retired regions: {', '.join(check.retired)}")
        if check.missing:
            shown = ", ".join(check.missing[:20]) + (" …" if len(check.missing) > 20 else "")
            raise CommandError(
                f"{len(check.missing)} province(s) or kab/kota have no boundary: {shown}"
            )
        self.stdout.write("No problems found.")
