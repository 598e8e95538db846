from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aksi.accounts.models import Role
from aksi.core import demo
from aksi.core.commands import subcommands


class Command(BaseCommand):
    help = "Seed the demo (a province, two kab/kota, their units and one account per role)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = subcommands(parser)
        sub.add_parser("seed", help="Create the demo data once and print the demo accounts.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            created, accounts = demo.demo_seed()
        except demo.DemoError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write("Demo created." if created else "Demo already present.")
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (all with password: {demo.DEMO_PASSWORD})")
        for account in accounts:
            where = account.region_code or "nasional"
            unit = f" / {account.unit_short_name}" if account.unit_short_name else ""
            self.stdout.write(
                f"  {account.username:<26} {Role(account.role).label:<22} {where}{unit}"
            )
        self.stdout.write("")
