from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aksi.core.commands import subcommands
from aksi.prevalence import services


class Command(BaseCommand):
    help = "Stunting prevalence: import survey or e-PPGBM files, load the published figures."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = subcommands(parser)
        load = sub.add_parser(
            "load", help="Load the published SSGI/SKI figures shipped with Aksi (idempotent)."
        )
        load.add_argument("--data-dir", type=Path, help="Folder with other files of that layout.")
        imp = sub.add_parser(
            "import",
            help="Import a CSV/XLSX file: every row is checked; any error saves nothing.",
        )
        imp.add_argument("file", type=Path)
        imp.add_argument("--kind", choices=services.KINDS, required=True)
        imp.add_argument(
            "--dry-run", action="store_true", help="Check and list every problem; save nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            for report in services.prevalence_load(data_dir=options["data_dir"]):
                if report.errors:
                    self._errors(report)
                    raise CommandError(report.summary())
                if options["verbosity"] > 0:
                    self.stdout.write(report.summary())
            return
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        with path.open("rb") as upload:
            try:
                report = services.prevalence_file_import(
                    upload=upload,
                    name=path.name,
                    kind=options["kind"],
                    actor_label="aksi prevalence import",
                    apply=not options["dry_run"],
                )
            except services.ImportRefused as refused:
                self._errors(refused.report)
                raise CommandError(refused.report.summary()) from None
        self._errors(report)
        if options["verbosity"] > 0 or report.errors:
            self.stdout.write(report.summary())
        if report.errors:
            raise CommandError(report.summary())

    def _errors(self, report: services.ImportReport) -> None:
        for error in report.sorted_errors:
            where = f"row {error.row}" if error.row else "file"
            column = f", {error.column}" if error.column else ""
            self.stderr.write(f"{where}{column}: {error.reason}")
