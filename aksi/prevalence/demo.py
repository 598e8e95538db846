"""Invented e-PPGBM counts for the demo desa (all desa of the demo kab/kota in NTB).

Plausible, not real: under-fives per desa from a few hundred (Lombok Timur) to about a thousand
(Mataram kelurahan), 75–98% measured, administrative prevalence around 13–17% and slowly
falling, a quarter of it severe — well below the survey's 24.6% for NTB (SKI 2023), as the real
e-PPGBM figures are. Two desa get very few children measured so that the low-N flag shows.
Deterministic and idempotent: a second run writes nothing.
"""

from __future__ import annotations

import random

from aksi.core.demo import DEMO_DISTRICTS
from aksi.prevalence import services
from aksi.prevalence.models import AdministrativeCount
from aksi.prevalence.readers import AdministrativeRow
from aksi.regions.models import Level
from aksi.regions.selectors import active_regions

# Weighing months (bulan timbang): February and August.
DEMO_PERIODS = ("202402", "202408", "202502", "202508")
LOW_N_VILLAGES = 2


def _rows() -> list[AdministrativeRow]:
    villages = list(
        active_regions()
        .filter(district_code__in=list(DEMO_DISTRICTS), level=Level.VILLAGE)
        .order_by("code")
        .values_list("code", "district_code")
    )
    rows: list[AdministrativeRow] = []
    number = 1
    for index, (code, district) in enumerate(villages):
        rng = random.Random(code)  # the same numbers on every machine
        city = district == "52.71"
        targeted = rng.randint(600, 1300) if city else rng.randint(180, 650)
        base = rng.uniform(9.0, 22.0) if not city else rng.uniform(7.0, 15.0)
        low_n = index % 97 == 5 and index // 97 < LOW_N_VILLAGES
        for step, period in enumerate(DEMO_PERIODS):
            number += 1
            if low_n:
                measured = rng.randint(1, 12)
            else:
                measured = round(targeted * rng.uniform(0.75, 0.98))
            rate = max(base - 0.6 * step + rng.uniform(-1.5, 1.5), 1.0) / 100
            all_stunted = min(round(measured * rate), measured)
            severe = round(all_stunted * rng.uniform(0.18, 0.32))
            rows.append(
                AdministrativeRow(
                    row=number,
                    region_code=code,
                    period=period,
                    targeted=targeted,
                    measured=measured,
                    stunted=all_stunted - severe,
                    severely_stunted=severe,
                )
            )
    return rows


def prevalence_demo_seed() -> int:
    """Write the demo counts unless the demo desa already have some; returns rows written."""
    if AdministrativeCount.objects.filter(
        region__district_code__in=list(DEMO_DISTRICTS), period__in=DEMO_PERIODS
    ).exists():
        return 0
    report = services.administrative_import(
        rows=_rows(), file_name="demo", actor_label="aksi demo seed", apply=True
    )
    return report.new
