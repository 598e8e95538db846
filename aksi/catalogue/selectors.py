from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from aksi.catalogue.models import IndicatorCatalogue, ReportingYear


@dataclass(frozen=True)
class CatalogueSummary:
    year: int
    name: str
    indicator_count: int
    framework_name: str


def current_catalogue_summary() -> CatalogueSummary | None:
    """The catalogue of the current reporting year, or the latest one before it."""
    this_year = timezone.localdate().year
    reporting_year = (
        ReportingYear.objects.filter(year__lte=this_year, catalogue__isnull=False)
        .select_related("framework", "catalogue")
        .order_by("-year")
        .first()
    )
    if reporting_year is None or reporting_year.catalogue is None:
        return None
    catalogue: IndicatorCatalogue = reporting_year.catalogue
    return CatalogueSummary(
        year=catalogue.year,
        name=catalogue.name,
        indicator_count=catalogue.indicators.count(),
        framework_name=reporting_year.framework.name,
    )
