"""The set-based core of `values_exchange` (PostgreSQL) against the portable path.

The same mixed payload — new, changed, unchanged, deleted, refused by the strategy, invalid,
out-of-scope and unknown values, sides of one pair spread over the payload — goes through both
paths from the same stored state, under every import strategy; the summaries (counts, every
listed conflict with its message and index), the stored values, their history and the
rollups must come out identical, and the rollups must match a rebuild from the raw values.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.analytics.models import CoverageRollup
from aksi.analytics.services import rollups_differences
from aksi.catalogue.models import Indicator
from aksi.core.models import AuditEvent, AuditEventType
from aksi.regions.models import Region
from aksi.reporting import exchange, exchange_sql
from aksi.reporting.exchange import (
    CREATE,
    CREATE_AND_UPDATE,
    DELETE,
    E_VALUE,
    UPDATE,
    Incoming,
    values_exchange,
)
from aksi.reporting.models import CoverageValue, CoverageValueChange, Origin, ValueStatus
from aksi.reporting.services import coverage_value_save

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the set-based core is PostgreSQL's"
    ),
]

KECAMATAN = "35.19.01"  # Kebonsari, Kabupaten Madiun: 14 desa
PERIOD = "2025"


@pytest.fixture
def operator(db: None) -> User:
    return user_with_role("op_set_based", Role.OPERATOR, KECAMATAN)


def _indicator(code: str) -> Indicator:
    return Indicator.objects.get(catalogue__year=2025, code=code)


def _villages() -> list[str]:
    return list(
        Region.objects.filter(parent_id=KECAMATAN, valid_to__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)
    )


def _seed(actor: User, villages: list[str]) -> None:
    """Stored values the payload then changes, repeats, deletes or collides with."""
    for index, desa in enumerate(villages[:6]):
        region = Region.objects.get(code=desa)
        for code, numerator, denominator in (("BL-01", 40, 50), ("BL-02", 10, 20)):
            coverage_value_save(
                actor=actor,
                indicator=_indicator(code),
                region=region,
                period=PERIOD,
                numerator=numerator + index,
                denominator=denominator + index,
                note="seeded",
            )
    # A value marked not applicable: any value received turns it into a value again.
    coverage_value_save(
        actor=actor,
        indicator=_indicator("BL-03"),
        region=Region.objects.get(code=villages[0]),
        period=PERIOD,
        numerator=None,
        denominator=None,
        status=ValueStatus.NOT_APPLICABLE,
    )


def _payload(villages: list[str]) -> list[Incoming]:
    """About 900 values: every desa of the kecamatan for most village indicators, and a mix
    of everything else the exchange handles."""
    items: list[Incoming] = []

    def add(code: str, region: str, **fields: Any) -> None:
        fields.setdefault("period", PERIOD)
        fields.setdefault("object", f"{code}.{fields.get('side', 'NUM')}")
        fields.pop("side", None)
        items.append(Incoming(index=len(items), indicator_code=code, region_code=region, **fields))

    codes = [
        i.code
        for i in Indicator.objects.filter(
            catalogue__year=2025, entry_level=Indicator.EntryLevel.VILLAGE, is_binary=False
        ).order_by("order")
    ]
    for v, desa in enumerate(villages):
        for c, code in enumerate(codes):
            denominator = 20 + (v * 7 + c * 3) % 50
            add(code, desa, numerator=denominator // 2, sides=("numerator",))
            add(code, desa, denominator=denominator, sides=("denominator",), side="DEN")
        add("RT-03", desa, numerator=v % 2, sides=("numerator",))
    first, second, third = villages[0], villages[1], villages[2]
    add("BL-01", first, numerator=40, denominator=50, comment="same numbers, new note")
    add("BL-01", second, numerator=41, denominator=51)  # unchanged (seeded 41/51)
    add("BL-04", third, numerator=99, denominator=80)  # over a register denominator
    add("RP-01", third, numerator=90, denominator=80)  # over an estimate: allowed
    add("RP-01", third, numerator=85, sides=("numerator",), comment="later side wins")
    add("BL-02", villages[3], delete=True, sides=("numerator",))  # deletes one side
    add("BL-01", villages[4], delete=True, sides=("numerator", "denominator"))
    add("BL-05", villages[5], delete=True, sides=("numerator",))  # nothing stored
    add("BL-03", first, numerator=3, denominator=9)  # was not applicable
    add("RT-05", second, numerator=2, sides=("numerator",))  # yes/no: 2 is refused
    add("RT-04", second, numerator=1, denominator=2)  # a kab/kota indicator on a desa
    add("BL-04", KECAMATAN, numerator=1, denominator=2)  # a desa indicator on a kecamatan
    add("BL-06", third, numerator=-3, sides=("numerator",))  # negative
    add("BL-06", "35.19.02.1002", numerator=1, denominator=2)  # another kecamatan
    add("BL-06", "99.99.99.9999", numerator=1, denominator=2)  # no such region
    add("ZZ-99", third, numerator=1, denominator=2)  # no such indicator
    add("BL-06", third, numerator=1, denominator=2, period="2025X")  # not a period
    add("BL-06", third, numerator=1, denominator=2, comment="a\x00b")  # NUL
    add("BL-06", third, error="not a whole number", error_code=E_VALUE)  # refused by the parser
    add("BL-06", villages[6], sides=())  # no number: deletes nothing (strategy DELETE)
    return items


def _state() -> dict[str, Any]:
    """Everything the exchange writes, without ids and times (sequences differ per run)."""
    keys = dict(CoverageValue.objects.values_list("pk", "indicator_id"))  # for the history
    regions = dict(CoverageValue.objects.values_list("pk", "region_id"))
    return {
        "values": sorted(
            CoverageValue.objects.values_list(
                "indicator_id",
                "region_id",
                "period",
                "numerator",
                "denominator",
                "denominator_source",
                "status",
                "note",
                "origin",
                "version",
                "updated_by_id",
            )
        ),
        "history": [
            (keys[value_id], regions[value_id], *rest)
            for value_id, *rest in CoverageValueChange.objects.order_by("pk").values_list(
                "value_id",
                "actor_id",
                "via",
                "old_numerator",
                "old_denominator",
                "old_status",
                "new_numerator",
                "new_denominator",
                "new_status",
                "note",
            )
        ],
        "rollups": sorted(
            CoverageRollup.objects.values_list(
                "indicator_id",
                "region_code",
                "period",
                "numerator_sum",
                "denominator_sum",
                "complete_count",
            )
        ),
        "audit": list(
            AuditEvent.objects.filter(event_type=AuditEventType.VALUES_RECEIVED)
            .order_by("pk")
            .values_list("data", flat=True)
        ),
    }


def _run(
    monkeypatch: pytest.MonkeyPatch,
    *,
    set_based: bool,
    actor: User,
    items: list[Incoming],
    **options: Any,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The summary and the stored state after one exchange; rolled back afterwards."""
    monkeypatch.setattr(exchange, "SET_BASED_MIN", 1 if set_based else 10**9)
    calls = []
    classify = exchange_sql.classify
    monkeypatch.setattr(
        exchange_sql, "classify", lambda strategy: calls.append(strategy) or classify(strategy)
    )
    with transaction.atomic():
        summary = values_exchange(actor=actor, incoming=iter(items), via=Origin.API, **options)
        state = _state()
        if set_based:
            state["rollup_differences"] = rollups_differences(period=PERIOD)
        transaction.set_rollback(True)
    assert bool(calls) == set_based  # the path asked for is the one taken
    answer = {
        name: getattr(summary, name)
        for name in (
            "imported",
            "updated",
            "ignored",
            "deleted",
            "conflict_count",
            "written",
            "rolled_back",
            "status",
        )
    }
    answer["conflicts"] = [c.as_dict() for c in summary.conflicts]
    return answer, state


@pytest.mark.parametrize("strategy", [CREATE_AND_UPDATE, CREATE, UPDATE, DELETE])
def test_the_set_based_core_stores_and_reports_exactly_what_the_portable_path_does(
    monkeypatch: pytest.MonkeyPatch, operator: User, english: None, strategy: str
) -> None:
    villages = _villages()
    _seed(operator, villages)
    items = _payload(villages)
    assert len(items) > exchange.SET_BASED_MIN  # the size that takes the set-based core

    portable = _run(monkeypatch, set_based=False, actor=operator, items=items, strategy=strategy)
    set_based = _run(monkeypatch, set_based=True, actor=operator, items=items, strategy=strategy)

    summary, state = set_based
    assert state.pop("rollup_differences") == []
    assert (summary, state) == portable
    # Not vacuous: the payload exercised what the strategy allows.
    assert summary["conflict_count"] >= 8
    if strategy == CREATE_AND_UPDATE:
        assert summary["imported"] > 700
        assert (summary["updated"], summary["deleted"]) >= (3, 2)
        assert summary["ignored"] >= 10
        reasons = {c["indexes"][0]: (c["errorCode"], c["value"]) for c in summary["conflicts"]}
        over = next(i.index for i in items if i.numerator == 99)
        assert reasons[over][0] == "E7619"
        assert "numerator (99) is larger than the denominator (80)" in reasons[over][1]
        assert any(i.region_code == KECAMATAN and i.index in reasons for i in items)
    if strategy == CREATE:
        assert any(c["errorCode"] == "E7630" for c in summary["conflicts"])
        assert summary["imported"] > 700
    if strategy == UPDATE:
        assert summary["updated"] >= 2
        assert sum(c["errorCode"] == "E7630" for c in summary["conflicts"]) > 700
    if strategy == DELETE:
        assert summary["deleted"] >= 10
    assert state["history"]  # every strategy writes something here


def test_a_dry_run_and_an_atomic_run_agree_too(
    monkeypatch: pytest.MonkeyPatch, operator: User, english: None
) -> None:
    villages = _villages()
    _seed(operator, villages)
    items = _payload(villages)
    before = _state()
    for options in ({"dry_run": True}, {"atomic": True}):
        portable = _run(monkeypatch, set_based=False, actor=operator, items=items, **options)
        set_based = _run(monkeypatch, set_based=True, actor=operator, items=items, **options)
        summary, state = set_based
        assert state.pop("rollup_differences") == []
        assert (summary, state) == portable
        assert summary["imported"] > 700
        assert state == before  # nothing stored: a dry run, or atomic with conflicts
        assert summary["written"] == 0


def test_chunks_see_what_earlier_chunks_wrote(
    monkeypatch: pytest.MonkeyPatch, operator: User, english: None
) -> None:
    """The same pair in two chunks: the second chunk updates what the first one created."""
    villages = _villages()
    items = _payload(villages)
    again = [
        Incoming(
            index=len(items) + n,
            object=i.object,
            indicator_code=i.indicator_code,
            region_code=i.region_code,
            period=i.period,
            numerator=None if i.numerator is None else i.numerator + 1,
            denominator=None if i.denominator is None else i.denominator + 1,
            sides=i.sides,
        )
        for n, i in enumerate(items[:600])
    ]
    options = {"chunk_size": 700}
    portable = _run(monkeypatch, set_based=False, actor=operator, items=items + again, **options)
    set_based = _run(monkeypatch, set_based=True, actor=operator, items=items + again, **options)
    summary, state = set_based
    assert state.pop("rollup_differences") == []
    assert (summary, state) == portable
    assert summary["updated"] > 500
