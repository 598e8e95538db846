from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from aksi.accounts.models import User
from aksi.catalogue import services
from aksi.catalogue.models import IndicatorCatalogue
from aksi.core.models import AuditEvent, AuditEventType

pytestmark = pytest.mark.django_db


def test_it_publishes_a_draft(draft_2026: IndicatorCatalogue, central_admin: User) -> None:
    services.catalogue_publish(catalogue=draft_2026, actor=central_admin)
    draft_2026.refresh_from_db()
    assert draft_2026.status == IndicatorCatalogue.Status.PUBLISHED
    assert draft_2026.published_at is not None
    event = AuditEvent.objects.get(event_type=AuditEventType.CATALOGUE_PUBLISHED)
    assert event.data["before"] == {"status": "draft"}
    assert event.data["after"]["status"] == "published"


def test_a_published_copy_refuses_further_edits(
    draft_2026: IndicatorCatalogue, central_admin: User
) -> None:
    services.catalogue_publish(catalogue=draft_2026, actor=central_admin)
    with pytest.raises(ValidationError) as caught:
        services.indicator_update(
            indicator=draft_2026.indicators.get(code="IB-01"), actor=central_admin, name="X"
        )
    assert caught.value.code == "published"


def test_it_refuses_to_publish_twice(
    catalogue_2025: IndicatorCatalogue, central_admin: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.catalogue_publish(catalogue=catalogue_2025, actor=central_admin)
    assert caught.value.code == "already_published"
