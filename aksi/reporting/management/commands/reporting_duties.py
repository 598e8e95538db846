from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aksi.core.commands import subcommands
from aksi.regions.models import Level
from aksi.regions.selectors import active_regions
from aksi.reporting import duties
from aksi.reporting.models import ReportingUnit
from aksi.review.selectors import default_period


class Command(BaseCommand):
    help = "Generate who reports what (reporting duties) from the catalogue and regional units."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = subcommands(parser)
        generate = sub.add_parser("generate", help="Create or refresh the duties of a year.")
        generate.add_argument("--year", type=int, help="Reporting year (default: the open one).")
        generate.add_argument(
            "--district",
            action="append",
            default=[],
            help="Kab/kota code (repeatable); default: every kab/kota that has reporting units.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"] or int(default_period()[:4])
        codes = options["district"] or sorted(
            {code[:5] for code in ReportingUnit.objects.values_list("region_id", flat=True)}
        )
        districts = list(active_regions().filter(code__in=codes, level=Level.DISTRICT))
        missing = set(codes) - {d.code for d in districts}
        if missing:
            raise CommandError(f"Not a kab/kota code: {', '.join(sorted(missing))}")
        for district in districts:
            summary = duties.reporting_duties_generate(actor=None, district=district, year=year)
            self.stdout.write(f"{district.code} {district.name} {year}: {summary}")
