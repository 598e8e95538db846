from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.core.models import AuditEvent
from aksi.regions.models import Region
from aksi.reporting.count_imports import CountRow, target_group_counts_import
from aksi.reporting.models import CountSource, TargetGroupCount
from aksi.review import services as review_services


@pytest.fixture
def operator(db: None) -> User:
    return user_with_role("op_kebonsari", Role.OPERATOR, "35.19.01")


def _rows() -> list[CountRow]:
    return [
        CountRow("35.19.01.2001", "child_under_five", "2025S1", 120, line=2),
        CountRow("3519012002", "child_under_five", "2025S1", 95, line=3),  # undotted code
        CountRow("35.19.01.2001", "adolescent_girl", "2025S1", 60, line=4),
    ]


def test_a_dry_run_counts_rows_and_writes_nothing(operator: User) -> None:
    report = target_group_counts_import(actor=operator, rows=_rows(), dry_run=True)
    assert (report.new, report.changed, report.errors, report.applied) == (3, 0, [], False)
    assert not TargetGroupCount.objects.exists()


def test_it_writes_every_row_with_source_history_and_one_audit_event(operator: User) -> None:
    report = target_group_counts_import(actor=operator, rows=_rows(), dry_run=False)
    assert report.applied
    assert report.new == 3
    counts = TargetGroupCount.objects.order_by("region_id", "target_group__code")
    assert [(c.region_id, c.count, c.source, c.origin) for c in counts] == [
        ("35.19.01.2001", 60, CountSource.DUKCAPIL, "imported"),
        ("35.19.01.2001", 120, CountSource.DUKCAPIL, "imported"),
        ("35.19.01.2002", 95, CountSource.DUKCAPIL, "imported"),
    ]
    assert all(c.changes.count() == 1 for c in counts)
    assert AuditEvent.objects.filter(data__what="target_group_counts").count() == 1
    # Again with one count changed: one change, the rest unchanged.
    rows = _rows()
    rows[0] = CountRow("35.19.01.2001", "child_under_five", "2025S1", 121, line=2)
    again = target_group_counts_import(actor=operator, rows=rows, dry_run=False)
    assert (again.new, again.changed, again.unchanged) == (0, 1, 2)
    changed = TargetGroupCount.objects.get(count=121)
    assert [(c.old_count, c.new_count) for c in changed.changes.all()] == [(120, 121), (None, 120)]


def test_one_bad_row_saves_nothing_and_each_error_names_its_row(
    operator: User, english: Any
) -> None:
    rows = [
        *_rows(),
        CountRow("35.19.01.9999", "child_under_five", "2025S1", 5, line=5),
        CountRow("35.19.01.2003", "toddlers", "2025S1", 5, line=6),
        CountRow("35.19.01.2003", "child_under_five", "2025X", 5, line=7),
        CountRow("35.19.01.2003", "child_under_five", "2025S1", -3, line=8),
        CountRow("35.19.01.2003", "child_under_five", "2025S1", None, line=9),
        CountRow("35.19.01.2001", "child_under_five", "2025S1", 7, line=10),  # duplicate
        CountRow("35.19.02.2001", "child_under_five", "2025S1", 7, line=11),  # other kecamatan
    ]
    report = target_group_counts_import(actor=operator, rows=rows, dry_run=False)
    assert not report.applied
    assert not TargetGroupCount.objects.exists()
    errors = {e.line: e.message for e in report.errors}
    assert sorted(errors) == [5, 6, 7, 8, 9, 10, 11]
    assert "not an active village" in errors[5]
    assert "not a target-group code" in errors[6]
    assert "not a period" in errors[7]
    assert "negative" in errors[8]
    assert "empty" in errors[9]
    assert "twice" in errors[10]
    assert "outside the regions" in errors[11]


def test_a_central_admin_loads_any_desa(central_admin: User) -> None:
    from aksi.accounts.tests.factories import region_admin
    from aksi.reporting import entry_switch

    # Even where the kab/kota has not switched kecamatan entry on: Dukcapil loads are national.
    entry_switch.subdistrict_entry_set(
        actor=region_admin("11.01", "admin_simeulue"),
        district=Region.objects.get(code="11.01"),
        mode="district",
    )
    rows = [CountRow("11.01.01.2001", "child_under_five", "2025S1", 40, line=2)]
    report = target_group_counts_import(actor=central_admin, rows=rows, dry_run=False)
    assert report.applied
    assert TargetGroupCount.objects.get().count == 40


def test_rows_of_a_submitted_kecamatan_are_refused(operator: User, english: Any) -> None:
    review_services.submission_submit(
        actor=operator, region=Region.objects.get(code="35.19.01"), period="2025S1"
    )
    report = target_group_counts_import(actor=operator, rows=_rows(), dry_run=False)
    assert len(report.errors) == 3
    assert "locked" in report.errors[0].message
    assert not TargetGroupCount.objects.exists()


def test_the_upload_page_checks_then_saves_a_csv(client: Any, operator: User) -> None:
    csv = (
        b"kode_wilayah;kode_sasaran;periode;jumlah\n"
        b"3519012001;child_under_five;;1.204\n"
        b"35.19.01.2002;child_under_five;2025;95\n"
    )
    url = reverse("reporting:count_import", args=["2025", "35.19.01"])
    client.force_login(operator)
    check = client.post(
        url, {"file": SimpleUploadedFile("d.csv", csv), "source": "dukcapil", "action": "check"}
    )
    assert check.status_code == 200
    assert check.context["report"].new == 2
    assert not TargetGroupCount.objects.exists()
    saved = client.post(
        url, {"file": SimpleUploadedFile("d.csv", csv), "source": "dukcapil", "action": "apply"}
    )
    assert saved.status_code == 302
    assert sorted(TargetGroupCount.objects.values_list("count", flat=True)) == [95, 1204]


def test_the_upload_page_shows_a_bad_number_by_row(client: Any, operator: User) -> None:
    csv = b"kode_wilayah,kode_sasaran,jumlah\n3519012001,child_under_five,12.5x\n"
    client.force_login(operator)
    response = client.post(
        reverse("reporting:count_import", args=["2025", "35.19.01"]),
        {"file": SimpleUploadedFile("d.csv", csv), "action": "apply"},
    )
    assert response.status_code == 200
    assert [e.line for e in response.context["report"].errors] == [2]
    assert not TargetGroupCount.objects.exists()
