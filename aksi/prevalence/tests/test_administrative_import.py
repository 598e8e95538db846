from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from aksi.accounts.models import Role
from aksi.accounts.tests.factories import region_admin, user_with_role
from aksi.core.models import AuditEvent
from aksi.prevalence import services
from aksi.prevalence.models import AdministrativeCount
from aksi.prevalence.tests.helpers import ADMIN_HEADER, DESA_A, DESA_B, DESA_C, csv_bytes

pytestmark = pytest.mark.django_db


def _import(*lines: str, actor: object = None, apply: bool) -> services.ImportReport:
    return services.prevalence_file_import(
        upload=csv_bytes(ADMIN_HEADER, *lines),
        name="eppgbm.csv",
        kind=services.ADMINISTRATIVE,
        actor=actor,
        actor_label="test",
        apply=apply,
    )


def test_a_dry_run_counts_new_rows_and_saves_nothing() -> None:
    report = _import(f"{DESA_A},202408,300,250,20,5", f"{DESA_B},202408,,100,9,1", apply=False)
    assert (report.rows, report.new, report.changed, report.errors) == (2, 2, 0, [])
    assert not report.applied
    assert AdministrativeCount.objects.count() == 0
    assert not AuditEvent.objects.filter(event_type="prevalence.imported").exists()


def test_apply_saves_every_row_and_records_one_audit_event(central_admin: object) -> None:
    report = _import(
        f"{DESA_A},202408,300,250,20,5",
        f"{DESA_B},202408,,100,9,1",
        actor=central_admin,
        apply=True,
    )
    assert report.applied
    saved = AdministrativeCount.objects.get(region_id=DESA_A, period="202408")
    assert (saved.targeted_count, saved.measured_count) == (300, 250)
    assert (saved.stunted_count, saved.severely_stunted_count) == (20, 5)
    event = AuditEvent.objects.get(event_type="prevalence.imported")
    assert event.actor == central_admin
    assert event.region_code == "35.19.01"  # the common ancestor of the rows
    assert event.data["kind"] == "administrative"
    assert (event.data["new"], event.data["periods"]) == (2, ["202408"])


def test_one_bad_row_saves_nothing_and_every_error_is_listed() -> None:
    with pytest.raises(services.ImportRefused) as refused:
        _import(
            f"{DESA_A},202408,,250,20,5",
            f"{DESA_B},202408,,10,11,0",  # pendek > measured
            "35.19.01.9999,202408,,10,1,0",  # no such desa
            "35.19.01,202408,,10,1,0",  # a kecamatan
            apply=True,
        )
    errors = [(e.row, e.column) for e in refused.value.report.sorted_errors]
    assert errors == [(3, "pendek"), (4, "kode_wilayah"), (5, "kode_wilayah")]
    assert AdministrativeCount.objects.count() == 0
    assert not AuditEvent.objects.filter(event_type="prevalence.imported").exists()


def test_a_second_import_replaces_changed_rows_and_leaves_the_rest() -> None:
    _import(f"{DESA_A},202408,,250,20,5", f"{DESA_B},202408,,100,9,1", apply=True)
    report = _import(
        f"{DESA_A},202408,,250,20,5",
        f"{DESA_B},202408,,110,9,1",
        f"{DESA_C},202408,,5,0,0",
        apply=True,
    )
    assert (report.new, report.changed, report.unchanged) == (1, 1, 1)
    assert AdministrativeCount.objects.get(region_id=DESA_B).measured_count == 110
    assert AdministrativeCount.objects.count() == 3


def test_a_region_admin_imports_only_inside_the_region() -> None:
    admin = region_admin("35.19")
    with translation.override("en"):
        report = _import(
            f"{DESA_A},202408,,250,20,5", "11.01.01.2001,202408,,10,1,0", actor=admin, apply=False
        )
    assert [(e.row, e.reason) for e in report.errors] == [
        (3, "11.01.01.2001 is outside your region")
    ]
    assert report.new == 1


def test_an_operator_may_not_import(district_operator: object) -> None:
    with pytest.raises(PermissionDenied):
        _import(f"{DESA_A},202408,,250,20,5", actor=district_operator, apply=False)


def test_a_verifier_may_not_import_either() -> None:
    verifier = user_with_role("verif", Role.VERIFIER, "35.19")
    with pytest.raises(PermissionDenied):
        _import(f"{DESA_A},202408,,250,20,5", actor=verifier, apply=True)
    assert AdministrativeCount.objects.count() == 0
