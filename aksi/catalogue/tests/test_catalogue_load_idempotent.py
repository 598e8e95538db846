from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from aksi.catalogue import services
from aksi.catalogue.models import CatalogueLoad, Indicator, IndicatorCatalogue
from aksi.core.models import AuditEvent, AuditEventType

pytestmark = pytest.mark.django_db


def test_it_does_nothing_when_the_files_are_unchanged(
    django_assert_max_num_queries: Any,
) -> None:
    audits = AuditEvent.objects.count()
    loads = CatalogueLoad.objects.count()
    # last load's fingerprint, the catalogue years present
    with django_assert_max_num_queries(2):
        result = services.catalogue_load()
    assert result.unchanged
    assert not result.changed
    assert AuditEvent.objects.count() == audits
    assert CatalogueLoad.objects.count() == loads


def test_it_changes_nothing_when_forced_to_compare_every_row() -> None:
    catalogue = IndicatorCatalogue.objects.get(year=2025)
    before = list(Indicator.objects.filter(catalogue=catalogue).values())
    audits = AuditEvent.objects.count()
    result = services.catalogue_load(force=True)
    assert not result.changed, result.changes
    assert AuditEvent.objects.count() == audits
    assert list(Indicator.objects.filter(catalogue=catalogue).values()) == before


def test_the_command_says_already_up_to_date_on_a_second_run() -> None:
    out = StringIO()
    call_command("catalogue", "load", stdout=out)
    assert "already up to date" in out.getvalue()


def test_the_first_load_wrote_one_audit_event() -> None:
    # The session set-up loaded the catalogue once into an empty database.
    events = AuditEvent.objects.filter(event_type=AuditEventType.CATALOGUE_LOADED)
    assert events.count() == 1
    event = events.get()
    assert event.actor is None
    assert event.actor_label == "aksi catalogue load"
    assert event.data["created"]["indicators"] == 31
