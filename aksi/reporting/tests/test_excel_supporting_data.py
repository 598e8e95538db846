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
    return _upload_to(client, data, KECAMATAN)


def _upload_to(client: Client, data: bytes, code: str) -> str:
    response = client.post(
        reverse("reporting:excel_upload", args=[PERIOD, code]),
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
    assert 'class="count-new">4<' in html
    assert 'class="count-changed">1<' in html
    assert SupportingValue.objects.get(item=_item("DP-01"), region_id=DESA).value == 3
    response = client.post(
        reverse("reporting:excel_apply", args=[PERIOD, KECAMATAN]),
        {"token": html.split('name="token" value="')[1].split('"')[0]},
    )
    assert "5 values saved" in response.content.decode()
    stored = {
        (v.region_id, v.item.code): v.value for v in SupportingValue.objects.select_related("item")
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


def test_a_kabupaten_file_covers_every_kecamatan_and_respects_their_locks(
    client: Client, db: None
) -> None:
    from aksi.reporting.services import coverage_value_save
    from aksi.review import services as review_services

    opd = user_with_role("opd_madiun", Role.OPERATOR, "35.19")
    client.force_login(opd)
    client.cookies["django_language"] = "en"
    index = client.get(reverse("reporting:entry")).content.decode()
    assert "/35.19/excel/" in index  # the whole kabupaten's file, in the open period
    response = client.get(reverse("reporting:excel_template", args=[PERIOD, "35.19"]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    desa = Region.objects.filter(district_code="35.19", level="village", valid_to__isnull=True)
    sheet = workbook["Data"]
    data_codes = [sheet.cell(r, 1).value for r in range(3, sheet.max_row + 1)]
    assert sorted(data_codes) == sorted(d.code for d in desa)
    assert sheet.cell(3, 2).value.endswith(" — Kebonsari")
    # Kebonsari (35.19.01) is submitted: its cells may repeat what is saved, not change it.
    bl01 = Indicator.objects.get(catalogue__year=2025, code="BL-01")
    coverage_value_save(
        actor=opd,
        indicator=bl01,
        region=Region.objects.get(code=DESA),
        period=PERIOD,
        numerator=5,
        denominator=10,
    )
    review_services.submission_submit(
        actor=user_with_role("op_kebonsari", Role.OPERATOR, KECAMATAN),
        region=Region.objects.get(code=KECAMATAN),
        period=PERIOD,
    )
    elsewhere = "35.19.02.1002"
    data = _fill(
        response.content,
        {(DESA, "BL-01 pembilang"): 5, (elsewhere, "BL-01 pembilang"): 3},
        "Data",
    )
    html = _upload_to(client, data, "35.19")
    assert 'class="count-invalid">0<' in html
    assert 'name="token"' in html
    changed = _fill(data, {(DESA, "BL-01 pembilang"): 6}, "Data")
    html = _upload_to(client, changed, "35.19")
    assert 'class="count-invalid">1<' in html
    assert "have been submitted and are locked" in html
    assert not CoverageValue.objects.filter(region_id=elsewhere).exists()


def test_a_kecamatan_operator_cannot_open_the_kabupaten_file(
    client: Client, operator: User
) -> None:
    client.force_login(operator)
    response = client.get(reverse("reporting:excel_template", args=[PERIOD, "35.19"]))
    assert response.status_code == 404


def test_a_kabupaten_file_applies_hundreds_of_supporting_values_at_once(
    client: Client, db: None
) -> None:
    opd = user_with_role("opd_madiun", Role.OPERATOR, "35.19")
    client.force_login(opd)
    client.cookies["django_language"] = "en"
    template = client.get(reverse("reporting:excel_template", args=[PERIOD, "35.19"])).content
    desa = list(
        Region.objects.filter(
            district_code="35.19", level="village", valid_to__isnull=True
        ).values_list("code", flat=True)
    )
    assert len(desa) >= 200  # enough for the bulk writers' COPY on PostgreSQL
    SupportingValue.objects.create(item=_item("DP-01"), region_id=desa[0], period=PERIOD, value=1)
    filled = _fill(template, {(code, "DP-01"): 3 for code in desa}, "Pendukung")
    html = _upload_to(client, filled, "35.19")
    token = html.split('name="token" value="')[1].split('"')[0]
    response = client.post(
        reverse("reporting:excel_apply", args=[PERIOD, "35.19"]), {"token": token}
    )
    assert f"{len(desa)} values saved" in response.content.decode()
    stored = SupportingValue.objects.filter(item=_item("DP-01"), period=PERIOD)
    assert sorted(stored.values_list("region_id", "value")) == sorted((c, 3) for c in desa)
    assert stored.get(region_id=desa[0]).version == 2
    history = SupportingValueChange.objects.filter(value__in=stored, via=Origin.IMPORTED)
    assert history.count() == len(desa)
    assert history.get(value__region_id=desa[0]).old_value == 1
