from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from aksi.accounts.models import User
from aksi.catalogue import services
from aksi.catalogue.models import Indicator, IndicatorCatalogue, ReportingYear
from aksi.core.models import AuditEvent, AuditEventType

pytestmark = pytest.mark.django_db


def test_it_copies_a_catalogue_as_a_draft_for_the_next_year(
    catalogue_2025: IndicatorCatalogue, central_admin: User
) -> None:
    copy = services.catalogue_copy(source=catalogue_2025, year=2026, actor=central_admin)
    copy.refresh_from_db()
    assert copy.status == IndicatorCatalogue.Status.DRAFT
    assert copy.origin == IndicatorCatalogue.Origin.COPY
    assert copy.copied_from == catalogue_2025
    assert copy.name == "Katalog indikator 2026"
    assert not copy.as_shipped
    assert copy.indicators.count() == 31
    kl06 = copy.indicators.get(code="KL-06")
    assert set(kl06.pillars.values_list("code", flat=True)) == {"P3", "P4"}
    year = ReportingYear.objects.get(year=2026)
    assert year.catalogue == copy
    assert year.status == ReportingYear.Status.PLANNING
    event = AuditEvent.objects.get(event_type=AuditEventType.CATALOGUE_COPIED)
    assert event.actor == central_admin
    assert event.data["reporting_year"]["before"]["catalogue"] is None
    assert event.data["reporting_year"]["after"]["catalogue"] == 2026


def test_it_copies_a_catalogue_without_touching_the_source_year(
    catalogue_2025: IndicatorCatalogue, central_admin: User
) -> None:
    source_rows = list(Indicator.objects.filter(catalogue=catalogue_2025).values())
    source_links = list(
        Indicator.pillars.through.objects.filter(indicator__catalogue=catalogue_2025).values()
    )
    copy = services.catalogue_copy(source=catalogue_2025, year=2026, actor=central_admin)
    services.indicator_update(
        indicator=copy.indicators.get(code="RP-02"),
        actor=central_admin,
        name="Persentase remaja putri yang minum TTD setiap minggu",
        pillars=[],
    )
    assert list(Indicator.objects.filter(catalogue=catalogue_2025).values()) == source_rows
    assert (
        list(Indicator.pillars.through.objects.filter(indicator__catalogue=catalogue_2025).values())
        == source_links
    )
    catalogue_2025.refresh_from_db()
    assert catalogue_2025.status == IndicatorCatalogue.Status.PUBLISHED
    assert catalogue_2025.as_shipped


def test_it_refuses_a_year_that_already_has_a_catalogue(
    draft_2026: IndicatorCatalogue, catalogue_2025: IndicatorCatalogue, central_admin: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.catalogue_copy(source=catalogue_2025, year=2026, actor=central_admin)
    assert caught.value.error_dict["year"][0].code == "taken"


def test_it_refuses_to_copy_backwards_in_time(
    catalogue_2025: IndicatorCatalogue, central_admin: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.catalogue_copy(source=catalogue_2025, year=2024, actor=central_admin)
    assert caught.value.error_dict["year"][0].code == "not_later"
    assert not IndicatorCatalogue.objects.filter(year=2024).exists()
