from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.catalogue.models import Indicator
from aksi.regions.selectors import active_regions
from aksi.reporting.models import CoverageValue, CoverageValueChange, Origin

KECAMATAN = "35.19.01"  # Kebonsari, Kab. Madiun
DESA = "35.19.01.2001"


@pytest.fixture
def operator(db: None) -> User:
    return user_with_role("op_kebonsari", Role.OPERATOR, KECAMATAN)


def _fill(data: bytes, values: dict[tuple[str, str], object]) -> bytes:
    """Type values into a downloaded template with openpyxl, as a user's spreadsheet would."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Data"]
    columns = {cell.value: cell.column for cell in sheet[2]}
    rows = {sheet.cell(r, 1).value: r for r in range(3, sheet.max_row + 1)}
    for (desa, column), value in values.items():
        sheet.cell(rows[desa], columns[column], value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_downloaded_template_filled_and_uploaded_saves_every_value_with_history(
    client: Client, operator: User
) -> None:
    bl01 = Indicator.objects.get(catalogue__year=2025, code="BL-01")
    CoverageValue.objects.create(
        indicator=bl01, region_id=DESA, period="2025", numerator=5, denominator=10
    )
    client.force_login(operator)
    response = client.get(reverse("reporting:excel_template", args=["2025", KECAMATAN]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="aksi-35.19.01-2025.xlsx"'
    template = load_workbook(io.BytesIO(response.content))
    sheet = template["Data"]
    assert template["_aksi"].sheet_state == "hidden"
    assert sheet.protection.sheet is True
    villages = active_regions().filter(parent_id=KECAMATAN).count()
    assert sheet.max_row == 2 + villages
    assert sheet["A3"].protection.locked
    assert not sheet["C3"].protection.locked
    assert sheet["C3"].number_format == "#,##0"
    rules = {(v.type, v.formula1) for v in sheet.data_validations.dataValidation}
    assert rules == {("whole", "0"), ("list", '"1,0"')}  # counts ≥ 0; yes/no indicators 1/0
    assert sheet["C1"].value.startswith("RP-01 — ")  # indicator names above the column keys
    meta = {row[0]: row[1] for row in template["_aksi"].iter_rows(values_only=True)}
    assert (meta["kecamatan"], meta["period"], meta["catalogue_year"]) == (KECAMATAN, "2025", 2025)
    columns = {cell.value: cell.column for cell in sheet[2]}
    desa_row = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == DESA)
    assert sheet.cell(desa_row, columns["BL-01 pembilang"]).value == 5  # saved value pre-filled

    other = "35.19.01.2002"
    filled = _fill(
        response.content,
        {
            (DESA, "BL-01 pembilang"): 7,  # changed 5 → 7
            (other, "BL-01 pembilang"): "1.020",  # text, Indonesian grouping
            (other, "BL-01 penyebut"): 1200.0,  # a float, as some spreadsheets store counts
            (other, "RT-03 pembilang"): 1,  # yes/no
        },
    )
    upload = SimpleUploadedFile("isian.xlsx", filled)
    response = client.post(
        reverse("reporting:excel_upload", args=["2025", KECAMATAN]), {"file": upload}
    )
    assert response.status_code == 200
    report = response.context["report"]
    # BL-01 of the desa: numerator changed, denominator 10 unchanged (its cell still says 10);
    # the other desa: two new sides of BL-01, RT-03 numerator new and its denominator 1 new.
    assert report.counts == {"new": 4, "changed": 1, "unchanged": 1, "invalid": 0}
    assert not CoverageValue.objects.filter(region_id=other).exists()  # a preview writes nothing

    response = client.post(
        reverse("reporting:excel_apply", args=["2025", KECAMATAN]),
        {"token": response.context["token"]},
    )
    assert response.status_code == 200
    assert response.context["report"].applied
    changed = CoverageValue.objects.get(indicator=bl01, region_id=DESA)
    assert (changed.numerator, changed.denominator, changed.version) == (7, 10, 2)
    assert changed.origin == Origin.IMPORTED
    new = CoverageValue.objects.get(indicator=bl01, region_id=other)
    assert (new.numerator, new.denominator, new.updated_by) == (1020, 1200, operator)
    yes = CoverageValue.objects.get(indicator__code="RT-03", region_id=other)
    assert (yes.numerator, yes.denominator) == (1, 1)
    history = CoverageValueChange.objects.filter(via=Origin.IMPORTED, actor=operator)
    assert history.count() == 3
    assert history.get(value=changed).old_numerator == 5
    from aksi.core.models import AuditEvent, AuditEventType

    event = AuditEvent.objects.get(event_type=AuditEventType.VALUES_IMPORTED)
    assert (event.actor, event.region_code, event.data["values"]) == (operator, KECAMATAN, 3)
