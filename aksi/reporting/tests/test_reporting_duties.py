from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from aksi.accounts.models import User
from aksi.accounts.tests.factories import region_admin
from aksi.catalogue.models import Indicator
from aksi.core.models import AuditEvent
from aksi.regions.models import Region
from aksi.reporting import duties
from aksi.reporting.models import ReportingDuty, ReportingUnit, Sector, UnitKind

KEC = "35.19.01"


@pytest.fixture
def units(db: None) -> dict[str, ReportingUnit]:
    kec = Region.objects.get(code=KEC)
    puskesmas = ReportingUnit.objects.create(
        region=kec,
        kind=UnitKind.HEALTH_CENTER,
        sector=Sector.HEALTH,
        name="Puskesmas Kebonsari",
        active_from=datetime.date(2025, 8, 1),
    )
    puskesmas.served_regions.set(Region.objects.filter(parent=kec))
    plkb = ReportingUnit.objects.create(
        region=kec, kind=UnitKind.FAMILY_PLANNING_OFFICE, sector=Sector.FAMILY_PLANNING, name="PLKB"
    )
    dinsos = ReportingUnit.objects.create(
        region=Region.objects.get(code="35.19"),
        kind=UnitKind.AGENCY,
        sector=Sector.SOCIAL,
        name="Dinas Sosial",
    )
    return {"puskesmas": puskesmas, "plkb": plkb, "dinsos": dinsos}


def _generate(actor: Any = None) -> duties.GenerateSummary:
    return duties.reporting_duties_generate(
        actor=actor, district=Region.objects.get(code="35.19"), year=2025
    )


def _codes(duty: ReportingDuty) -> set[str]:
    return set(duty.indicators.values_list("code", flat=True))


def test_units_report_their_sector_while_open_and_the_kecamatan_the_rest(
    units: dict[str, ReportingUnit],
) -> None:
    summary = _generate()
    kecamatan_count = Region.objects.get(code="35.19").subdistrict_count
    # one own duty per kecamatan + Dinsos for every kecamatan + puskesmas + PLKB in Kebonsari
    assert summary.created == 2 * kecamatan_count + 2
    puskesmas = ReportingDuty.objects.get(unit=units["puskesmas"])
    assert (puskesmas.region_id, puskesmas.valid_from, puskesmas.valid_to) == (
        KEC,
        datetime.date(2025, 8, 1),
        datetime.date(2025, 12, 31),
    )
    assert {"BL-01", "IB-01"} <= _codes(puskesmas)
    assert "KL-03" not in _codes(puskesmas)
    assert "KL-03" in _codes(ReportingDuty.objects.get(unit=units["dinsos"], region_id=KEC))
    own = ReportingDuty.objects.get(region_id=KEC, unit=None)
    assert "BL-01" not in _codes(own)  # carried by the puskesmas
    assert "RT-01" in _codes(own)  # no public-works unit: the kecamatan reports it
    assert own.target_groups.filter(code="child_under_five").exists()
    elsewhere = ReportingDuty.objects.get(region_id="35.19.02", unit=None)
    assert "BL-01" in _codes(elsewhere)  # no puskesmas set up there
    village_indicators = set(
        Indicator.objects.filter(
            catalogue__year=2025, entry_level=Indicator.EntryLevel.VILLAGE
        ).values_list("code", flat=True)
    )
    carried = set().union(*(_codes(d) for d in ReportingDuty.objects.filter(region_id=KEC)))
    assert carried == village_indicators  # every indicator has someone to report it


def test_generating_again_changes_nothing_and_keeps_an_admins_edit(
    units: dict[str, ReportingUnit], central_admin: User
) -> None:
    _generate()
    duty = ReportingDuty.objects.get(unit=units["plkb"])
    duties.reporting_duty_update(
        actor=central_admin,
        duty=duty,
        valid_from=datetime.date(2025, 3, 1),
        valid_to=None,
        indicators=Indicator.objects.filter(catalogue__year=2025, code="KL-02"),
        target_groups=[],
    )
    again = _generate()
    assert (again.created, again.updated, again.deleted, again.kept_edited) == (0, 0, 0, 1)
    duty.refresh_from_db()
    assert (duty.origin, _codes(duty), duty.valid_from) == (
        "edited",
        {"KL-02"},
        datetime.date(2025, 3, 1),
    )
    assert AuditEvent.objects.filter(event_type=duties.DUTY_CHANGED).count() == 1


def test_a_closed_unit_loses_its_generated_duty(units: dict[str, ReportingUnit]) -> None:
    _generate()
    units["plkb"].active_to = datetime.date(2024, 12, 31)
    units["plkb"].save()
    assert _generate().deleted == 1
    assert not ReportingDuty.objects.filter(unit=units["plkb"]).exists()


def test_only_an_admin_of_the_region_generates(
    units: dict[str, ReportingUnit], district_operator: User
) -> None:
    with pytest.raises(PermissionDenied):
        _generate(district_operator)
    assert _generate(region_admin()).created > 0


def test_the_command_generates_for_the_kab_kota_with_units(
    units: dict[str, ReportingUnit],
) -> None:
    out = StringIO()
    call_command("reporting_duties", "generate", "--year", "2025", stdout=out)
    assert out.getvalue().startswith("35.19 ")
    assert ReportingDuty.objects.filter(region__parent_id="35.19").exists()


def test_the_setup_page_generates_and_lists_duties_in_constant_queries(
    client: Any, units: dict[str, ReportingUnit], django_assert_max_num_queries: Any
) -> None:
    client.force_login(region_admin())
    url = reverse("reporting:setup", args=["35.19", 2025])
    assert client.post(url, {"action": "generate"}).status_code == 302
    # session, user, assignments, district, kecamatan, switch, duties + indicators + groups,
    # messages/session save (savepoint: 3)
    with django_assert_max_num_queries(13):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["duties"]) == ReportingDuty.objects.count() > 15
    assert "Puskesmas Kebonsari" in response.content.decode()


def test_an_admin_edits_a_duty_on_its_page(client: Any, units: dict[str, ReportingUnit]) -> None:
    _generate()
    duty = ReportingDuty.objects.get(unit=units["plkb"])
    client.force_login(region_admin())
    indicator = Indicator.objects.get(catalogue__year=2025, code="KL-01")
    response = client.post(
        reverse("reporting:duty", args=[duty.pk]),
        {"valid_from": "2025-04-01", "valid_to": "", "indicators": [indicator.pk]},
    )
    assert response.status_code == 302
    duty.refresh_from_db()
    assert (duty.origin, _codes(duty), duty.valid_from) == (
        "edited",
        {"KL-01"},
        datetime.date(2025, 4, 1),
    )


def test_others_do_not_reach_the_setup_pages(
    client: Any, units: dict[str, ReportingUnit], district_operator: User
) -> None:
    _generate()
    client.force_login(district_operator)
    assert client.get(reverse("reporting:setup", args=["35.19", 2025])).status_code == 404
    duty = ReportingDuty.objects.first()
    assert duty is not None
    assert client.get(reverse("reporting:duty", args=[duty.pk])).status_code == 404


def test_the_menu_links_lead_to_the_admins_kab_kota_and_the_open_years_rules(
    client: Any, db: None
) -> None:
    client.force_login(region_admin())
    response = client.get(reverse("reporting:setup_index"))
    assert response.status_code == 302
    assert response["Location"].startswith("/entry/setup/35.19/")
    rules = client.get(reverse("reporting:rules_current"))
    assert rules.status_code == 302
    assert rules["Location"].startswith("/entry/rules/")


def test_a_provincial_admin_chooses_among_its_kab_kota(client: Any, db: None) -> None:
    client.force_login(region_admin("35", "admin_jatim"))
    response = client.get(reverse("reporting:setup_index"))
    assert response.status_code == 200
    assert len(response.context["districts"]) == 38  # Jawa Timur's kabupaten and kota


def test_a_units_grid_shows_the_indicators_of_its_duties_open_in_the_period(
    client: Any, units: dict[str, ReportingUnit], central_admin: User
) -> None:
    from aksi.accounts.models import Role, RoleAssignment

    _generate()
    operator = User.objects.create_user(username="op_puskesmas", password="x")
    RoleAssignment.objects.create(
        user=operator,
        role=Role.OPERATOR,
        region=Region.objects.get(code=KEC),
        unit=units["puskesmas"],
    )
    client.force_login(operator)
    before = client.get(reverse("reporting:grid", args=["2025S1", KEC]))
    assert before.context["indicators"] == []  # the puskesmas opened in August
    after = client.get(reverse("reporting:grid", args=["2025S2", KEC]))
    assert {"BL-01", "IB-01"} <= {i.code for i in after.context["indicators"]}
    # An admin narrows the duty: the grid follows.
    duties.reporting_duty_update(
        actor=central_admin,
        duty=ReportingDuty.objects.get(unit=units["puskesmas"]),
        valid_from=datetime.date(2025, 8, 1),
        valid_to=None,
        indicators=Indicator.objects.filter(catalogue__year=2025, code__in=["BL-01", "BL-02"]),
        target_groups=[],
    )
    narrowed = client.get(reverse("reporting:grid", args=["2025S2", KEC]))
    assert [i.code for i in narrowed.context["indicators"]] == ["BL-01", "BL-02"]
