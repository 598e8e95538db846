"""Import strategies, locks, and bad payloads of POST /api/dataValueSets."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from aksi.accounts.models import User
from aksi.catalogue.models import Indicator
from aksi.regions.models import Region
from aksi.reporting.models import CoverageValue, CoverageValueChange
from aksi.reporting.services import coverage_value_save
from aksi.review.services import submission_submit

URL = "/api/dataValueSets"
DESA = "35.19.01.2001"


def _save(actor: User, numerator: int = 40, denominator: int = 50, desa: str = DESA) -> None:
    coverage_value_save(
        actor=actor,
        indicator=Indicator.objects.get(catalogue__year=2025, code="BL-01"),
        region=Region.objects.get(code=desa),
        period="2025",
        numerator=numerator,
        denominator=denominator,
    )


def _post(client: Client, values: list[dict[str, Any]], query: str = "") -> Any:
    return client.post(
        f"{URL}{query}", json.dumps({"dataValues": values}), content_type="application/json"
    )


def _dv(element: str, value: str, org_unit: str = DESA, **extra: Any) -> dict[str, Any]:
    return {"dataElement": element, "period": "2025", "orgUnit": org_unit, "value": value} | extra


def test_create_strategy_refuses_existing_values_and_stores_new_ones(
    api: Client, kebonsari_operator: User
) -> None:
    _save(kebonsari_operator)
    body = _post(
        api,
        [_dv("BL-01.NUM", "1"), _dv("BL-01.NUM", "2", org_unit="35.19.01.2002")],
        "?importStrategy=CREATE",
    ).json()["response"]
    assert body["importCount"] == {"imported": 1, "updated": 0, "ignored": 1, "deleted": 0}
    assert [c["errorCode"] for c in body["conflicts"]] == ["E7630"]
    assert CoverageValue.objects.get(region_id=DESA).numerator == 40


def test_update_strategy_refuses_new_values(api: Client, kebonsari_operator: User) -> None:
    _save(kebonsari_operator)
    body = _post(
        api,
        [_dv("BL-01.NUM", "41"), _dv("BL-01.NUM", "2", org_unit="35.19.01.2002")],
        "?importStrategy=UPDATE",
    ).json()["response"]
    assert body["importCount"] == {"imported": 0, "updated": 1, "ignored": 1, "deleted": 0}
    assert not CoverageValue.objects.filter(region_id="35.19.01.2002").exists()


def test_delete_clears_the_numbers_and_keeps_the_history(
    api: Client, kebonsari_operator: User
) -> None:
    _save(kebonsari_operator)
    body = _post(
        api, [_dv("BL-01.NUM", ""), _dv("BL-01.DEN", "")], "?importStrategy=DELETE"
    ).json()["response"]
    assert body["importCount"]["deleted"] == 2
    value = CoverageValue.objects.get(region_id=DESA)
    assert (value.numerator, value.denominator) == (None, None)
    assert list(value.changes.order_by("id").values_list("new_numerator", flat=True)) == [40, None]


def test_a_value_marked_deleted_clears_one_side(api: Client, kebonsari_operator: User) -> None:
    _save(kebonsari_operator)
    body = _post(api, [_dv("BL-01.NUM", "40", deleted=True)]).json()["response"]
    assert body["importCount"]["deleted"] == 1
    value = CoverageValue.objects.get(region_id=DESA)
    assert (value.numerator, value.denominator) == (None, 50)


def test_values_under_a_submitted_report_are_refused_as_locked(
    api: Client, kebonsari_operator: User
) -> None:
    _save(kebonsari_operator)
    submission_submit(
        actor=kebonsari_operator, region=Region.objects.get(code="35.19.01"), period="2025"
    )
    response = _post(api, [_dv("BL-01.NUM", "45")])
    conflicts = response.json()["response"]["conflicts"]
    assert [c["errorCode"] for c in conflicts] == ["E7641"]
    assert "submitted and are locked" in conflicts[0]["value"]
    assert CoverageValue.objects.get(region_id=DESA).numerator == 40


def test_a_viewer_imports_nothing(db: None) -> None:
    from aksi.accounts.models import Role
    from aksi.accounts.tests.factories import user_with_role

    from .conftest import token_client

    viewer = user_with_role("viewer_madiun", Role.VIEWER, "35.19")
    response = _post(token_client(viewer), [_dv("BL-01.NUM", "45"), _dv("BL-01.DEN", "50")])
    assert response.json()["response"]["importCount"]["ignored"] == 2
    assert not CoverageValue.objects.exists()


@pytest.mark.parametrize(
    ("body", "content_type", "status", "words"),
    [
        ('{"dataValues": [{"dataElement": "BL-01.NUM",', "application/json", 400, "not valid JSON"),
        ("<dataValueSet/>", "application/xml", 415, "application/json or text/csv"),
    ],
)
def test_a_malformed_body_or_a_wrong_content_type_is_refused_and_stores_nothing(
    api: Client, body: str, content_type: str, status: int, words: str
) -> None:
    response = api.post(URL, body, content_type=content_type)
    assert response.status_code == status
    assert words in response.json()["message"]
    assert not CoverageValue.objects.exists()
    assert not CoverageValueChange.objects.exists()


def test_a_payload_over_the_size_limit_is_refused_whole(api: Client, settings: Any) -> None:
    settings.AKSI_API_MAX_BYTES = 2000
    values = [_dv("BL-01.NUM", str(n), org_unit=f"35.19.01.200{n % 9 + 1}") for n in range(60)]
    response = _post(api, values)
    assert response.status_code == 413
    assert not CoverageValue.objects.exists()


def test_an_unknown_import_strategy_is_named(api: Client) -> None:
    response = _post(api, [_dv("BL-01.NUM", "1")], "?importStrategy=MERGE")
    assert response.status_code == 409
    assert "CREATE_AND_UPDATE" in response.json()["message"]


def test_reading_a_region_outside_the_view_scope_is_forbidden(api: Client) -> None:
    response = api.get(URL, {"orgUnit": "35.18", "children": "true", "period": "2025"})
    assert response.status_code == 403
    assert "35.18" in response.json()["message"]


def test_reading_needs_an_org_unit_and_a_period(api: Client) -> None:
    assert api.get(URL, {"period": "2025"}).status_code == 409
    assert api.get(URL, {"orgUnit": "35.19.01"}).status_code == 409


def test_a_kecamatan_operator_writes_nothing_until_its_entry_is_switched_on(
    api: Client, kebonsari_operator: User, central_admin: User
) -> None:
    from aksi.reporting.entry_switch import subdistrict_entry_set

    subdistrict_entry_set(
        actor=central_admin,
        district=Region.objects.get(code="35.19"),
        mode="pilot",
        pilot_codes=["35.19.02"],
    )
    response = _post(api, [_dv("BL-01.NUM", "45")])
    conflicts = response.json()["response"]["conflicts"]
    assert [c["errorCode"] for c in conflicts] == ["E7617"]
    assert "not switched on for 35.19.01" in conflicts[0]["value"]
    assert not CoverageValue.objects.exists()


def test_a_nul_character_is_a_conflict_or_a_400_never_a_server_error(api: Client) -> None:
    response = _post(api, [_dv("BL-01.NUM", "4", org_unit="35.19.01.2001\x00")])
    assert response.json()["response"]["conflicts"][0]["errorCode"] == "E7619"
    assert api.get(URL, {"orgUnit": "35.19\x00", "period": "2025"}).status_code == 400
    assert api.get("/api/v1/regions", {"q": "Pa\x00"}).status_code == 422


def test_a_locked_kabupaten_does_not_lock_or_unlock_its_siblings(db: None) -> None:
    """RT-04 is entered per kab/kota: each one's own submission locks it, not a sibling's."""
    from aksi.accounts.models import Role
    from aksi.accounts.tests.factories import user_with_role
    from aksi.api.tests.conftest import token_client

    district = user_with_role("op_sragen", Role.OPERATOR, "35.14")
    province = user_with_role("op_jatim", Role.OPERATOR, "35")
    indicator = Indicator.objects.get(catalogue__year=2025, code="RT-04")
    coverage_value_save(
        actor=district,
        indicator=indicator,
        region=Region.objects.get(code="35.14"),
        period="2025",
        numerator=10,
        denominator=20,
    )
    submission_submit(actor=district, region=Region.objects.get(code="35.14"), period="2025")
    # The open sibling first, then the locked one, then the open one again: neither order may
    # carry one kab/kota's verdict over to the other.
    values = [
        _dv("RT-04.NUM", "5", org_unit="35.15"),
        _dv("RT-04.NUM", "11", org_unit="35.14"),
        _dv("RT-04.DEN", "9", org_unit="35.15"),
    ]
    response = _post(token_client(province), values)
    conflicts = response.json()["response"]["conflicts"]
    assert [(c["object"], c["errorCode"]) for c in conflicts] == [("2025", "E7641")]
    assert response.json()["response"]["rejectedIndexes"] == [1]
    assert CoverageValue.objects.get(region_id="35.14").numerator == 10
    stored = CoverageValue.objects.get(region_id="35.15")
    assert (stored.numerator, stored.denominator) == (5, 9)
