from __future__ import annotations

from decimal import Decimal

import pytest

from aksi.accounts.models import Role
from aksi.accounts.tests.factories import user_with_role
from aksi.catalogue.models import Indicator
from aksi.prevalence.models import AdministrativeCount, SurveyPrevalence
from aksi.regions.models import Region
from aksi.reporting.services import coverage_value_save


@pytest.fixture
def published(db: None) -> None:
    """Survey figures for Indonesia and Jawa Timur; e-PPGBM counts for desa in Kab. Madiun."""
    SurveyPrevalence.objects.create(source="ssgi", year=2024, prevalence=Decimal("19.8"))
    SurveyPrevalence.objects.create(
        region_id="35", source="ssgi", year=2024, prevalence=Decimal("14.7")
    )
    SurveyPrevalence.objects.create(
        region_id="35", source="ski", year=2023, prevalence=Decimal("17.7")
    )
    for code, measured in [("35.19.01.2001", 200), ("35.19.01.2002", 100), ("35.19.02.2001", 9)]:
        AdministrativeCount.objects.create(
            region_id=code,
            period="202408",
            measured_count=measured,
            stunted_count=measured // 10,
            severely_stunted_count=1,
        )


@pytest.fixture
def coverage_entered(db: None) -> None:
    """One coverage value in kecamatan Kebonsari (35.19.01), not verified."""
    operator = user_with_role("op_madiun", Role.OPERATOR, "35.19")
    coverage_value_save(
        actor=operator,
        indicator=Indicator.objects.get(catalogue__year=2025, code="BL-01"),
        region=Region.objects.get(code="35.19.01.2001"),
        period="2025",
        numerator=40,
        denominator=50,
    )
