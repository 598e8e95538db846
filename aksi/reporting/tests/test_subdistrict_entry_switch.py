from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import region_admin, user_with_role
from aksi.catalogue.models import Indicator
from aksi.core.models import AuditEvent
from aksi.regions.models import Region
from aksi.reporting import entry_switch, services
from aksi.reporting.count_imports import CountRow, target_group_counts_import
from aksi.reporting.imports import CellPair, coverage_values_import
from aksi.reporting.models import CoverageValue, EntryMode

DESA = "35.19.01.2001"  # Kebonsari
OTHER_DESA = "35.19.02.2001"  # another kecamatan of Kab. Madiun


@pytest.fixture
def kec_operator(db: None) -> User:
    return user_with_role("op_kebonsari", Role.OPERATOR, "35.19.01")


@pytest.fixture
def other_kec_operator(db: None) -> User:
    return user_with_role("op_geger", Role.OPERATOR, "35.19.02")


def _save(actor: User, desa: str = DESA, numerator: int = 80, **kw: Any) -> Any:
    return services.coverage_value_save(
        actor=actor,
        indicator=Indicator.objects.get(catalogue__year=2025, code="BL-01"),
        region=Region.objects.get(code=desa),
        period="2025",
        numerator=numerator,
        denominator=100,
        **kw,
    )


def _switch(mode: str, pilots: tuple[str, ...] = ()) -> None:
    entry_switch.subdistrict_entry_set(
        actor=region_admin(username=f"adm_{mode}"),
        district=Region.objects.get(code="35.19"),
        mode=mode,
        pilot_codes=pilots,
    )


def test_without_a_setting_every_kecamatan_enters(kec_operator: User) -> None:
    assert _save(kec_operator).changed


def test_until_switched_on_the_kab_kota_enters_for_the_kecamatan(
    kec_operator: User, district_operator: User
) -> None:
    _switch(EntryMode.DISTRICT)
    with pytest.raises(PermissionDenied):
        _save(kec_operator)
    assert _save(district_operator).changed  # the OPD enter on the kecamatan's behalf


def test_a_pilot_opens_only_the_chosen_kecamatan(
    kec_operator: User, other_kec_operator: User
) -> None:
    _switch(EntryMode.PILOT, ("35.19.01",))
    assert _save(kec_operator).changed
    with pytest.raises(PermissionDenied):
        _save(other_kec_operator, OTHER_DESA)


def test_switching_on_keeps_every_value_already_entered(
    kec_operator: User, district_operator: User
) -> None:
    _switch(EntryMode.DISTRICT)
    saved = _save(district_operator).value
    _switch(EntryMode.PILOT, ("35.19.01",))
    _switch(EntryMode.ALL)
    value = CoverageValue.objects.get(pk=saved.pk)
    assert (value.numerator, value.denominator, value.version) == (80, 100, 1)
    # The kecamatan now carries on from the OPD's value.
    assert _save(kec_operator, numerator=85, expected_version=1).value.version == 2
    assert AuditEvent.objects.filter(event_type=entry_switch.SUBDISTRICT_ENTRY_CHANGED).count() == 3


def test_every_writer_follows_the_switch(kec_operator: User, english: Any) -> None:
    _switch(EntryMode.DISTRICT)
    kecamatan = Region.objects.get(code="35.19.01")
    indicator = Indicator.objects.get(catalogue__year=2025, code="BL-01")
    with pytest.raises(PermissionDenied):
        coverage_values_import(
            actor=kec_operator,
            subdistrict=kecamatan,
            period="2025",
            cells=[CellPair(DESA, indicator.pk, 5, 10)],
            apply=True,
        )
    report = target_group_counts_import(
        actor=kec_operator,
        rows=[CountRow(DESA, "child_under_five", "2025", 10, line=2)],
        dry_run=False,
    )
    assert "outside the regions" in report.errors[0].message
    assert not CoverageValue.objects.exists()


def test_the_closed_kecamatan_grid_is_read_only_with_the_reason(
    client: Any, kec_operator: User, district_operator: User
) -> None:
    _switch(EntryMode.DISTRICT)
    client.force_login(kec_operator)
    response = client.get(reverse("reporting:grid", args=["2025", "35.19.01"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["entry_closed"] is True
    assert 'class="message warning"' in body
    assert f'id="n-{DESA.replace(".", "")}-bl-01" disabled' in body
    client.force_login(district_operator)
    response = client.get(reverse("reporting:grid", args=["2025", "35.19.01"]))
    assert response.context["entry_closed"] is False
    assert f'id="n-{DESA.replace(".", "")}-bl-01" disabled' not in response.content.decode()


def test_a_pilot_needs_a_kecamatan_and_an_admin(kec_operator: User) -> None:
    district = Region.objects.get(code="35.19")
    with pytest.raises(ValidationError):
        entry_switch.subdistrict_entry_set(
            actor=region_admin(), district=district, mode=EntryMode.PILOT, pilot_codes=[]
        )
    with pytest.raises(PermissionDenied):
        entry_switch.subdistrict_entry_set(
            actor=kec_operator, district=district, mode=EntryMode.ALL
        )


def test_the_setup_page_switches_a_pilot(client: Any, db: None) -> None:
    client.force_login(region_admin())
    response = client.post(
        reverse("reporting:setup", args=["35.19", 2025]),
        {"action": "switch", "mode": "pilot", "pilot": ["35.19.01", "35.19.03"]},
    )
    assert response.status_code == 302
    assert entry_switch.setting_get(Region.objects.get(code="35.19")) == (
        "pilot",
        ["35.19.01", "35.19.03"],
    )
