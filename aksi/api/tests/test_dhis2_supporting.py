"""Data pendukung and data sasaran in the DHIS2 exchange: listed as data elements and data sets,
exported by GET /api/dataValueSets, and received by POST next to coverage values (JSON and CSV),
with the rules of their own services, the import strategies, dryRun and atomicMode."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.catalogue.models import Indicator, SupportingItem, TargetGroup
from aksi.core.models import AuditEvent, AuditEventType
from aksi.regions.models import Region
from aksi.reporting.models import (
    CountSource,
    CoverageValue,
    CoverageValueChange,
    Origin,
    SupportingValue,
    SupportingValueChange,
    TargetGroupCount,
    TargetGroupCountChange,
)
from aksi.reporting.services import coverage_value_save, target_group_count_save
from aksi.reporting.supporting.values import supporting_value_save

from .conftest import token_client

URL = "/api/dataValueSets"
DESA = "35.19.01.2001"  # Tambakmas, Kec. Kebonsari
OTHER = "35.19.01.2002"  # Tanjungrejo
KECAMATAN = "35.19.01"
LOCKED_DESA = "35.19.02.1002"  # Mlilir: its kecamatan's 2025 report is submitted
OUTSIDE = "35.18.01.2001"  # Bendolo, Kab. Magetan: outside Kab. Madiun


@pytest.fixture
def operator(db: None) -> User:
    """A kab/kota operator of Kab. Madiun: enters for every kecamatan of it."""
    return user_with_role("op_madiun", Role.OPERATOR, "35.19")


@pytest.fixture
def api(operator: User) -> Client:
    return token_client(operator)


@pytest.fixture
def locked(db: None) -> Region:
    from aksi.review.measures import coverage_step
    from aksi.review.models import Submission

    kecamatan = Region.objects.get(code="35.19.02")
    Submission.objects.create(
        step=coverage_step(2025),
        region=kecamatan,
        period="2025",
        status=Submission.Status.SUBMITTED,
    )
    return kecamatan


def _item(code: str) -> SupportingItem:
    return SupportingItem.objects.get(catalogue__year=2025, code=code)


def _seed(actor: User) -> None:
    """A coverage pair, a supporting value and a target-group count of Tambakmas, saved by hand."""
    desa = Region.objects.get(code=DESA)
    coverage_value_save(
        actor=actor,
        indicator=Indicator.objects.get(catalogue__year=2025, code="BL-01"),
        region=desa,
        period="2025",
        numerator=40,
        denominator=50,
    )
    supporting_value_save(actor=actor, item=_item("DP-01"), region=desa, period="2025", value=3)
    target_group_count_save(
        actor=actor,
        target_group=TargetGroup.objects.get(code="pregnant_woman"),
        region=desa,
        period="2025",
        count=10,
        source=CountSource.DUKCAPIL,
    )


def _dv(element: str, org_unit: str, value: Any, **extra: Any) -> dict[str, Any]:
    return {"dataElement": element, "period": "2025", "orgUnit": org_unit, "value": value} | extra


MIXED = [
    _dv("BL-01.NUM", DESA, "45"),  # 0 coverage, changed 40 → 45
    _dv("BL-01.DEN", DESA, "50"),  # 1 coverage, unchanged
    _dv("DP-01", DESA, "4", comment="two new posyandu"),  # 2 supporting, changed 3 → 4
    _dv("DP-05", DESA, "true"),  # 3 yes/no item, new
    _dv("DP-15", DESA, 1250000),  # 4 rupiah item, new (a JSON number)
    _dv("TG.pregnant_woman", DESA, "12"),  # 5 target group, changed 10 → 12
    _dv("TG.child_under_five", DESA, "80"),  # 6 target group, new
    _dv("DP-16", KECAMATAN, "3"),  # 7 kecamatan item for the kecamatan, new
    _dv("DP-05", OTHER, "2"),  # 8 a yes/no item answered 2
    _dv("TG.infant", OTHER, "-4"),  # 9 a negative count
    _dv("DP-99", OTHER, "1"),  # 10 no such item
    _dv("TG.grandparent", OTHER, "1"),  # 11 no such target group
    _dv("DP-16", OTHER, "2"),  # 12 a kecamatan item sent for a desa
    _dv("TG.infant", KECAMATAN, "9"),  # 13 a count sent for a kecamatan
    _dv("DP-01", LOCKED_DESA, "5"),  # 14 its kecamatan's report is submitted
    _dv("TG.infant", LOCKED_DESA, "7"),  # 15 the same
    _dv("DP-01", OUTSIDE, "5"),  # 16 outside the operator's regions
    _dv("TG.infant", OUTSIDE, "5"),  # 17 the same
    _dv("DP-01", DESA, "6"),  # 18 the same item, desa and period again
    _dv("DP-02", OTHER, "3", period="2025X"),  # 19 not a period
]
# index → (error code, object named)
MIXED_CONFLICTS = [
    (8, "E7619", "DP-05"),
    (9, "E7619", "TG.infant"),
    (10, "E7610", "DP-99"),
    (11, "E7610", "TG.grandparent"),
    (12, "E7619", "DP-16"),
    (13, "E7619", "TG.infant"),
    (14, "E7641", "2025"),
    (15, "E7641", "2025"),
    (16, "E7617", OUTSIDE),
    (17, "E7617", OUTSIDE),
    (18, "E7619", "DP-01"),
    (19, "E7611", "2025X"),
]


def _post_json(client: Client, values: list[dict[str, Any]], query: str = "") -> Any:
    return client.post(
        f"{URL}{query}", json.dumps({"dataValues": values}), content_type="application/json"
    )


def _conflicts(body: dict[str, Any]) -> list[tuple[int, str, str]]:
    return sorted(
        (c["indexes"][0], c["errorCode"], c["object"]) for c in body["response"]["conflicts"]
    )


def _reasons(body: dict[str, Any]) -> dict[int, str]:
    return {c["indexes"][0]: c["value"] for c in body["response"]["conflicts"]}


def _exported(client: Client, **params: str) -> list[tuple[str, str, str, str]]:
    response = client.get(URL, {"period": "2025"} | params)
    assert response.status_code == 200
    values = json.loads(b"".join(response.streaming_content))["dataValues"]
    return sorted((v["dataElement"], v["orgUnit"], v["value"], v["comment"]) for v in values)


def _supporting() -> dict[tuple[str, str], tuple[int | None, str, str]]:
    return {
        (v.item.code, v.region_id): (v.value, v.note, v.origin)
        for v in SupportingValue.objects.select_related("item")
    }


def _counts() -> dict[tuple[str, str], tuple[int | None, str, str]]:
    return {
        (c.target_group.code, c.region_id): (c.count, c.source, c.origin)
        for c in TargetGroupCount.objects.select_related("target_group")
    }


def test_a_mixed_json_payload_stores_supporting_values_and_counts_next_to_coverage(
    api: Client, operator: User, locked: Region
) -> None:
    _seed(operator)
    response = _post_json(api, MIXED)

    assert response.status_code == 409
    body = response.json()
    assert body["response"]["status"] == "WARNING"
    assert body["response"]["importCount"] == {
        "imported": 4,  # DP-05, DP-15, TG.child_under_five, DP-16 of the kecamatan
        "updated": 3,  # BL-01.NUM, DP-01, TG.pregnant_woman
        "ignored": 13,  # the unchanged BL-01.DEN and twelve refused values
        "deleted": 0,
    }
    assert _conflicts(body) == MIXED_CONFLICTS
    assert body["response"]["conflictCount"] == 12
    reasons = _reasons(body)
    assert reasons[8] == "Tanjungrejo: DP-05 is answered Ya or Tidak."
    assert reasons[9] == "-4: a count cannot be negative"
    assert reasons[10].startswith("DP-99 is not a data element")
    assert reasons[11] == "grandparent is not a target-group code."
    assert reasons[12] == "Tanjungrejo: DP-16 is entered per subdistrict, not for Tanjungrejo."
    assert reasons[13] == "Kebonsari: Target-group data are entered per village, not for Kebonsari."
    assert "submitted and are locked" in reasons[14]
    assert reasons[15] == "The data of 35.19.02 for 2025 are submitted or verified and locked."
    assert reasons[16] == "35.18.01.2001 Bendolo is outside the regions you enter data for."
    assert reasons[17] == reasons[16]
    assert "came earlier" in reasons[18]

    # Stored: coverage as before, supporting values and counts with the API as their origin.
    bl01 = CoverageValue.objects.get(indicator__code="BL-01", region_id=DESA)
    assert (bl01.numerator, bl01.denominator) == (45, 50)
    assert _supporting() == {
        ("DP-01", DESA): (4, "two new posyandu", Origin.API),
        ("DP-05", DESA): (1, "", Origin.API),
        ("DP-15", DESA): (1_250_000, "", Origin.API),
        ("DP-16", KECAMATAN): (3, "", Origin.API),
    }
    assert _counts() == {
        ("pregnant_woman", DESA): (12, CountSource.OTHER, Origin.API),
        ("child_under_five", DESA): (80, CountSource.OTHER, Origin.API),
    }
    # History: one row per change, the hand-made save first; versions move on.
    dp01 = SupportingValue.objects.get(item__code="DP-01", region_id=DESA)
    assert dp01.version == 2
    assert list(dp01.changes.order_by("id").values_list("old_value", "new_value", "via")) == [
        (None, 3, Origin.ENTERED),
        (3, 4, Origin.API),
    ]
    assert SupportingValueChange.objects.filter(via=Origin.API, actor=operator).count() == 4
    pregnant = TargetGroupCount.objects.get(target_group__code="pregnant_woman")
    assert pregnant.version == 2
    assert list(
        pregnant.changes.order_by("id").values_list("old_count", "new_count", "old_source")
    ) == [(None, 10, ""), (10, 12, CountSource.DUKCAPIL)]
    assert TargetGroupCountChange.objects.filter(via=Origin.API).count() == 2
    # One audit event per kind of data.
    events = {
        e.data.get("what", "coverage_values"): e.data
        for e in AuditEvent.objects.filter(
            event_type=AuditEventType.VALUES_RECEIVED, actor=operator
        )
    }
    assert {k: (d["imported"], d["updated"], d["ignored"]) for k, d in events.items()} == {
        "coverage_values": (0, 1, 2),  # DP-99 is no supporting item: a coverage conflict
        "supporting_values": (3, 1, 6),
        "target_group_counts": (1, 1, 5),
    }

    # Read back through the API: every kind, then each data set, then by data element.
    everything = _exported(api, orgUnit=KECAMATAN, children="true")
    assert everything == [
        ("BL-01.DEN", DESA, "50", ""),
        ("BL-01.NUM", DESA, "45", ""),
        ("DP-01", DESA, "4", "two new posyandu"),
        ("DP-05", DESA, "true", ""),
        ("DP-15", DESA, "1250000", ""),
        ("DP-16", KECAMATAN, "3", ""),
        ("TG.child_under_five", DESA, "80", ""),
        ("TG.pregnant_woman", DESA, "12", ""),
    ]
    supporting_set = _exported(api, orgUnit=KECAMATAN, children="true", dataSet="SUPPORTING_2025")
    assert [row[0] for row in supporting_set] == ["DP-01", "DP-05", "DP-15", "DP-16"]
    groups_set = _exported(api, orgUnit=DESA, dataSet="TARGET_GROUPS_2025")
    assert [row[0] for row in groups_set] == ["TG.child_under_five", "TG.pregnant_woman"]
    assert [row[0] for row in _exported(api, orgUnit=DESA, dataSet="COVERAGE_2025")] == [
        "BL-01.DEN",
        "BL-01.NUM",
    ]
    assert _exported(api, orgUnit=DESA, dataSet="TARGET_GROUPS_2024") == []
    picked = _exported(api, orgUnit=DESA, dataElement="DP-05,TG.pregnant_woman")
    assert picked == [("DP-05", DESA, "true", ""), ("TG.pregnant_woman", DESA, "12", "")]
    exported = api.get(URL, {"orgUnit": DESA, "period": "2025", "dataElement": "DP-01"})
    (row,) = json.loads(b"".join(exported.streaming_content))["dataValues"]
    assert (row["storedBy"], row["categoryOptionCombo"]) == ("op_madiun", "default")
    assert row["lastUpdated"] == dp01.updated_at.isoformat(timespec="seconds")


CSV_PAYLOAD = (
    "dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,"
    "lastupdated,comment,followup\n"
    f"BL-02.NUM,2025,{OTHER},,,7,,,,false\n"  # 1 coverage, new
    f"BL-02.DEN,2025,{OTHER},,,9,,,,false\n"  # 2 coverage, new
    f"DP-01,2025,{DESA},,,3,,,,false\n"  # 3 supporting, unchanged
    f"DP-02,2025,{DESA},,,2,,,from the puskesmas,false\n"  # 4 supporting, new
    f"DP-14,2025,{DESA},,,maybe,,,,false\n"  # 5 a yes/no item answered maybe
    f"DP-14,2025,{OTHER},,,0,,,,false\n"  # 6 a yes/no item answered 0: new
    f"DP-03,2025,{DESA},,,-2,,,,false\n"  # 7 a negative count
    f"DP-15,2025,{DESA},,,1.5,,,,false\n"  # 8 rupiah must be whole
    f"DP-17,2025,{OTHER},,,true,,,,false\n"  # 9 a kecamatan item sent for a desa
    f"DP-42,2025,{DESA},,,1,,,,false\n"  # 10 no such item
    f"TG.pregnant_woman,2025,{DESA},,,11,,,,false\n"  # 11 target group, changed 10 → 11
    f"TG.infant,2025,{OTHER},,,-1,,,,false\n"  # 12 a negative count
    f"TG.infant,2025,{LOCKED_DESA},,,4,,,,false\n"  # 13 locked kecamatan
    f"DP-01,2025,{OUTSIDE},,,1,,,,false\n"  # 14 outside the operator's regions
)


def test_a_csv_file_follows_the_same_rules(api: Client, operator: User, locked: Region) -> None:
    _seed(operator)
    response = api.post(f"{URL}.csv", CSV_PAYLOAD, content_type="text/csv")

    body = response.json()
    assert body["response"]["importCount"] == {
        "imported": 4,  # BL-02.NUM, BL-02.DEN, DP-02, DP-14 of Tanjungrejo
        "updated": 1,  # TG.pregnant_woman
        "ignored": 9,  # the unchanged DP-01 and eight refused values
        "deleted": 0,
    }
    # Indexes are CSV data rows counted from 1 after the header.
    assert _conflicts(body) == [
        (5, "E7619", "DP-14"),
        (7, "E7619", "DP-03"),
        (8, "E7619", "DP-15"),
        (9, "E7619", "DP-17"),
        (10, "E7610", "DP-42"),
        (12, "E7619", "TG.infant"),
        (13, "E7641", "2025"),
        (14, "E7617", OUTSIDE),
    ]
    reasons = _reasons(body)
    assert reasons[5] == "maybe: not a whole number"
    assert reasons[7] == "-2: a count cannot be negative"
    assert reasons[8] == "1.5: not a whole number"
    assert reasons[9] == "Tanjungrejo: DP-17 is entered per subdistrict, not for Tanjungrejo."
    assert _supporting() == {
        ("DP-01", DESA): (3, "", Origin.ENTERED),
        ("DP-02", DESA): (2, "from the puskesmas", Origin.API),
        ("DP-14", OTHER): (0, "", Origin.API),
    }
    assert _counts() == {("pregnant_woman", DESA): (11, CountSource.OTHER, Origin.API)}

    exported = api.get(f"{URL}.csv", {"orgUnit": KECAMATAN, "children": "true", "period": "2025"})
    lines = b"".join(exported.streaming_content).decode().splitlines()
    assert lines[0].startswith("dataelement,period,orgunit")
    rows = sorted(tuple(line.split(",")[i] for i in (0, 2, 5, 8)) for line in lines[1:])
    assert rows == [
        ("BL-01.DEN", DESA, "50", ""),
        ("BL-01.NUM", DESA, "40", ""),
        ("BL-02.DEN", OTHER, "9", ""),
        ("BL-02.NUM", OTHER, "7", ""),
        ("DP-01", DESA, "3", ""),
        ("DP-02", DESA, "2", "from the puskesmas"),
        ("DP-14", OTHER, "false", ""),
        ("TG.pregnant_woman", DESA, "11", ""),
    ]


def test_a_dry_run_classifies_the_same_and_stores_nothing(
    api: Client, operator: User, locked: Region
) -> None:
    _seed(operator)
    tables = (
        CoverageValueChange,
        SupportingValue,
        SupportingValueChange,
        TargetGroupCount,
        TargetGroupCountChange,
    )
    before = [model.objects.count() for model in tables]
    events = AuditEvent.objects.count()

    body = _post_json(api, MIXED, "?dryRun=true").json()

    assert body["response"]["importOptions"]["dryRun"] is True
    assert body["response"]["importCount"] == {
        "imported": 4,
        "updated": 3,
        "ignored": 13,
        "deleted": 0,
    }
    assert _conflicts(body) == MIXED_CONFLICTS
    assert [model.objects.count() for model in tables] == before
    assert AuditEvent.objects.count() == events
    assert _supporting() == {("DP-01", DESA): (3, "", Origin.ENTERED)}
    assert _counts() == {("pregnant_woman", DESA): (10, CountSource.DUKCAPIL, Origin.ENTERED)}
    assert CoverageValue.objects.get(indicator__code="BL-01").numerator == 40


def test_create_stores_only_new_values(api: Client, operator: User) -> None:
    _seed(operator)
    values = [
        _dv("DP-01", DESA, "9"),  # exists
        _dv("DP-02", DESA, "1"),  # new
        _dv("TG.pregnant_woman", DESA, "9"),  # exists
        _dv("TG.infant", DESA, "5"),  # new
    ]
    body = _post_json(api, values, "?importStrategy=CREATE").json()["response"]
    assert body["importCount"] == {"imported": 2, "updated": 0, "ignored": 2, "deleted": 0}
    assert _conflicts({"response": body}) == [
        (0, "E7630", "DP-01"),
        (2, "E7630", "TG.pregnant_woman"),
    ]
    assert {c["value"] for c in body["conflicts"]} == {
        "A value already exists (import strategy CREATE)."
    }
    assert _supporting()[("DP-01", DESA)][0] == 3
    assert _supporting()[("DP-02", DESA)][0] == 1
    assert {k: v[0] for k, v in _counts().items()} == {
        ("pregnant_woman", DESA): 10,
        ("infant", DESA): 5,
    }


def test_update_stores_only_existing_values(api: Client, operator: User) -> None:
    _seed(operator)
    values = [
        _dv("DP-01", DESA, "9"),  # exists
        _dv("DP-02", DESA, "1"),  # new
        _dv("TG.pregnant_woman", DESA, "9"),  # exists
        _dv("TG.infant", DESA, "5"),  # new
    ]
    body = _post_json(api, values, "?importStrategy=UPDATE").json()["response"]
    assert body["importCount"] == {"imported": 0, "updated": 2, "ignored": 2, "deleted": 0}
    assert _conflicts({"response": body}) == [(1, "E7630", "DP-02"), (3, "E7630", "TG.infant")]
    assert {k: v[0] for k, v in _supporting().items()} == {("DP-01", DESA): 9}
    assert {k: v[0] for k, v in _counts().items()} == {("pregnant_woman", DESA): 9}


def test_delete_clears_the_values_and_keeps_their_history(api: Client, operator: User) -> None:
    _seed(operator)
    values = [
        _dv("DP-01", DESA, "3"),
        _dv("TG.pregnant_woman", DESA, ""),
        _dv("DP-02", DESA, "1"),  # nothing stored: nothing to clear
    ]
    body = _post_json(api, values, "?importStrategy=DELETE").json()["response"]
    assert body["importCount"] == {"imported": 0, "updated": 0, "ignored": 1, "deleted": 2}
    dp01 = SupportingValue.objects.get(item__code="DP-01")
    assert (dp01.value, dp01.version) == (None, 2)
    assert list(dp01.changes.order_by("id").values_list("new_value", flat=True)) == [3, None]
    pregnant = TargetGroupCount.objects.get(target_group__code="pregnant_woman")
    # A cleared count keeps the source of the number it had.
    assert (pregnant.count, pregnant.source) == (None, CountSource.DUKCAPIL)
    assert list(pregnant.changes.order_by("id").values_list("new_count", flat=True)) == [10, None]
    assert not SupportingValue.objects.filter(item__code="DP-02").exists()
    # Cleared values are not exported.
    assert [row[0] for row in _exported(api, orgUnit=DESA)] == ["BL-01.DEN", "BL-01.NUM"]


def test_a_value_marked_deleted_clears_it_under_the_default_strategy(
    api: Client, operator: User
) -> None:
    _seed(operator)
    body = _post_json(api, [_dv("DP-01", DESA, "3", deleted=True)]).json()["response"]
    assert body["importCount"]["deleted"] == 1
    assert SupportingValue.objects.get(item__code="DP-01").value is None


def test_atomic_mode_all_stores_nothing_when_one_value_is_refused(
    api: Client, operator: User
) -> None:
    values = [
        _dv("BL-02.NUM", DESA, "3"),
        _dv("BL-02.DEN", DESA, "4"),
        _dv("DP-01", DESA, "2"),
        _dv("TG.infant", DESA, "6"),
        _dv("DP-05", DESA, "maybe"),
    ]
    body = _post_json(api, values, "?atomicMode=ALL").json()["response"]
    assert _conflicts({"response": body}) == [(4, "E7619", "DP-05")]
    assert not CoverageValue.objects.exists()
    assert not SupportingValue.objects.exists()
    assert not TargetGroupCount.objects.exists()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.VALUES_RECEIVED).exists()

    # Without the refused value, the same payload is stored whole.
    body = _post_json(api, values[:4], "?atomicMode=ALL").json()["response"]
    assert body["importCount"]["imported"] == 4
    assert SupportingValue.objects.get(item__code="DP-01").value == 2
    assert TargetGroupCount.objects.get(target_group__code="infant").count == 6


def test_a_kecamatan_operator_writes_nothing_until_its_entry_is_switched_on(
    kebonsari_operator: User, central_admin: User
) -> None:
    from aksi.reporting.entry_switch import subdistrict_entry_set

    subdistrict_entry_set(
        actor=central_admin,
        district=Region.objects.get(code="35.19"),
        mode="pilot",
        pilot_codes=["35.19.02"],
    )
    client = token_client(kebonsari_operator)
    body = _post_json(client, [_dv("DP-01", DESA, "2"), _dv("TG.infant", DESA, "6")]).json()[
        "response"
    ]
    assert [c["errorCode"] for c in body["conflicts"]] == ["E7617", "E7617"]
    assert "not switched on for 35.19.01" in body["conflicts"][0]["value"]
    assert not SupportingValue.objects.exists()
    assert not TargetGroupCount.objects.exists()


def test_data_elements_list_the_supporting_items_and_target_groups(api: Client) -> None:
    body = api.get("/api/dataElements", {"year": "2025"}).json()
    elements = {e["code"]: e for e in body["dataElements"]}
    assert "BL-01.NUM" in elements
    assert SupportingItem.objects.filter(catalogue__year=2025).count() == 19
    assert {code for code in elements if code.startswith("DP-")} == {
        f"DP-{n:02}" for n in range(1, 20)
    }
    assert {code for code in elements if code.startswith("TG.")} == {
        f"TG.{code}" for code in TargetGroup.objects.values_list("code", flat=True)
    }
    dp05, dp15, dp16 = elements["DP-05"], elements["DP-15"], elements["DP-16"]
    assert (dp05["valueType"], dp15["valueType"]) == ("BOOLEAN", "INTEGER_ZERO_OR_POSITIVE")
    assert dp05["supportingItem"] == {
        "code": "DP-05",
        "unit": "yes_no",
        "entryLevel": "village",
        "orgUnitLevel": 4,
        "sector": "health",
        "source": "Puskesmas",
    }
    assert dp16["supportingItem"]["orgUnitLevel"] == 3
    assert "per kecamatan (organisation unit level 3)" in dp16["description"]
    assert "whole rupiah" in dp15["description"]
    assert "yes/no" in dp05["description"]
    group = elements["TG.pregnant_woman"]
    assert group["valueType"] == "INTEGER_ZERO_OR_POSITIVE"
    assert group["targetGroup"]["orgUnitLevel"] == 4
    assert group["description"].startswith("Target-group data (data sasaran): how many Ibu hamil")


def test_data_sets_hold_the_supporting_items_and_target_groups_of_each_year(
    api: Client,
) -> None:
    sets = {s["code"]: s for s in api.get("/api/dataSets").json()["dataSets"]}
    assert {"COVERAGE_2025", "SUPPORTING_2025", "TARGET_GROUPS_2025"} <= set(sets)
    supporting = [e["dataElement"]["id"] for e in sets["SUPPORTING_2025"]["dataSetElements"]]
    assert supporting[:2] == ["DP-01", "DP-02"]
    assert len(supporting) == 19
    groups = {e["dataElement"]["id"] for e in sets["TARGET_GROUPS_2025"]["dataSetElements"]}
    assert "TG.pregnant_woman" in groups
    coverage = {e["dataElement"]["id"] for e in sets["COVERAGE_2025"]["dataSetElements"]}
    assert not coverage & (groups | set(supporting))


def test_values_set_aside_ride_along_coverage_written_set_based(
    api: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL a chunk of this many coverage values takes the set-based core (which
    writes the rollups in SQL); the supporting values and counts of the same payload, and
    atomicMode=ALL over both, behave the same. (SQLite takes the portable path.)"""
    from aksi.analytics.models import CoverageRollup
    from aksi.reporting import exchange

    monkeypatch.setattr(exchange, "SET_BASED_MIN", 10)
    villages = list(
        Region.objects.filter(parent_id=KECAMATAN, valid_to__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    coverage = [
        _dv(f"BL-02.{side}", desa, str(number))
        for desa in villages
        for side, number in (("NUM", 3), ("DEN", 4))
    ]
    assert len(coverage) > 10
    extra = [_dv("DP-01", DESA, "2"), _dv("TG.infant", OTHER, "6")]
    bad = [_dv("DP-05", DESA, "maybe")]

    body = _post_json(api, coverage + extra + bad, "?atomicMode=ALL").json()["response"]
    assert _conflicts({"response": body}) == [(len(coverage) + 2, "E7619", "DP-05")]
    assert not CoverageValue.objects.exists()
    assert not CoverageRollup.objects.filter(numerator_sum__gt=0).exists()
    assert not SupportingValue.objects.exists()
    assert not TargetGroupCount.objects.exists()

    body = _post_json(api, extra + coverage).json()["response"]
    assert body["importCount"] == {
        "imported": len(coverage) + 2,
        "updated": 0,
        "ignored": 0,
        "deleted": 0,
    }
    rollup = CoverageRollup.objects.get(
        indicator__catalogue__year=2025, indicator__code="BL-02", region_code=KECAMATAN
    )
    assert (rollup.numerator_sum, rollup.denominator_sum) == (3 * len(villages), 4 * len(villages))
    assert _supporting() == {("DP-01", DESA): (2, "", Origin.API)}
    assert _counts() == {("infant", OTHER): (6, CountSource.OTHER, Origin.API)}
