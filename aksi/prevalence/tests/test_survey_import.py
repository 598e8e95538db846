from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from aksi.accounts.tests.factories import region_admin
from aksi.core.models import AuditEvent
from aksi.prevalence import services
from aksi.prevalence.models import SurveyPrevalence
from aksi.prevalence.tests.helpers import SURVEY_HEADER, csv_bytes

pytestmark = pytest.mark.django_db


def _import(*lines: str, actor: object = None, apply: bool) -> services.ImportReport:
    return services.prevalence_file_import(
        upload=csv_bytes(SURVEY_HEADER, *lines),
        name="survei.csv",
        kind=services.SURVEY,
        actor=actor,
        apply=apply,
    )


def test_it_saves_national_and_regional_figures_apart(central_admin: object) -> None:
    _import("ID,2024,SSGI,19.8,,", "35,2024,SSGI,14.7,,", actor=central_admin, apply=True)
    national = SurveyPrevalence.objects.get(region__isnull=True, year=2024)
    assert national.prevalence == Decimal("19.8")
    assert SurveyPrevalence.objects.get(region_id="35").prevalence == Decimal("14.7")
    assert AuditEvent.objects.get(event_type="prevalence.imported").data["new"] == 2


def test_a_region_admin_may_not_import_national_figures() -> None:
    admin = region_admin("35")
    with translation.override("en"):
        report = _import("ID,2024,SSGI,19.8,,", "35.19,2024,SSGI,20.1,,", actor=admin, apply=False)
    assert [(e.row, e.reason) for e in report.errors] == [
        (2, "only the central admin imports national figures")
    ]
    with pytest.raises(services.ImportRefused):
        _import("ID,2024,SSGI,19.8,,", "35.19,2024,SSGI,20.1,,", actor=admin, apply=True)
    assert SurveyPrevalence.objects.count() == 0


def test_a_survey_figure_for_a_desa_is_refused() -> None:
    report = _import("35.19.01.2001,2024,SSGI,19.8,,", apply=False)
    assert [(e.row, e.column) for e in report.errors] == [(2, "kode_wilayah")]


def test_an_unchanged_figure_is_not_written_again() -> None:
    _import("35,2023,SKI,17.7,,", apply=True)
    report = _import("35,2023,SKI,17.7,,", "35,2024,SSGI,14.7,,", apply=True)
    assert (report.new, report.changed, report.unchanged) == (1, 0, 1)
    assert AuditEvent.objects.filter(event_type="prevalence.imported").count() == 2
