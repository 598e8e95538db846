"""Every role × the API writes (a DHIS2 data value set, the native bulk upsert), inside and
outside the actor's entry scope: another desa of the same kecamatan, a sibling kota, the parent
level. Inside the value is stored; outside it is refused — 401 without credentials, else a
conflict naming the org unit (E7617, answer 409) — and nothing is stored."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from aksi.accounts.models import Role
from aksi.accounts.tests.factories import user_with_role
from aksi.reporting.models import CoverageValue
from aksi.reporting.tests.test_entry_authorization_matrix import CELLS, _covers

from .conftest import basic_client, token_client

ACTORS = [
    (Role.OPERATOR, "35.19.01.2001"),
    (Role.OPERATOR, "35.19.01"),
    (Role.OPERATOR, "35.19"),
    (Role.VERIFIER, "35.19"),
    (Role.REGION_ADMIN, "35.19"),
    (Role.VIEWER, "35.19"),
    (Role.PANELIST, "35"),
    (Role.PROVINCIAL_REVIEWER, "35"),
    (Role.CENTRAL_MONITOR, None),
    (Role.CENTRAL_ADMIN, None),
    ("anonymous", None),
]
ENTRY_ROLES = (Role.OPERATOR, Role.VERIFIER, Role.REGION_ADMIN)


def _client(role: str, region: str | None, *, basic: bool) -> Client:
    if role == "anonymous":
        return Client(HTTP_ACCEPT_LANGUAGE="en")
    user = user_with_role("actor", role, region)
    return basic_client("actor") if basic else token_client(user)


@pytest.mark.parametrize(("role", "region"), ACTORS)
@pytest.mark.parametrize("where", list(CELLS))
def test_a_dhis2_value_is_stored_inside_the_entry_scope_and_refused_outside(
    db: None, role: str, region: str | None, where: str
) -> None:
    code, target = CELLS[where]
    client = _client(role, region, basic=False)
    payload = {
        "dataValues": [
            {"dataElement": f"{code}.NUM", "period": "2025", "orgUnit": target, "value": "1"},
            {"dataElement": f"{code}.DEN", "period": "2025", "orgUnit": target, "value": "2"},
        ]
    }
    response = client.post(
        "/api/dataValueSets", json.dumps(payload), content_type="application/json"
    )
    may = role in ENTRY_ROLES and _covers(region, target)
    saved = CoverageValue.objects.filter(indicator__code=code, region_id=target).exists()
    assert saved == may, f"{role}@{region} {'should' if may else 'must not'} save {where}"
    if role == "anonymous":
        assert response.status_code == 401
    elif not may:
        assert response.status_code == 409
        codes = {c["errorCode"] for c in response.json()["response"]["conflicts"]}
        assert codes == {"E7617"}


@pytest.mark.parametrize(("role", "region"), ACTORS)
@pytest.mark.parametrize("where", ["own desa", "sibling kota"])
def test_a_native_bulk_value_follows_the_same_scope(
    db: None, role: str, region: str | None, where: str
) -> None:
    code, target = CELLS[where]
    client = _client(role, region, basic=True)
    response = client.post(
        "/api/v1/values",
        {
            "values": [
                {
                    "indicator": code,
                    "region": target,
                    "period": "2025",
                    "numerator": 1,
                    "denominator": 2,
                }
            ]
        },
        content_type="application/json",
    )
    may = role in ENTRY_ROLES and _covers(region, target)
    saved = CoverageValue.objects.filter(indicator__code=code, region_id=target).exists()
    assert saved == may
    if role == "anonymous":
        assert response.status_code == 401
    elif not may:
        assert [c["code"] for c in response.json()["conflicts"]] == ["E7617"]
