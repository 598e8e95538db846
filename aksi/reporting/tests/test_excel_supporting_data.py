"""Data pendukung in the Excel template: written, filled offline, previewed, applied whole."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.catalogue.models import Indicator, SupportingItem
from aksi.regions.models import Region
from aksi.reporting.models import (
    CoverageValue,
    Origin,
    SupportingValue,
    SupportingValueChange,
)

KECAMATAN = "35.19.01"
DESA = "35.19.01.2001"
OTHER = "35.19.01.2002"
PERIOD = "2025S1"


@pytest.fixture
def operator(db: None) -> User:
    return user_with_role("op_kebonsari", Role.OPERATOR, KECAMATAN)


def _item(code: str) -> SupportingItem:
    return SupportingItem.objects.get(catalogue__year=2025, code=code)


def _template(client: Client) -> bytes:
    client.cookies["django_language"] = "en"  # messages asserted in English
    response = client.get(reverse("reporting:excel_template", args=[PERIOD, KECAMATAN]))
    assert response.status_code == 200
    return response.content


def _fill(data: bytes, values: dict[tuple[str, str], object], sheet_name: str) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook[sheet_name]
    columns = {cell.value: cell.column for cell in sheet[2]}
    rows = {sheet.cell(r, 1).value: r for r in range(3, sheet.max_row + 1)}
    for (region, column), value in values.items():
        sheet.cell(rows[region], columns[column], value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _upload(client: Client, data: bytes) -> str:
    response = client.post(
        reverse("reporting:excel_upload", args=[PERIOD, KECAMATAN]),
        {"file": SimpleUploadedFile("isian.xlsx", data)},
    )
    assert response.status_code == 200
    return response.content.decode()


def test_the_template_has_a_supporting_sheet_with_the_saved_values(
    client: Client, operator: User
) -> None:
    SupportingValue.objects.create(item=_item("DP-01"), region_id=DESA, period=PERIOD, value=3)
    SupportingValue.objects.create(item=_item("DP-05"), region_id=DESA, period=PERIOD, value=1)
    client.force_login(operator)
    workbook = load_workbook(io.BytesIO(_template(client)))
    sheet = workbook["Pendukung"]
    assert sheet.protection.sheet is True
    columns = {cell.value: cell.column for cell in sheet[2]}
    rows = {sheet.cell(r, 1).value: r for r in range(3, sheet.max_row + 1)}
    villages = Region.objects.get(code=KECAMATAN).village_count
    assert len(rows) == villages + 1  # every desa, then the kecamatan itself
    assert sheet.cell(rows[DESA], columns["DP-01"]).value == 3
    assert sheet.cell(rows[DESA], columns["DP-05"]).value == "Ya"
    assert sheet.cell(rows[DESA], columns["DP-15"]).number_format == '"Rp "#,##0'
    assert not sheet.cell(rows[DESA], columns["DP-01"]).protection.locked
    # A desa row does not open the kecamatan's own items, and the other way round.
    assert sheet.cell(rows[DESA], columns["DP-18"]).protection.locked
    assert sheet.cell(rows[KECAMATAN], columns["DP-01"]).protection.locked
    assert not sheet.cell(rows[KECAMATAN], columns["DP-18"]).protection.locked
    rules = {(v.type, v.formula1) for v in sheet.data_validations.dataValidation}
    assert ("list", '"Ya,Tidak"') in rules
    meta = [row for row in workbook["_aksi"].iter_rows(values_only=True) if row[0] == "supporting"]
    assert {row[2] for row in meta} >= {"DP-01", "DP-18"}


def test_a_filled_sheet_is_previewed_then_applied_with_history(
    client: Client, operator: User
) -> None:
    SupportingValue.objects.create(item=_item("DP-01"), region_id=DESA, period=PERIOD, value=3)
    client.force_login(operator)
    filled = _fill(
        _template(client),
        {
            (DESA, "DP-01"): 4,  # changed
            (OTHER, "DP-02"): "2",  # new, typed as text
            (OTHER, "DP-05"): "Tidak",
            (OTHER, "DP-15"): 12500000,
            (KECAMATAN, "DP-18"): 6,
        },
        "Pendukung",
    )
    html = _upload(client, filled)
    assert 'class="count-new">4<' in html and 'class="count-changed">1<' in html
    assert SupportingValue.objects.get(item=_item("DP-01"), region_id=DESA).value == 3
    response = client.post(
        reverse("reporting:excel_apply", args=[PERIOD, KECAMATAN]),
        {"token": html.split('name="token" value="')[1].split('"')[0]},
    )
    assert "5 values saved" in response.content.decode()
    stored = {
        (v.region_id, v.item.code): v.value
        for v in SupportingValue.objects.select_related("item")
    }
    assert stored == {
        (DESA, "DP-01"): 4,
        (OTHER, "DP-02"): 2,
        (OTHER, "DP-05"): 0,
        (OTHER, "DP-15"): 12500000,
        (KECAMATAN, "DP-18"): 6,
    }
    assert SupportingValueChange.objects.filter(via=Origin.IMPORTED).count() == 5


def test_one_bad_supporting_cell_saves_nothing_of_the_whole_file(
    client: Client, operator: User
) -> None:
    client.force_login(operator)
    data = _fill(_template(client), {(DESA, "BL-01 pembilang"): 7}, "Data")
    data = _fill(
        data,
        {(OTHER, "DP-05"): "mungkin", (OTHER, "DP-01"): "1,5", (DESA, "DP-18"): 2},
        "Pendukung",
    )
    html = _upload(client, data)
    assert 'class="count-invalid">3<' in html
    assert "answer Ya or Tidak" in html
    assert "comma marks a fraction" in html
    assert "entered per subdistrict" in html
    assert 'name="token"' not in html  # no apply button
    assert not CoverageValue.objects.filter(
        indicator=Indicator.objects.get(catalogue__year=2025, code="BL-01")
    ).exists()
    assert not SupportingValue.objects.exists()


def test_a_value_saved_after_the_preview_stops_the_whole_apply(
    client: Client, operator: User
) -> None:
    client.force_login(operator)
    data = _fill(_template(client), {(DESA, "BL-01 pembilang"): 7}, "Data")
    data = _fill(data, {(OTHER, "DP-03"): 9}, "Pendukung")
    html = _upload(client, data)
    token = html.split('name="token" value="')[1].split('"')[0]
    SupportingValue.objects.create(item=_item("DP-03"), region_id=OTHER, period=PERIOD, value=8)
    response = client.post(
        reverse("reporting:excel_apply", args=[PERIOD, KECAMATAN]),
        {"token": token},
    )
    assert "saved by someone else after your preview" in response.content.decode()
    assert SupportingValue.objects.get().value == 8
    assert not CoverageValue.objects.exists()  # the coverage part was rolled back too
