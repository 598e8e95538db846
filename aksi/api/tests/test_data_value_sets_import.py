"""POST /api/dataValueSets: DHIS2 JSON and CSV, a mix of new, changed, invalid and
out-of-scope values, counted and listed exactly; then read back through the API and the
rollups."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from aksi.accounts.models import User
from aksi.analytics.models import CoverageRollup
from aksi.catalogue.models import Indicator
from aksi.core.models import AuditEvent, AuditEventType
from aksi.regions.models import Region
from aksi.reporting.models import CoverageValue, CoverageValueChange, Origin
from aksi.reporting.services import coverage_value_save

URL = "/api/dataValueSets"


def _dv(element: str, org_unit: str, value: str, period: str = "2025") -> dict[str, str]:
    return {"dataElement": element, "period": period, "orgUnit": org_unit, "value": value}


def _indicator(code: str) -> Indicator:
    return Indicator.objects.get(catalogue__year=2025, code=code)


def _seed(actor: User) -> None:
    coverage_value_save(
        actor=actor,
        indicator=_indicator("BL-01"),
        region=Region.objects.get(code="35.19.01.2001"),
        period="2025",
        numerator=40,
        denominator=50,
    )


MIXED = [
    _dv("BL-01.NUM", "35.19.01.2001", "45"),  # 0 changed 40 → 45
    _dv("BL-01.DEN", "35.19.01.2001", "50"),  # 1 unchanged
    _dv("BL-02.NUM", "35.19.01.2002", "10"),  # 2 new
    _dv("BL-02.DEN", "35.19.01.2002", "20"),  # 3 new
    _dv("BL-03.NUM", "35.19.01.2002", "abc"),  # 4 not a number
    _dv("BL-02.NUM", "35.19.02.1002", "5"),  # 5 another kecamatan: outside the scope
    _dv("ZZ-99.NUM", "35.19.01.2002", "5"),  # 6 unknown data element
    _dv("BL-02.NUM", "35.19.01.2003", "5", period="2025X"),  # 7 not a period
    _dv("BL-02.NUM", "99.99.99.9999", "5"),  # 8 unknown org unit
    _dv("BL-04.NUM", "35.19.01.2003", "30"),  # 9 numerator above a register denominator
    _dv("BL-04.DEN", "35.19.01.2003", "20"),  # 10 (the same pair)
]


def _post_json(client: Client, payload: Any, query: str = "") -> Any:
    return client.post(f"{URL}{query}", json.dumps(payload), content_type="application/json")


def _conflicts(body: dict[str, Any]) -> list[tuple[int, str, str]]:
    return sorted(
        (c["indexes"][0], c["errorCode"], c["object"]) for c in body["response"]["conflicts"]
    )


def test_a_mixed_json_payload_stores_the_valid_values_and_lists_every_conflict(
    api: Client, kebonsari_operator: User
) -> None:
    _seed(kebonsari_operator)
    response = _post_json(api, {"dataValues": MIXED})

    assert response.status_code == 409  # DHIS2 answers Conflict when any value is refused
    body = response.json()
    assert body["response"]["status"] == "WARNING"
    assert body["response"]["importCount"] == {
        "imported": 2,
        "updated": 1,
        "ignored": 8,  # the unchanged denominator and seven refused values
        "deleted": 0,
    }
    assert _conflicts(body) == [
        (4, "E7619", "BL-03.NUM"),
        (5, "E7617", "35.19.02.1002"),
        (6, "E7610", "ZZ-99.NUM"),
        (7, "E7611", "2025X"),
        (8, "E7612", "99.99.99.9999"),
        (9, "E7619", "BL-04.NUM"),
        (10, "E7619", "BL-04.DEN"),
    ]
    reasons = {c["indexes"][0]: c["value"] for c in body["response"]["conflicts"]}
    assert "outside the regions you enter data for" in reasons[5]
    assert "numerator (30) is larger than the denominator (20)" in reasons[9]

    stored = {
        (v.indicator.code, v.region_id): (v.numerator, v.denominator, v.origin)
        for v in CoverageValue.objects.select_related("indicator")
    }
    assert stored == {
        ("BL-01", "35.19.01.2001"): (45, 50, Origin.API),
        ("BL-02", "35.19.01.2002"): (10, 20, Origin.API),
    }
    history = CoverageValueChange.objects.filter(via=Origin.API, actor=kebonsari_operator)
    assert set(history.values_list("old_numerator", "new_numerator")) == {(None, 10), (40, 45)}
    event = AuditEvent.objects.get(event_type=AuditEventType.VALUES_RECEIVED)
    assert (event.actor, event.data["imported"], event.data["updated"]) == (
        kebonsari_operator,
        2,
        1,
    )

    # Read back: the API gives what was stored, side by side as data elements.
    exported = api.get(URL, {"orgUnit": "35.19.01", "children": "true", "period": "2025"})
    assert exported.status_code == 200
    values = json.loads(b"".join(exported.streaming_content))["dataValues"]
    assert sorted((v["dataElement"], v["orgUnit"], v["value"]) for v in values) == [
        ("BL-01.DEN", "35.19.01.2001", "50"),
        ("BL-01.NUM", "35.19.01.2001", "45"),
        ("BL-02.DEN", "35.19.01.2002", "20"),
        ("BL-02.NUM", "35.19.01.2002", "10"),
    ]
    assert {v["storedBy"] for v in values} == {"op_kebonsari"}

    # And the rollups moved at every level in the same request.
    bl02 = _indicator("BL-02")
    for code in ("35.19.01", "35.19", "35", ""):
        rollup = CoverageRollup.objects.get(indicator=bl02, region_code=code, period="2025")
        assert (rollup.numerator_sum, rollup.denominator_sum, rollup.complete_count) == (10, 20, 1)


CSV_PAYLOAD = (
    "dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,"
    "lastupdated,comment,followup\n"
    "BL-01.NUM,2025,35.19.01.2001,,,41,,,checked with the register,false\n"  # changed
    "BL-02.NUM,2025,35.19.01.2004,,,7,,,,false\n"  # new
    "BL-02.DEN,2025,35.19.01.2004,,,9,,,,false\n"  # new
    "BL-02.NUM,2025,35.19.01.2004,,,-3,,,,false\n"  # negative
    "BL-02.NUM,2025,35.18.01.2001,,,3,,,,false\n"  # a sibling kabupaten
    "RT-03.NUM,2025,35.19.01.2004,,,true,,,,false\n"  # yes/no indicator: new
    "RT-03.DEN,2025,35.19.01.2004,,,1,,,,false\n"  # a yes/no indicator has no denominator
)


def test_a_csv_payload_is_read_with_its_header_and_the_same_rules(
    api: Client, kebonsari_operator: User
) -> None:
    _seed(kebonsari_operator)
    response = api.post(f"{URL}.csv", CSV_PAYLOAD, content_type="text/csv")

    body = response.json()
    assert body["response"]["importCount"] == {
        "imported": 3,
        "updated": 1,
        "ignored": 3,
        "deleted": 0,
    }
    # Indexes are CSV data rows counted from 1 after the header.
    assert _conflicts(body) == [
        (4, "E7619", "BL-02.NUM"),
        (5, "E7617", "35.18.01.2001"),
        (7, "E7610", "RT-03.DEN"),
    ]
    bl01 = CoverageValue.objects.get(indicator__code="BL-01", region_id="35.19.01.2001")
    assert (bl01.numerator, bl01.note) == (41, "checked with the register")
    rt03 = CoverageValue.objects.get(indicator__code="RT-03", region_id="35.19.01.2004")
    assert (rt03.numerator, rt03.denominator) == (1, 1)

    exported = api.get(f"{URL}.csv", {"orgUnit": "35.19.01.2004", "period": "2025"})
    lines = b"".join(exported.streaming_content).decode().splitlines()
    assert lines[0].startswith("dataelement,period,orgunit")
    assert sorted(line.split(",")[0] + "=" + line.split(",")[5] for line in lines[1:]) == [
        "BL-02.DEN=9",
        "BL-02.NUM=7",
        "RT-03.NUM=true",
    ]


def test_a_dry_run_classifies_everything_and_stores_nothing(
    api: Client, kebonsari_operator: User
) -> None:
    _seed(kebonsari_operator)
    before = (CoverageValue.objects.count(), CoverageValueChange.objects.count())
    rollups = list(CoverageRollup.objects.values_list("numerator_sum", flat=True).order_by("pk"))

    response = _post_json(api, {"dataValues": MIXED}, "?dryRun=true")

    body = response.json()
    assert body["response"]["importOptions"]["dryRun"] is True
    assert body["response"]["importCount"]["imported"] == 2
    assert (CoverageValue.objects.count(), CoverageValueChange.objects.count()) == before
    assert CoverageValue.objects.get(indicator__code="BL-01").numerator == 40
    assert (
        list(CoverageRollup.objects.values_list("numerator_sum", flat=True).order_by("pk"))
        == rollups
    )
    assert not AuditEvent.objects.filter(event_type=AuditEventType.VALUES_RECEIVED).exists()


def test_set_level_period_and_org_unit_apply_to_values_without_their_own(api: Client) -> None:
    payload = {
        "period": "2025",
        "orgUnit": "35.19.01.2002",
        "dataValues": [
            {"dataElement": "BL-02.NUM", "value": "3"},
            {"dataElement": "BL-02.DEN", "value": "4"},
        ],
    }
    response = _post_json(api, payload)
    assert response.status_code == 200
    assert response.json()["response"]["importCount"]["imported"] == 2
    value = CoverageValue.objects.get(region_id="35.19.01.2002")
    assert (value.numerator, value.denominator) == (3, 4)
