from __future__ import annotations

import pytest
from django.db.models import F

from aksi.prevalence.demo import DEMO_PERIODS, prevalence_demo_seed
from aksi.prevalence.models import AdministrativeCount
from aksi.regions.models import Level, Region

pytestmark = pytest.mark.django_db


def test_it_gives_every_demo_desa_plausible_counts_once() -> None:
    written = prevalence_demo_seed()
    villages = Region.objects.filter(
        district_code__in=["52.03", "52.71"], level=Level.VILLAGE, valid_to__isnull=True
    ).count()
    assert written == villages * len(DEMO_PERIODS)
    counts = AdministrativeCount.objects.all()
    assert not counts.filter(measured_count__lt=F("stunted_count") + F("severely_stunted_count"))
    totals = [(c.stunted_count + c.severely_stunted_count) / c.measured_count for c in counts]
    assert 0.08 < sum(totals) / len(totals) < 0.2
    assert counts.filter(measured_count__lt=30).exists()  # the low-N flag has something to show
    assert prevalence_demo_seed() == 0
