"""Source-system importers (e-PPGBM, BKKBN, Dukcapil): the entry services' rules, all or
nothing, a dry run that stores nothing, and the numbers where the forms would put them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.analytics.models import CoverageRollup
from aksi.core.models import AuditEvent, AuditEventType
from aksi.reporting.models import CoverageValue, CoverageValueChange, Origin, TargetGroupCount
from aksi.reporting.sources import source_import

EPPGBM = (
    "kode_desa,periode,balita_diukur,pendek,sangat_pendek,balita_dipantau,"
    "bayi_asi_eksklusif,balita_gizi_kurang,balita_gizi_kurang_pmt\n"
    "35.19.01.2001,2025,100,10,2,95,20,6,4\n"
    "3519012002,2025,80,9,1,70,15,3,\n"
)


@pytest.fixture
def operator(db: None) -> User:
    return user_with_role("op_kebonsari", Role.OPERATOR, "35.19.01")


def _run(actor: User, layout: str, text: str, *, dry_run: bool = False) -> Any:
    upload = io.BytesIO(text.encode())
    return source_import(
        actor=actor, layout=layout, upload=upload, name="file.csv", dry_run=dry_run
    )


def _values() -> dict[tuple[str, str], tuple[int | None, int | None]]:
    return {
        (v.indicator.code, v.region_id): (v.numerator, v.denominator)
        for v in CoverageValue.objects.select_related("indicator")
    }


def test_an_eppgbm_file_fills_numerators_and_the_denominators_eppgbm_counts(
    operator: User, english: Any
) -> None:
    report = _run(operator, "eppgbm", EPPGBM)
    assert report.ok
    assert report.stored
    assert _values() == {
        ("BL-01", "35.19.01.2001"): (95, None),
        ("BD-02", "35.19.01.2001"): (20, None),
        ("BL-03", "35.19.01.2001"): (4, 6),
        ("BL-01", "35.19.01.2002"): (70, None),
        ("BD-02", "35.19.01.2002"): (15, None),
        ("BL-03", "35.19.01.2002"): (None, 3),
    }
    assert set(CoverageValue.objects.values_list("origin", flat=True)) == {Origin.IMPORTED}
    assert CoverageValueChange.objects.filter(via=Origin.IMPORTED).count() == 6
    event = AuditEvent.objects.get(event_type=AuditEventType.SOURCE_IMPORTED)
    assert (event.actor, event.data["source"], event.data["rows"]) == (operator, "eppgbm", 2)
    rollup = CoverageRollup.objects.get(indicator__code="BL-03", region_code="35.19", period="2025")
    assert (rollup.numerator_sum, rollup.denominator_sum) == (4, 6)


def test_a_dry_run_reports_and_stores_nothing(operator: User) -> None:
    report = _run(operator, "eppgbm", EPPGBM, dry_run=True)
    assert report.ok
    assert report.imported == 6  # values, both sides of BL-03 counting once
    assert not report.stored
    assert not CoverageValue.objects.exists()


def test_one_bad_row_stores_nothing_and_names_the_row_column_and_reason(
    operator: User, english: Any
) -> None:
    text = EPPGBM + "35.19.01.2003,2025,50,5,0,1.5,3,,\n"
    report = _run(operator, "eppgbm", text)
    assert [(e.row, e.column) for e in report.errors] == [(4, "balita_dipantau")]
    assert "whole number" in report.errors[0].reason
    assert not CoverageValue.objects.exists()


def test_a_numerator_above_its_register_denominator_is_a_conflict_and_nothing_is_stored(
    operator: User, english: Any
) -> None:
    text = EPPGBM.replace(
        "35.19.01.2001,2025,100,10,2,95,20,6,4", "35.19.01.2001,2025,1,0,0,9,2,6,8"
    )
    report = _run(operator, "eppgbm", text)
    assert [(c.object, c.indexes) for c in report.conflicts] == [("BL-03", (2,))]
    assert "larger than the denominator" in report.conflicts[0].value
    assert not report.stored
    assert not CoverageValue.objects.exists()


def test_desa_outside_the_importers_scope_are_refused(operator: User, english: Any) -> None:
    text = EPPGBM + "35.19.02.1002,2025,50,5,0,40,3,,\n"
    report = _run(operator, "eppgbm", text)
    assert {c.error_code for c in report.conflicts} == {"E7617"}
    assert not CoverageValue.objects.exists()


def test_bkkbn_family_data_fill_the_family_indicators(operator: User) -> None:
    text = (
        "kode_desa,periode,keluarga_balita,keluarga_balita_bkb,krs,krs_didampingi\n"
        "35.19.01.2001,2025,120,80,30,25\n"
    )
    report = _run(operator, "bkkbn", text)
    assert report.ok
    assert _values() == {
        ("BL-05", "35.19.01.2001"): (80, 120),
        ("KL-02", "35.19.01.2001"): (25, 30),
    }


DUKCAPIL = (
    "kode_desa,periode,umur_dari_bulan,umur_sampai_bulan,jenis_kelamin,jumlah\n"
    "35.19.01.2001,2025,0,5,L,10\n"
    "35.19.01.2001,2025,0,5,P,12\n"
    "35.19.01.2001,2025,6,11,L,9\n"
    "35.19.01.2001,2025,6,11,P,8\n"
    "35.19.01.2001,2025,12,23,,30\n"
    "35.19.01.2001,2025,24,59,,100\n"
)


def test_dukcapil_age_bands_become_target_group_counts(central_admin: User) -> None:
    report = _run(central_admin, "dukcapil", DUKCAPIL)
    assert report.ok, (report.errors, report.conflicts)
    counts = dict(
        TargetGroupCount.objects.filter(region_id="35.19.01.2001").values_list(
            "target_group__code", "count"
        )
    )
    assert counts["infant_under_six_months"] == 22
    assert counts["infant"] == 39
    assert counts["child_6_23_months"] == 47
    assert counts["child_under_two"] == 69
    assert counts["child_24_59_months"] == 100
    assert counts["child_under_five"] == 169
    # A band that mixes sexes cannot give 12–18-year-old girls: not derived, and said so.
    assert "adolescent_girl" not in counts
    assert "Remaja putri" in report.note


def test_the_command_imports_and_refuses_with_one_line_per_problem(
    operator: User, tmp_path: Any, english: Any
) -> None:
    good = tmp_path / "eppgbm.csv"
    good.write_text(EPPGBM)
    out = io.StringIO()
    call_command(
        "sources", "import", str(good), "--layout", "eppgbm", "--user", "op_kebonsari", stdout=out
    )
    assert "6 new" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text("kode_desa,periode,balita_dipantau\n35.19.01.2001,2025,x\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was stored"):
        call_command(
            "sources",
            "import",
            str(bad),
            "--layout",
            "eppgbm",
            "--user",
            "op_kebonsari",
            stderr=err,
        )
    assert "row 2, balita_dipantau" in err.getvalue()


def test_the_upload_page_checks_then_applies_the_same_file(client: Any, operator: User) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(operator)
    upload = SimpleUploadedFile("eppgbm.csv", EPPGBM.encode(), content_type="text/csv")
    checked = client.post(reverse("sources:upload"), {"layout": "eppgbm", "file": upload})
    assert checked.context["report"].ok
    assert not CoverageValue.objects.exists()
    applied = client.post(reverse("sources:upload"), {"token": checked.context["token"]})
    assert applied.context["report"].stored
    assert CoverageValue.objects.count() == 6
    again = client.post(reverse("sources:upload"), {"token": checked.context["token"]})
    assert again.context["expired"]


def test_a_viewer_has_no_upload_page(client: Any, db: None) -> None:
    from django.urls import reverse

    client.force_login(user_with_role("viewer", Role.VIEWER, "35"))
    assert client.get(reverse("sources:upload")).status_code == 403
