from __future__ import annotations

from argparse import ArgumentParser, BooleanOptionalAction
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aksi.synth import services


def _years(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise CommandError(f"--years takes years separated by commas, not {text!r}.") from None


class Command(BaseCommand):
    help = (
        "Generate a reproducible synthetic dataset (coverage values and target-group counts "
        "of both semesters, submissions in every state, users for every region) for a "
        "kabupaten, a province or the whole country, then recompute its rollups."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--size", choices=services.SIZES, default="kabupaten")
        parser.add_argument(
            "--region",
            help="Code of the kabupaten or province (default 35.19 Kab. Madiun, 35 Jawa Timur).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data.")
        parser.add_argument(
            "--years", type=_years, help="e.g. 2025,2026 (default: every year with a catalogue)."
        )
        parser.add_argument(
            "--users",
            action=BooleanOptionalAction,
            default=True,
            help="Create an account for every region (default) or none.",
        )
        parser.add_argument(
            "--periods",
            choices=list(services.PERIOD_PARTS),
            default="semesters",
            help="Both semesters (default), the year, or all three periods of each year.",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the scope's values, counts and submissions of those periods first.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = services.synth_generate(
                size=options["size"],
                region_code=options["region"],
                seed=options["seed"],
                years=options["years"],
                users=options["users"],
                replace=options["replace"],
                periods=options["periods"],
            )
        except services.SynthError as error:
            raise CommandError(str(error)) from None
        for notice in result.notices:
            self.stderr.write(self.style.WARNING(f"notice: {notice}"))
        if options["verbosity"] > 0:
            self.stdout.write(result.summary())
