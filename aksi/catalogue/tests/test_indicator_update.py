from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from aksi.accounts.models import User
from aksi.catalogue import services
from aksi.catalogue.models import IndicatorCatalogue, Pillar, TargetGroup
from aksi.core.models import AuditEvent, AuditEventType

pytestmark = pytest.mark.django_db


def test_it_changes_an_indicator_of_a_draft_with_an_audit_of_before_and_after(
    draft_2026: IndicatorCatalogue, central_admin: User
) -> None:
    indicator = draft_2026.indicators.get(code="RP-02")
    services.indicator_update(
        indicator=indicator,
        actor=central_admin,
        national_target=Decimal("80"),
        target_year=2026,
        pillars=list(Pillar.objects.filter(code__in=["P3", "P4"])),
    )
    indicator.refresh_from_db()
    assert indicator.national_target == Decimal("80")
    assert indicator.target_year == 2026
    assert set(indicator.pillars.values_list("code", flat=True)) == {"P3", "P4"}
    event = AuditEvent.objects.get(event_type=AuditEventType.INDICATOR_UPDATED)
    assert event.actor == central_admin
    assert event.data["code"] == "RP-02"
    assert event.data["before"] == {"national_target": "58", "target_year": 2024, "pillars": ["P3"]}
    assert event.data["after"] == {
        "national_target": "80",
        "target_year": 2026,
        "pillars": ["P3", "P4"],
    }


def test_it_refuses_to_change_a_published_catalogue(
    catalogue_2025: IndicatorCatalogue, central_admin: User
) -> None:
    indicator = catalogue_2025.indicators.get(code="RP-02")
    with pytest.raises(ValidationError) as caught:
        services.indicator_update(indicator=indicator, actor=central_admin, name="Lain")
    assert caught.value.code == "published"
    assert "Katalog indikator 2025" in caught.value.messages[0]
    indicator.refresh_from_db()
    assert indicator.name.startswith("Persentase remaja putri")
    assert not AuditEvent.objects.filter(event_type=AuditEventType.INDICATOR_UPDATED).exists()


def test_it_marks_a_shipped_draft_as_changed_in_the_app(central_admin: User) -> None:
    catalogue = IndicatorCatalogue.objects.get(year=2025)
    IndicatorCatalogue.objects.filter(pk=catalogue.pk).update(status="draft")
    services.indicator_update(
        indicator=catalogue.indicators.get(code="BL-06"),
        actor=central_admin,
        target_group=TargetGroup.objects.get(code="child_24_59_months"),
    )
    catalogue.refresh_from_db()
    assert catalogue.as_shipped is False


def test_it_writes_nothing_when_nothing_changes(
    draft_2026: IndicatorCatalogue, central_admin: User
) -> None:
    indicator = draft_2026.indicators.get(code="RP-02")
    services.indicator_update(indicator=indicator, actor=central_admin, name=indicator.name)
    assert not AuditEvent.objects.filter(event_type=AuditEventType.INDICATOR_UPDATED).exists()


def test_it_names_the_field_of_an_invalid_value(
    draft_2026: IndicatorCatalogue, central_admin: User
) -> None:
    indicator = draft_2026.indicators.get(code="RP-02")
    with pytest.raises(ValidationError) as caught:
        services.indicator_update(indicator=indicator, actor=central_admin, direction="up")
    assert list(caught.value.message_dict) == ["direction"]
    with pytest.raises(ValidationError) as caught:
        services.indicator_update(indicator=indicator, actor=central_admin, sectors=["army"])
    assert list(caught.value.message_dict) == ["sectors"]
    indicator.refresh_from_db()
    assert indicator.direction == "higher"


def test_it_refuses_fields_that_are_not_editable(
    draft_2026: IndicatorCatalogue, central_admin: User
) -> None:
    with pytest.raises(TypeError, match="code"):
        services.indicator_update(
            indicator=draft_2026.indicators.get(code="RP-02"), actor=central_admin, code="RP-99"
        )
