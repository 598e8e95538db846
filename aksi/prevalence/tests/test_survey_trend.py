from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from aksi.prevalence import charts, selectors
from aksi.prevalence.models import SurveyPrevalence
from aksi.regions.models import Region

pytestmark = pytest.mark.django_db


def _figure(code: str | None, source: str, year: int, value: str) -> None:
    SurveyPrevalence.objects.create(
        region_id=code, source=source, year=year, prevalence=Decimal(value)
    )


def test_it_keeps_each_survey_its_own_series_and_draws_the_open_targets() -> None:
    _figure(None, "ssgi", 2022, "21.6")
    _figure(None, "ski", 2023, "21.5")
    _figure(None, "ssgi", 2024, "19.8")
    _figure("52", "ssgi", 2022, "32.7")
    trend = selectors.survey_trend(region=None)
    assert trend.years == [2022, 2023, 2024]
    assert trend.series == {"SSGI": [21.6, None, 19.8], "SKI": [None, 21.5, None]}
    # The catalogue's national targets after the latest national survey (2024), within 5 years.
    with translation.override("en"):
        assert trend.target_lines == {"National target 2025": 18.8, "National target 2029": 14.2}
    assert trend.latest is not None
    assert trend.latest.prevalence == Decimal("19.8")


def test_a_province_trend_holds_only_that_province() -> None:
    _figure(None, "ssgi", 2022, "21.6")
    _figure("52", "ssgi", 2022, "32.7")
    _figure("53", "ssgi", 2022, "35.3")
    trend = selectors.survey_trend(region=Region.objects.get(code="52"))
    assert [(f.region_id, f.prevalence) for f in trend.figures] == [("52", Decimal("32.7"))]


def test_the_chart_describes_the_same_numbers_as_the_table() -> None:
    _figure("52", "ssgi", 2021, "31.4")
    _figure("52", "ski", 2023, "24.6")
    with translation.override("id"):
        svg = str(charts.survey_chart(selectors.survey_trend(region=Region.objects.get(code="52"))))
    assert 'role="img"' in svg
    assert "SSGI — 2021: 31,4%." in svg
    assert "SKI — 2023: 24,6%." in svg
    assert "18,8%" in svg


def test_the_children_table_has_one_column_per_survey_and_year() -> None:
    _figure("52", "ssgi", 2022, "32.7")
    _figure("52", "ski", 2023, "24.6")
    _figure("53", "ssgi", 2022, "35.3")
    children = selectors.survey_children(region=None)
    assert children.columns == [("SSGI", 2022), ("SKI", 2023)]
    rows = {
        region.code: [c.prevalence if c else None for c in cells] for region, cells in children.rows
    }
    assert rows["52"] == [Decimal("32.7"), Decimal("24.6")]
    assert rows["53"] == [Decimal("35.3"), None]
    assert rows["11"] == [None, None]
