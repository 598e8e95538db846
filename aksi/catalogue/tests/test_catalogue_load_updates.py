from __future__ import annotations

from pathlib import Path

import pytest

from aksi.accounts.models import User
from aksi.catalogue import services
from aksi.catalogue.models import Indicator, IndicatorCatalogue, ReportingYear
from aksi.catalogue.tests.conftest import replace_in
from aksi.core.models import AuditEvent, AuditEventType

pytestmark = pytest.mark.django_db

OLD_NAME = "Persentase bayi baru lahir yang mendapat Inisiasi Menyusu Dini (IMD)"
NEW_NAME = "Persentase bayi baru lahir yang mendapat IMD dalam 1 jam pertama"


def test_it_updates_an_as_shipped_catalogue_from_a_changed_file(data_dir: Path) -> None:
    replace_in(data_dir / "indicators_2025.csv", OLD_NAME, NEW_NAME)
    result = services.catalogue_load(data_dir=data_dir)
    assert result.updated["indicators"] == 1
    assert sum(result.created.values()) == 0
    indicator = Indicator.objects.get(catalogue__year=2025, code="BD-01")
    assert indicator.name == NEW_NAME
    event = AuditEvent.objects.filter(event_type=AuditEventType.CATALOGUE_LOADED).first()
    assert event is not None
    change = next(c for c in event.data["changes"] if c["key"] == "2025/BD-01")
    assert change["before"] == {"name": OLD_NAME}
    assert change["after"] == {"name": NEW_NAME}


def test_it_leaves_a_catalogue_changed_in_the_app_alone(
    data_dir: Path, central_admin: User
) -> None:
    catalogue = IndicatorCatalogue.objects.get(year=2025)
    IndicatorCatalogue.objects.filter(pk=catalogue.pk).update(as_shipped=False)
    replace_in(data_dir / "indicators_2025.csv", OLD_NAME, NEW_NAME)
    result = services.catalogue_load(data_dir=data_dir)
    assert any("Catalogue 2025 was changed in the app" in n for n in result.notices)
    assert Indicator.objects.get(catalogue=catalogue, code="BD-01").name == OLD_NAME


def test_it_removes_an_indicator_dropped_from_an_as_shipped_file(data_dir: Path) -> None:
    path = data_dir / "indicators_2025.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("RT-05,")))
    result = services.catalogue_load(data_dir=data_dir)
    assert result.deleted["indicators"] == 1
    assert Indicator.objects.filter(catalogue__year=2025).count() == 30


def test_it_keeps_the_catalogue_the_app_attached_to_a_year(
    data_dir: Path, draft_2026: IndicatorCatalogue
) -> None:
    replace_in(data_dir / "targets.toml", 'note = "Tidak tercapai', 'note = "Belum tercapai')
    services.catalogue_load(data_dir=data_dir)
    year = ReportingYear.objects.get(year=2026)
    assert year.catalogue == draft_2026
    assert year.status == ReportingYear.Status.PLANNING


def test_a_file_never_turns_a_published_catalogue_back_into_a_draft(data_dir: Path) -> None:
    replace_in(data_dir / "indicators_2025.csv", "# status: published", "# status: draft")
    services.catalogue_load(data_dir=data_dir)
    catalogue = IndicatorCatalogue.objects.get(year=2025)
    assert catalogue.status == IndicatorCatalogue.Status.PUBLISHED
