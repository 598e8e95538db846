from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from aksi.core.commands import subcommands
from aksi.review import reminders
from aksi.review.selectors import default_period


class Command(BaseCommand):
    help = "Send deadline reminders (e-mail and in-app) for reports not yet submitted."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = subcommands(parser)
        send = sub.add_parser("send", help="Remind before the deadline and when overdue.")
        send.add_argument("--period", help="Reporting period, e.g. 2025 (default: current).")
        send.add_argument(
            "--days-before", type=int, default=7, help="Start reminding this many days before."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = reminders.reminders_send(
            period=options["period"] or default_period(), days_before=options["days_before"]
        )
        self.stdout.write(summary.line())
