from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from aksi.api.webhooks import webhooks_deliver
from aksi.core.commands import subcommands


class Command(BaseCommand):
    help = "Send the webhook deliveries that are due (run every minute by a timer)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = subcommands(parser)
        deliver = sub.add_parser("deliver", help="Send due deliveries, retrying failed ones.")
        deliver.add_argument(
            "--loop",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running, looking for due deliveries every SECONDS.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            run = webhooks_deliver()
            self.stdout.write(
                f"Webhooks: {run.delivered} delivered, {run.retrying} to retry, "
                f"{run.failed} failed."
            )
            if not options["loop"]:
                return
            time.sleep(options["loop"])
