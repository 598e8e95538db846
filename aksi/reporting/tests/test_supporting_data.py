"""Data pendukung: the catalogue items, parsing, the save rules, the grid and duties."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import Role, RoleAssignment, User
from aksi.accounts.tests.factories import user_with_role
from aksi.catalogue.models import IndicatorCatalogue, SupportingItem
from aksi.lib.numbers import NumberError
from aksi.regions.models import Region
from aksi.reporting import duties, supporting
from aksi.reporting.models import ReportingUnit, Sector, SupportingValue, UnitKind
from aksi.review import services as review_services
from aksi.review.locks import ValuesLocked

KECAMATAN = "35.19.01"
DESA = "35.19.01.2001"


@pytest.fixture
def operator(db: None) -> User:
    return user_with_role("op_kebonsari", Role.OPERATOR, KECAMATAN)


def _item(code: str) -> SupportingItem:
    return SupportingItem.objects.select_related("catalogue").get(catalogue__year=2025, code=code)


def _save(actor: User, code: str, value: int | None, **kw: Any) -> supporting.SupportingSaveResult:
    return supporting.supporting_value_save(
        actor=actor,
        item=_item(code),
        region=Region.objects.get(code=kw.pop("region", DESA)),
        period=kw.pop("period", "2025S1"),
        value=value,
        **kw,
    )


def test_the_shipped_catalogue_has_village_and_subdistrict_items(db: None) -> None:
    items = SupportingItem.objects.filter(catalogue=IndicatorCatalogue.objects.get(year=2025))
    by_code = {i.code: i for i in items}
    assert by_code["DP-01"].unit == SupportingItem.Unit.COUNT
    assert by_code["DP-05"].unit == SupportingItem.Unit.YES_NO
    assert by_code["DP-15"].unit == SupportingItem.Unit.RUPIAH
    assert by_code["DP-18"].entry_level == SupportingItem.EntryLevel.SUBDISTRICT
    assert {i.sector for i in items} <= set(Sector.values)


@pytest.mark.parametrize(
    ("code", "typed", "stored"),
    [
        ("DP-01", "1.234", 1234),
        ("DP-01", " 12 ", 12),
        ("DP-01", "", None),
        ("DP-05", "Ya", 1),
        ("DP-05", "tidak", 0),
        ("DP-05", "1", 1),
        ("DP-15", "Rp 1.250.000", 1250000),
        ("DP-15", "Rp1.250.000,00", 1250000),
        ("DP-15", "250000", 250000),
    ],
)
def test_typed_values_are_read_the_indonesian_way(
    db: None, code: str, typed: str, stored: int | None
) -> None:
    assert supporting.parse_supporting(_item(code), typed) == stored


@pytest.mark.parametrize(
    ("code", "typed", "problem"),
    [
        ("DP-01", "1,5", "comma"),
        ("DP-01", "-3", "negative"),
        ("DP-01", "banyak", "number"),
        ("DP-01", "20.000.000", "implausibly large"),
        ("DP-05", "mungkin", "Ya or Tidak"),
        ("DP-15", "Rp 1,5", "comma"),
    ],
)
def test_bad_input_is_refused_with_a_reason(
    db: None, english: Any, code: str, typed: str, problem: str
) -> None:
    with pytest.raises(NumberError, match=problem):
        supporting.parse_supporting(_item(code), typed)


def test_it_saves_a_value_with_its_history(operator: User) -> None:
    _save(operator, "DP-01", 4, expected_version=0)
    result = _save(operator, "DP-01", 5, expected_version=1)
    assert result.changed
    value = SupportingValue.objects.get()
    assert (value.value, value.version, value.updated_by) == (5, 2, operator)
    assert [(c.old_value, c.new_value) for c in value.changes.all()] == [(4, 5), (None, 4)]
    assert not _save(operator, "DP-01", 5).changed
    assert value.changes.count() == 2


def test_a_second_editor_gets_a_conflict_with_the_other_value(operator: User) -> None:
    _save(operator, "DP-03", 10, expected_version=0)
    with pytest.raises(supporting.SupportingConflictError) as conflict:
        _save(operator, "DP-03", 12, expected_version=0)  # opened before the first save
    assert conflict.value.current.value == 10
    assert SupportingValue.objects.get().value == 10


def test_yes_no_items_take_only_one_or_zero(operator: User, english: Any) -> None:
    with pytest.raises(ValidationError, match="Ya or Tidak"):
        _save(operator, "DP-05", 2)
    assert not SupportingValue.objects.exists()


def test_the_level_of_the_item_decides_the_region(operator: User, english: Any) -> None:
    with pytest.raises(ValidationError, match="per subdistrict"):
        _save(operator, "DP-18", 3)  # a kecamatan item on a desa
    with pytest.raises(ValidationError, match="per village"):
        _save(operator, "DP-01", 3, region=KECAMATAN)
    assert _save(operator, "DP-18", 3, region=KECAMATAN).value.value == 3


def test_a_period_of_another_year_is_refused(operator: User, english: Any) -> None:
    with pytest.raises(ValidationError, match="catalogue of 2025"):
        _save(operator, "DP-01", 3, period="2024S1")


def test_outside_the_entry_scope_nothing_is_saved(outsider: User) -> None:
    with pytest.raises(PermissionDenied):
        _save(outsider, "DP-01", 3)
    assert not SupportingValue.objects.exists()


def test_a_submitted_kecamatan_locks_its_supporting_data(operator: User) -> None:
    _save(operator, "DP-01", 3)
    review_services.submission_submit(
        actor=operator, region=Region.objects.get(code=KECAMATAN), period="2025S1"
    )
    with pytest.raises(ValuesLocked):
        _save(operator, "DP-01", 4)
    assert SupportingValue.objects.get().value == 3


def test_the_grid_saves_a_cell_and_shows_the_state(operator: User, client: Client) -> None:
    client.force_login(operator)
    page = client.get(reverse("reporting:supporting", args=["2025S1", KECAMATAN]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "DP-01" in html
    assert "DP-18" in html
    assert html.count('name="value"') == Region.objects.get(code=KECAMATAN).village_count * len(
        [i for i in supporting.year_items(2025) if i.entry_level == "village"]
    ) + len([i for i in supporting.year_items(2025) if i.entry_level == "subdistrict"])
    url = reverse("reporting:supporting_value", args=["2025S1", DESA, _item("DP-05").pk])
    saved = client.post(url, {"value": "1", "version": "0"})
    assert "state-saved" in saved.content.decode()
    assert SupportingValue.objects.get().value == 1
    refused = client.post(url, {"value": "kadang", "version": "1"})
    assert "state-invalid" in refused.content.decode()
    assert SupportingValue.objects.get().value == 1
    stale = client.post(url, {"value": "0", "version": "0"})
    assert "state-conflict" in stale.content.decode()
    assert SupportingValue.objects.get().value == 1


def test_the_grid_shows_only_the_items_of_a_sector_unit(db: None, client: Client) -> None:
    kecamatan = Region.objects.get(code=KECAMATAN)
    unit = ReportingUnit.objects.create(
        region=kecamatan, kind=UnitKind.HEALTH_CENTER, sector=Sector.HEALTH, name="Puskesmas X"
    )
    user = user_with_role("bidan", Role.OPERATOR, KECAMATAN)
    RoleAssignment.objects.filter(user=user).update(unit=unit)
    client.force_login(user)
    html = client.get(reverse("reporting:supporting", args=["2025S1", KECAMATAN])).content.decode()
    assert "DP-01" in html
    assert "DP-07" not in html


def test_generated_duties_give_sector_items_to_units_and_the_rest_to_the_kecamatan(
    db: None,
) -> None:
    district = Region.objects.get(code="35.19")
    ReportingUnit.objects.create(
        region=district, kind=UnitKind.AGENCY, sector=Sector.EDUCATION, name="Dinas Pendidikan"
    )
    duties.reporting_duties_generate(actor=None, district=district, year=2025)
    by_unit = {
        d.unit.name if d.unit else "": {i.code for i in d.supporting_items.all()}
        for d in duties.district_duties(district=district, year=2025)
        if d.region_id == KECAMATAN
    }
    assert by_unit["Dinas Pendidikan"] == {"DP-07", "DP-08"}
    assert "DP-07" not in by_unit[""]
    assert "DP-01" in by_unit[""]


def test_a_validation_rule_over_supporting_items_blocks_the_submission(
    operator: User, english: Any
) -> None:
    from aksi.reporting.models import ValidationRule
    from aksi.reporting.services import validation_rule_save
    from aksi.reporting.validation import submission_findings, village_outcomes

    central = user_with_role("pusat", Role.CENTRAL_ADMIN, None)
    with pytest.raises(ValidationError, match="DP-99"):
        validation_rule_save(
            actor=central,
            catalogue=IndicatorCatalogue.objects.get(year=2025),
            code="bad",
            left="supporting.DP-99",
            operator="<=",
            right="supporting.DP-01",
            severity=ValidationRule.Severity.ERROR,
            message="x",
        )
    validation_rule_save(
        actor=central,
        catalogue=IndicatorCatalogue.objects.get(year=2025),
        code="posyandu-aktif",
        left="supporting.DP-02",
        operator="<=",
        right="supporting.DP-01",
        severity=ValidationRule.Severity.ERROR,
        message="Posyandu aktif melebihi jumlah posyandu.",
    )
    _save(operator, "DP-01", 3)
    _save(operator, "DP-02", 4)
    village = Region.objects.get(code=DESA)
    assert [o.text for o in village_outcomes(village=village, period="2025S1")] == [
        "Error posyandu-aktif: Posyandu aktif melebihi jumlah posyandu. (4 ≤ 3)"
    ]
    findings = submission_findings(region=Region.objects.get(code=KECAMATAN), period="2025S1")
    assert findings.errors
    assert village.name in findings.errors[0]
    _save(operator, "DP-02", 3)
    assert village_outcomes(village=village, period="2025S1") == []


def test_the_history_page_lists_changes_and_saves_a_comment(operator: User, client: Client) -> None:
    _save(operator, "DP-01", 4)
    _save(operator, "DP-01", 6)
    client.force_login(operator)
    url = reverse("reporting:supporting_region", args=["2025S1", DESA])
    html = client.get(url).content.decode()
    assert "DP-01" in html
    assert "DP-18" not in html
    assert "2 perubahan" in html or "2 changes" in html
    value = SupportingValue.objects.get()
    response = client.post(
        url, {"item": value.item_id, "version": value.version, "note": "Dua posyandu baru."}
    )
    assert response.status_code == 302
    value.refresh_from_db()
    assert (value.value, value.note, value.version) == (6, "Dua posyandu baru.", 3)
    # A stale form (version 2) does not overwrite the newer comment.
    client.post(url, {"item": value.item_id, "version": 2, "note": "lama"})
    value.refresh_from_db()
    assert value.note == "Dua posyandu baru."
    kecamatan = client.get(reverse("reporting:supporting_region", args=["2025S1", KECAMATAN]))
    assert "DP-18" in kecamatan.content.decode()
