from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aksi.catalogue import services
from aksi.catalogue.datafiles import CatalogueDataError
from aksi.core.commands import subcommands


class Command(BaseCommand):
    help = "Load the shipped catalogue data: frameworks, pillars, target groups, indicators."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = subcommands(parser)
        load = sub.add_parser(
            "load", help="Load or update the catalogue from its data files (idempotent)."
        )
        load.add_argument(
            "--data-dir",
            type=Path,
            help="Folder with frameworks.toml, pillars.toml, target_groups.toml, targets.toml "
            "and indicators_<year>.csv; default: the files shipped with Aksi.",
        )
        load.add_argument(
            "--force",
            action="store_true",
            help="Compare every row even when the files are unchanged since the last load.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = services.catalogue_load(data_dir=options["data_dir"], force=options["force"])
        except CatalogueDataError as exc:
            raise CommandError(str(exc)) from None
        for notice in result.notices:
            self.stderr.write(self.style.WARNING(f"notice: {notice}"))
        if options["verbosity"] > 0:
            self.stdout.write(result.summary())
