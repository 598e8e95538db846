"""Values received in bulk from other systems (the API, DHIS2 data value sets).

Each incoming value goes through the rules of a form save (entry scope, locks, `_validate`),
is written with its history and moves the rollups in the same transaction. Unlike the Excel
upload, which refuses a whole sheet with any bad cell, an exchange stores the valid values and
reports every other one as a conflict naming the object and the reason, as DHIS2 does. A dry
run classifies everything and stores nothing.

Values arrive as sides: one DHIS2 data value carries a numerator or a denominator (see
`aksi.api.dhis2` for the mapping); sides of the same (indicator, desa, period) that arrive in
the same chunk are merged before the pair is validated.

The checks that depend only on the value's period, indicator and region run here in Python,
once per (region, period). The rest — reading the stored values, merging, the strategy,
`_validate`, the writes, history and rollups — runs per chunk either here (`_write`, any
database) or, on PostgreSQL for chunks of at least SET_BASED_MIN values, set-based in SQL
(`aksi.reporting.exchange_sql`), with the same outcome.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from aksi.accounts.scopes import entry_scope
from aksi.analytics.services import Contribution, rollups_apply
from aksi.catalogue.models import Indicator
from aksi.core.bulk import insert_rows, update_rows
from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record
from aksi.lib.periods import PeriodError, parse_period
from aksi.regions.models import Level, Region
from aksi.reporting import entry_switch, exchange_sql
from aksi.reporting.history import HISTORY_COLUMNS
from aksi.reporting.models import CoverageValue, CoverageValueChange, Origin, ValueStatus
from aksi.reporting.services import _validate

CREATE_AND_UPDATE, CREATE, UPDATE, DELETE = "CREATE_AND_UPDATE", "CREATE", "UPDATE", "DELETE"
STRATEGIES = (CREATE_AND_UPDATE, CREATE, UPDATE, DELETE)
SIDES = ("numerator", "denominator")
CHUNK = 5000
# PostgreSQL: chunks of this many values, and the set-based core (`exchange_sql`) for a chunk
# with at least SET_BASED_MIN accepted values; below it, the statements' fixed cost outweighs
# what they save.
SET_BASED_CHUNK = 25_000
SET_BASED_MIN = 500
MAX_LISTED_CONFLICTS = 1000

# Conflict codes, named after DHIS2's where one matches (see docs/api.md).
E_DATA_ELEMENT = "E7610"
E_PERIOD = "E7611"
E_ORG_UNIT = "E7612"
E_SCOPE = "E7617"
E_VALUE = "E7619"
E_STRATEGY = "E7630"
E_LOCKED = "E7641"


@dataclass
class Incoming:
    """One received value: one or both sides of an (indicator, region, period) pair."""

    index: int  # position in the payload, so a conflict points at it
    object: str  # what a conflict names (the data element or indicator code)
    indicator_code: str
    region_code: str
    period: str
    numerator: int | None = None
    denominator: int | None = None
    sides: tuple[str, ...] = SIDES  # which sides this value sets
    comment: str | None = None
    delete: bool = False
    # A problem the parser already found (not a number, unknown data element): a conflict.
    error: str = ""
    error_code: str = E_VALUE
    error_property: str = "value"


@dataclass(frozen=True)
class Conflict:
    object: str
    value: str
    error_code: str
    property: str
    indexes: tuple[int, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "object": self.object,
            "objects": {self.property: self.object},
            "value": self.value,
            "errorCode": self.error_code,
            "property": self.property,
            "indexes": list(self.indexes),
        }


@dataclass
class ExchangeSummary:
    strategy: str
    dry_run: bool
    imported: int = 0
    updated: int = 0
    ignored: int = 0
    deleted: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    conflict_count: int = 0
    written: int = 0  # stored values created or changed (0 in a dry run)
    rolled_back: bool = False  # atomic, and a conflict: nothing was stored

    def conflict(self, incoming: Incoming, value: str, code: str, prop: str) -> None:
        """Count `incoming` as ignored and list why; the object named is the offending one."""
        self.ignored += 1
        self.conflict_count += 1
        if len(self.conflicts) < MAX_LISTED_CONFLICTS:
            offending = {"orgUnit": incoming.region_code, "period": incoming.period}
            name = offending.get(prop) or incoming.object
            self.conflicts.append(Conflict(name, value, code, prop, (incoming.index,)))

    @property
    def status(self) -> str:
        if not self.conflict_count:
            return "SUCCESS"
        return "WARNING" if self.imported + self.updated + self.deleted else "ERROR"


@dataclass
class _Stored:
    """The stored value of a pair, as read for update (no model instance: thousands a chunk)."""

    pk: int
    numerator: int | None
    denominator: int | None
    status: str
    note: str
    version: int


@dataclass
class _Pair:
    value: _Stored | None
    indicator: Indicator
    region: Region
    period: str
    parts: list[Incoming] = field(default_factory=list)


def _chunks(items: Iterable[Incoming], size: int) -> Iterator[list[Incoming]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def values_exchange(
    *,
    actor: Any,
    incoming: Iterable[Incoming],
    strategy: str = CREATE_AND_UPDATE,
    dry_run: bool = False,
    via: str = Origin.API,
    chunk_size: int | None = None,
    atomic: bool = False,
    event_type: AuditEventType = AuditEventType.VALUES_RECEIVED,
    audit_data: dict[str, Any] | None = None,
) -> ExchangeSummary:
    """Store the valid values of `incoming` (an iterable, read chunk by chunk).

    With `atomic` (DHIS2's atomicMode=ALL; the file importers), one conflict stores nothing.
    """
    if strategy not in STRATEGIES:
        raise ValidationError(
            {"importStrategy": _("Unknown import strategy %(name)s.") % {"name": strategy}}
        )
    summary = ExchangeSummary(strategy=strategy, dry_run=dry_run)
    context = _Context(actor=actor, via=via)
    if chunk_size is None:
        chunk_size = SET_BASED_CHUNK if connection.vendor == "postgresql" else CHUNK
    with transaction.atomic():
        for chunk in _chunks(incoming, chunk_size):
            _exchange_chunk(context, chunk, summary)
        if context.settings is not None:
            exchange_sql.end(context.settings)
        if atomic and summary.conflict_count and not dry_run:
            transaction.set_rollback(True)
            summary.written, summary.rolled_back = 0, True
        elif dry_run:
            transaction.set_rollback(True)
        elif summary.written:
            audit_event_record(
                event_type=event_type,
                actor=actor,
                data=(audit_data or {})
                | {
                    "via": via,
                    "strategy": strategy,
                    "imported": summary.imported,
                    "updated": summary.updated,
                    "deleted": summary.deleted,
                    "ignored": summary.ignored,
                },
            )
    return summary


class _Context:
    """Lookups kept across chunks: indicators by (code, year), locks, the actor's scope."""

    def __init__(self, *, actor: Any, via: str) -> None:
        self.actor = actor
        self.via = via
        self.scope = entry_scope(actor)
        self.indicators: dict[tuple[str, int], Indicator | None] = {}
        self.locked: dict[tuple[str, str], str] = {}  # (lock region, period) → reason or ""
        self.locks = importlib.import_module("aksi.review.locks")
        self.periods: dict[str, Any] = {}  # text → Period, or the error message
        self.parts: dict[str, tuple[int, str] | None] = {}
        self.covered: dict[str, bool] = {}
        self.closed: dict[str, str] = {}
        # The settings to give back once the set-based core ran (see exchange_sql.begin).
        self.settings: dict[str, str] | None = None

    def period(self, text: str) -> Any:
        if text not in self.periods:
            try:
                self.periods[text] = parse_period(text)
            except PeriodError:
                self.periods[text] = None
        return self.periods[text]

    def period_parts(self, text: str) -> tuple[int, str] | None:
        """(year, code) of a period text, None when it is not a period."""
        if text not in self.parts:
            period = self.period(text)
            self.parts[text] = None if period is None else (period.year, period.code)
        return self.parts[text]

    def covers(self, code: str) -> bool:
        if code not in self.covered:
            self.covered[code] = self.scope.covers(code)
        return self.covered[code]

    def indicator(self, code: str, year: int) -> Indicator | None:
        key = (code, year)
        if key not in self.indicators:
            self.indicators[key] = (
                Indicator.objects.select_related("catalogue")
                .filter(code=code, catalogue__year=year)
                .first()
            )
        return self.indicators[key]

    def prepare(self, regions: Iterable[Region], periods: Iterable[str]) -> None:
        """Answer the pilot switch and the locks for the kecamatan of a chunk's desa in a few
        queries instead of a few per kecamatan; `closed_reason` and `lock_reason` then find
        them cached. A kecamatan the switch closes, or with a submission that may lock it, is
        left to those methods, so the outcome and the messages are theirs."""
        kecamatan = {
            region.parent_id
            for region in regions
            if region.level == Level.VILLAGE and region.parent_id and self.covers(region.code)
        }
        unknown = {code for code in kecamatan if code not in self.closed}
        if unknown:
            closed = entry_switch.closed_subdistricts(actor=self.actor, codes=unknown)
            for code in unknown - closed:
                self.closed[code] = ""
        keys = {
            (code, period)
            for code in kecamatan
            if self.closed.get(code) == ""
            for period in periods
            if (code, period) not in self.locked
        }
        if not keys:
            return
        codes = sorted({code for code, _period in keys})
        # The row locks `assert_values_editable` takes (`lock_region_values`), in code order.
        list(
            Region.objects.select_for_update()
            .filter(code__in=codes)
            .order_by("code")
            .values_list("code", flat=True)
        )
        submission = importlib.import_module("aksi.review.models").Submission
        maybe_locked = set()
        for region_id, parent_id, period in submission.objects.filter(
            Q(region_id__in=codes) | Q(region__parent_id__in=codes),
            period__in={period for _code, period in keys},
            status__in=submission.LOCKING,
        ).values_list("region_id", "region__parent_id", "period"):
            maybe_locked |= {(region_id, period), (parent_id, period)}
        for key in keys - maybe_locked:
            self.locked[key] = ""

    def lock_reason(self, region: Region, period: str) -> str:
        # A desa shares its kecamatan's verdict (its submission locks them all); any other
        # region has its own, never its parent's (sibling kab/kota are locked one by one).
        if region.level == Level.VILLAGE and region.parent_id:
            key = (region.parent_id, period)
        else:
            key = (region.code, period)
        if key not in self.locked:
            try:
                self.locks.assert_values_editable(region=region, period=period)
                self.locked[key] = ""
            except PermissionDenied as locked:
                self.locked[key] = str(locked)
        return self.locked[key]

    def closed_reason(self, region: Region) -> str:
        """Why the kecamatan pilot switch keeps the actor from writing here ("" if it does not)."""
        # The switch is the kecamatan's: a desa and its kecamatan share the verdict; a region
        # above a kecamatan has one of its own.
        key = entry_switch.subdistrict_code(region) or region.code
        if key not in self.closed:
            try:
                entry_switch.assert_entry_open(actor=self.actor, region=region)
                self.closed[key] = ""
            except PermissionDenied as closed:
                self.closed[key] = str(closed)
        return self.closed[key]


def _exchange_chunk(context: _Context, chunk: list[Incoming], summary: ExchangeSummary) -> None:
    accepted = _checked(context, chunk, summary)
    if not accepted:
        return
    if len(accepted) >= SET_BASED_MIN and connection.vendor == "postgresql":
        _write_set_based(context, accepted, summary)
        return
    pairs: dict[tuple[int, str, str], _Pair] = {}
    for item, indicator, region, period in accepted:
        key = (indicator.pk, region.code, period)
        pair = pairs.get(key)
        if pair is None:
            pair = pairs[key] = _Pair(None, indicator, region, period)
        pair.parts.append(item)
    _write(context, pairs, summary)


# An accepted value: the item, its indicator, its region and the period code.
_Accepted = tuple[Incoming, Indicator, Region, str]


def _checked(context: _Context, chunk: list[Incoming], summary: ExchangeSummary) -> list[_Accepted]:
    """The values of `chunk` that pass the checks made before any stored value is read (the
    period, the indicator, the region, scope, pilot switch, locks); the others are conflicts."""
    regions = {
        region.code: region
        for region in Region.objects.filter(
            code__in={item.region_code for item in chunk if "\x00" not in item.region_code},
            valid_to__isnull=True,
        )
    }
    texts = {item.period for item in chunk if not item.error}
    periods = {parts[1] for parts in map(context.period_parts, texts) if parts is not None}
    context.prepare(regions.values(), periods)
    accepted: list[_Accepted] = []
    # The checks of a (region, period) come out the same for every value of it: once each.
    verdicts: dict[tuple[str, str], Region | tuple[str, str, str]] = {}
    for item in chunk:
        if item.error:
            summary.conflict(item, item.error, item.error_code, item.error_property)
            continue
        if "\x00" in f"{item.region_code}{item.indicator_code}{item.period}{item.comment or ''}":
            # PostgreSQL text cannot hold NUL: refuse the value, not the whole request.
            summary.conflict(item, _("The value contains a NUL character."), E_VALUE, "value")
            continue
        parts = context.period_parts(item.period)
        if parts is None:
            summary.conflict(
                item,
                _("%(period)s is not a period (2025, 2025S1, 2025Q1 or 202507).")
                % {"period": item.period},
                E_PERIOD,
                "period",
            )
            continue
        year, code = parts
        indicator = context.indicator(item.indicator_code, year)
        if indicator is None:
            summary.conflict(
                item,
                _("No indicator %(code)s in the catalogue of %(year)s.")
                % {"code": item.indicator_code, "year": year},
                E_DATA_ELEMENT,
                "dataElement",
            )
            continue
        verdict = verdicts.get((item.region_code, code))
        if verdict is None:
            verdict = verdicts[(item.region_code, code)] = _region_verdict(
                context, regions.get(item.region_code), item.region_code, code
            )
        if type(verdict) is tuple:
            summary.conflict(item, *verdict)
            continue
        accepted.append((item, indicator, verdict, code))
    return accepted


def _write_set_based(
    context: _Context, accepted: list[_Accepted], summary: ExchangeSummary
) -> None:
    """`_write` done set-based in PostgreSQL (see `exchange_sql`), with the same outcome.

    The sides of each pair are merged here, in payload order, as `_write` merges them: over
    all its values and, for the strategies that refuse some of them by whether a value is
    stored (CREATE, UPDATE), also over its deleting values alone; the database picks the
    merge that applies once it has read the stored value.
    """
    strategy = summary.strategy
    delete_all = strategy == DELETE
    by_deletes = strategy in (CREATE, UPDATE)
    numbers: dict[tuple[int, str, str], int] = {}  # pair → its number, in order of first value
    firsts: list[_Accepted] = []  # each pair's first value
    merged: list[list[Any]] = []  # per pair: exchange_sql.MERGED of all its values
    deletes: list[list[Any]] = []  # per pair: the same of its deleting values (by_deletes)
    values = []
    for pos, entry in enumerate(accepted):
        item, indicator, region, period = entry
        key = (indicator.id, region.code, period)
        pair = numbers.get(key)
        if pair is None:
            pair = numbers[key] = len(firsts)
            firsts.append(entry)
            merged.append([False, None, False, None, None, False])
            if by_deletes:
                deletes.append([False, None, False, None, None, False])
        deleting = delete_all or item.delete
        sides = item.sides
        set_num, set_den = "numerator" in sides, "denominator" in sides
        values.append((pos, pair, set_num, set_den, deleting))
        for state in (merged[pair], deletes[pair]) if deleting and by_deletes else (merged[pair],):
            if set_num:
                state[0], state[1] = True, None if deleting else item.numerator
            if set_den:
                state[2], state[3] = True, None if deleting else item.denominator
            if not deleting and item.comment is not None:
                state[4] = item.comment
            state[5] = True
    if context.settings is None:
        context.settings = exchange_sql.begin()
    nothing = [None] * len(exchange_sql.MERGED)
    exchange_sql.stage(
        values,
        (
            (
                pair,
                indicator.id,
                region.code,
                period,
                indicator.is_binary,
                indicator.denominator_source,
                region.level == indicator.entry_level,
                *merged[pair],
                *(deletes[pair] if by_deletes else nothing),
            )
            for pair, (_item, indicator, region, period) in enumerate(firsts)
        ),
    )
    del values, merged, deletes
    exchange_sql.classify(strategy)
    reasons: dict[int, str] = {}  # pair → why it fails validation
    for pos, pair, phase, numerator, denominator in exchange_sql.conflicts(strategy):
        item = accepted[pos][0]
        if phase == 0:
            if strategy == CREATE:
                message = _("A value already exists (import strategy CREATE).")
            else:
                message = _("No value to update (import strategy UPDATE).")
            summary.conflict(item, message, E_STRATEGY, "value")
            continue
        if pair not in reasons:
            _item, indicator, region, period = firsts[pair]
            reasons[pair] = _refusal(indicator, region, period, _int(numerator), _int(denominator))
        summary.conflict(item, reasons[pair], E_VALUE, "value")
    for kind, count in exchange_sql.counts(strategy).items():
        setattr(summary, kind, getattr(summary, kind) + count)
    if not summary.dry_run:
        summary.written += exchange_sql.write(
            actor_id=context.actor.pk, via=context.via, now=timezone.now()
        )


def _int(number: Any) -> int | None:
    return None if number is None else int(number)


def _refusal(
    indicator: Indicator, region: Region, period: str, numerator: Any, denominator: Any
) -> str:
    """Why `_validate` refuses the merged pair, as the portable path words it."""
    try:
        _validate(
            indicator=indicator,
            region=region,
            period=period,
            numerator=numerator,
            denominator=denominator,
            status=ValueStatus.VALUE,
        )
    except ValidationError as error:
        return f"{region.name}: {' '.join(error.messages)}"
    raise AssertionError(f"exchange_sql refused a valid pair: {indicator.code} {region.code}")


def _region_verdict(
    context: _Context, region: Region | None, region_code: str, period: str
) -> Region | tuple[str, str, str]:
    """The region when values of it for `period` may be written, else the conflict (message,
    code, property): no such region, outside the actor's scope, pilot switch, locked."""
    if region is None:
        return (
            _("No active region has the code %(code)s.") % {"code": region_code},
            E_ORG_UNIT,
            "orgUnit",
        )
    if not context.covers(region.code):
        return (
            _("%(region)s is outside the regions you enter data for.")
            % {"region": f"{region.code} {region.name}"},
            E_SCOPE,
            "orgUnit",
        )
    reason = context.closed_reason(region)
    if reason:
        return reason, E_SCOPE, "orgUnit"
    reason = context.lock_reason(region, period)
    if reason:
        return reason, E_LOCKED, "period"
    return region


def _existing(pairs: dict[tuple[int, str, str], _Pair]) -> None:
    keys = set(pairs)
    found = (
        CoverageValue.objects.select_for_update()
        .filter(
            indicator_id__in={k[0] for k in keys},
            region_id__in={k[1] for k in keys},
            period__in={k[2] for k in keys},
        )
        .values_list(
            "indicator_id",
            "region_id",
            "period",
            "pk",
            "numerator",
            "denominator",
            "status",
            "note",
            "version",
        )
    )
    for indicator_id, region_id, period, *stored in found:
        pair = pairs.get((indicator_id, region_id, period))
        if pair is not None:
            pair.value = _Stored(*stored)


NEW_COLUMNS = [
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
    "updated_at",
]
UPDATE_COLUMNS = [
    "numerator",
    "denominator",
    "status",
    "origin",
    "note",
    "updated_by_id",
    "version",
    "updated_at",
]


def _write(
    context: _Context, pairs: dict[tuple[int, str, str], _Pair], summary: ExchangeSummary
) -> None:
    _existing(pairs)
    actor_id = context.actor.pk
    now = timezone.now()
    created: list[tuple[Any, ...]] = []
    updated: list[tuple[Any, ...]] = []
    # (key, stored id or None, old (numerator, denominator, status), new numbers, note)
    history: list[tuple[tuple[int, str, str], int | None, tuple, tuple, str]] = []
    for key, pair in pairs.items():
        current = pair.value
        old = (
            (current.numerator, current.denominator, current.status)
            if current
            else (None, None, "")
        )
        new = {"numerator": old[0], "denominator": old[1]}
        note = current.note if current else ""
        exists = current is not None and (old[0] is not None or old[1] is not None)
        parts: list[Incoming] = []
        for part in pair.parts:
            deleting = summary.strategy == DELETE or part.delete
            if not deleting and summary.strategy == CREATE and exists:
                summary.conflict(
                    part, _("A value already exists (import strategy CREATE)."), E_STRATEGY, "value"
                )
                continue
            if not deleting and summary.strategy == UPDATE and not exists:
                summary.conflict(
                    part, _("No value to update (import strategy UPDATE)."), E_STRATEGY, "value"
                )
                continue
            for side in part.sides:
                new[side] = None if deleting else getattr(part, side)
            if part.comment is not None and not deleting:
                note = part.comment
            parts.append(part)
        if not parts:
            continue
        try:
            numerator, denominator = _validate(
                indicator=pair.indicator,
                region=pair.region,
                period=pair.period,
                numerator=new["numerator"],
                denominator=new["denominator"],
                status=ValueStatus.VALUE,
            )
        except ValidationError as error:
            reason = " ".join(error.messages)
            for part in parts:
                summary.conflict(part, f"{pair.region.name}: {reason}", E_VALUE, "value")
            continue
        stored = {"numerator": numerator, "denominator": denominator}
        for part in parts:
            kinds = set()
            for side in part.sides:
                before, after = old[SIDES.index(side)], stored[side]
                if before == after:
                    kinds.add("ignored")
                elif after is None:
                    kinds.add("deleted")
                elif before is None:
                    kinds.add("imported")
                else:
                    kinds.add("updated")
            # A value setting both sides counts once, by its strongest change.
            kind = next(
                (k for k in ("updated", "imported", "deleted", "ignored") if k in kinds), "ignored"
            )
            setattr(summary, kind, getattr(summary, kind) + 1)
        if current is None:
            if numerator is None and denominator is None:
                continue
            created.append(
                (
                    *key,
                    numerator,
                    denominator,
                    pair.indicator.denominator_source,
                    ValueStatus.VALUE,
                    note,
                    context.via,
                    1,
                    actor_id,
                    now,
                )
            )
            history.append((key, None, old, (numerator, denominator), note))
        elif (old[0], old[1]) != (numerator, denominator) or (
            current.note != note or old[2] != ValueStatus.VALUE
        ):
            updated.append(
                (
                    numerator,
                    denominator,
                    ValueStatus.VALUE,
                    context.via,
                    note,
                    actor_id,
                    current.version + 1,
                    now,
                    current.pk,
                )
            )
            history.append((key, current.pk, old, (numerator, denominator), note))
    if summary.dry_run or not history:
        return
    insert_rows(CoverageValue, NEW_COLUMNS, created)
    update_rows(CoverageValue, UPDATE_COLUMNS, updated)
    ids = {}
    if created:
        new_keys = {row[:3] for row in created}
        ids = {
            (i, r, p): pk
            for i, r, p, pk in CoverageValue.objects.filter(
                indicator_id__in={k[0] for k in new_keys},
                region_id__in={k[1] for k in new_keys},
                period__in={k[2] for k in new_keys},
            ).values_list("indicator_id", "region_id", "period", "pk")
        }
    insert_rows(
        CoverageValueChange,
        HISTORY_COLUMNS,
        (
            (
                pk or ids[key],
                now,
                actor_id,
                context.via,
                old[0],
                old[1],
                old[2],
                numbers[0],
                numbers[1],
                ValueStatus.VALUE,
                note,
            )
            for key, pk, old, numbers, note in history
        ),
    )
    rollups_apply(
        (
            key[0],
            key[1],
            key[2],
            Contribution.of(old[0], old[1], old[2] or ValueStatus.VALUE),
            Contribution.of(numbers[0], numbers[1], ValueStatus.VALUE),
        )
        for key, _pk, old, numbers, _note in history
    )
    summary.written += len(history)
