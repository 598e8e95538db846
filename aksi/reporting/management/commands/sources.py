from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aksi.accounts.models import User
from aksi.core.commands import subcommands
from aksi.reporting.sources import LAYOUTS, source_import


class Command(BaseCommand):
    help = "Import a source-system file (e-PPGBM, BKKBN, Dukcapil) through the entry services."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = subcommands(parser)
        run = sub.add_parser("import", help="Check a file and, without --dry-run, store it.")
        run.add_argument("file", help="CSV or XLSX file (layouts: docs/sources.md)")
        run.add_argument("--layout", required=True, choices=sorted(LAYOUTS))
        run.add_argument(
            "--user", required=True, help="The account the import acts as (scope, audit)."
        )
        run.add_argument("--dry-run", action="store_true", help="Check only; store nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active account '{options['user']}'.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        with path.open("rb") as upload:
            report = source_import(
                actor=user,
                layout=options["layout"],
                upload=upload,
                name=path.name,
                dry_run=options["dry_run"],
            )
        for error in report.errors:
            where = f"row {error.row}" if error.row else "file"
            self.stderr.write(f"{where}, {error.column or '-'}: {error.reason}")
        for conflict in report.conflicts:
            rows = ", ".join(str(i) for i in conflict.indexes)
            self.stderr.write(f"row {rows}, {conflict.object}: {conflict.value}")
        if report.note:
            self.stdout.write(report.note)
        if not report.ok:
            raise CommandError(
                f"{len(report.errors) + len(report.conflicts)} problems: nothing was stored. "
                "Fix the rows above and run again."
            )
        verb = "would store" if report.dry_run else "stored"
        self.stdout.write(
            f"{options['layout']}: {report.rows} rows read; {verb} {report.imported} new, "
            f"{report.updated} changed, {report.unchanged} unchanged."
        )
