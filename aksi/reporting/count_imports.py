"""Bulk writes of target-group counts (data sasaran): a Dukcapil file, a CSV upload, the API.

Rows arrive already parsed (region code, target-group code, period, count). Every row is
checked as `target_group_count_save` checks one count; any bad row means nothing is written,
and each bad row is named with its line and reason. `dry_run` checks without writing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aksi.accounts.rules import is_central_admin
from aksi.accounts.scopes import Scope, entry_scope
from aksi.catalogue.models import TargetGroup
from aksi.core.bulk import insert_rows, update_rows
from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record
from aksi.lib.periods import PeriodError, parse_period
from aksi.regions.models import Level, Region
from aksi.regions.sources import normalize_code
from aksi.reporting import entry_switch
from aksi.reporting.exchange import (
    CREATE,
    DELETE,
    E_DATA_ELEMENT,
    E_LOCKED,
    E_ORG_UNIT,
    E_PERIOD,
    E_SCOPE,
    E_STRATEGY,
    E_VALUE,
    UPDATE,
    ExchangeSummary,
    Incoming,
)
from aksi.reporting.models import CountSource, Origin, TargetGroupCount, TargetGroupCountChange
from aksi.reporting.services import _validate_count
from aksi.review.models import Submission

BATCH = 500


@dataclass(frozen=True)
class CountRow:
    region_code: str
    target_group_code: str
    period: str
    count: int | None
    line: int = 0  # the row's number in the source file, for messages


@dataclass(frozen=True)
class RowError:
    line: int
    region_code: str
    target_group_code: str
    period: str
    message: str


@dataclass
class CountImportReport:
    errors: list[RowError] = field(default_factory=list)
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    applied: bool = False

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def rows(self) -> int:
        return self.new + self.changed + self.unchanged


def _locked_subdistricts(codes: set[str], periods: set[str]) -> set[tuple[str, str]]:
    """(kecamatan, period) pairs whose values a submitted or verified report locks."""
    if not codes or not periods:
        return set()
    return set(
        Submission.objects.filter(
            region_id__in=codes, period__in=periods, status__in=Submission.LOCKING
        ).values_list("region_id", "period")
    )


def _entry(actor: Any) -> tuple[Scope, bool]:
    """Where the actor loads counts, and whether anywhere: a central admin may load any desa
    (Dukcapil files are national) and is not held back by a kab/kota's kecamatan switch."""
    return entry_scope(actor), bool(is_central_admin(actor))


def _lock_message(subdistrict_code: str, period: str) -> str:
    return _("The data of %(region)s for %(period)s are submitted or verified and locked.") % {
        "region": subdistrict_code,
        "period": period,
    }


def target_group_counts_import(
    *,
    actor: Any,
    rows: Iterable[CountRow],
    source: str = CountSource.DUKCAPIL,
    dry_run: bool = True,
    within: Region | None = None,
    via: str = Origin.IMPORTED,
) -> CountImportReport:
    """Check every row; unless `dry_run`, write them all or none.

    Rows must name an active desa inside the actor's entry scope (a central admin may load
    any desa: Dukcapil files are national) and, with `within`, inside that region.
    """
    if source not in CountSource.values:
        raise ValueError(source)
    with transaction.atomic():
        return _import(
            actor=actor, rows=list(rows), source=source, dry_run=dry_run, within=within, via=via
        )


def _import(
    *,
    actor: Any,
    rows: list[CountRow],
    source: str,
    dry_run: bool,
    within: Region | None,
    via: str,
) -> CountImportReport:
    report = CountImportReport()
    scope, national = _entry(actor)
    codes = {normalize_code(row.region_code) for row in rows}
    regions = {
        region.code: region
        for region in Region.objects.filter(code__in=codes, level=Level.VILLAGE).only(
            "code", "name", "parent_id", "valid_to", "level"
        )
    }
    groups = {group.code: group for group in TargetGroup.objects.all()}
    parsed_periods: dict[str, str] = {}
    for row in rows:
        try:
            parsed_periods[row.period] = parse_period(row.period).code
        except PeriodError:
            pass
    subdistricts = {region.parent_id for region in regions.values() if region.parent_id}
    locked = _locked_subdistricts(subdistricts, set(parsed_periods.values()))
    # The kab/kota switch limits kecamatan operators; a national load is not theirs.
    closed = (
        set() if national else entry_switch.closed_subdistricts(actor=actor, codes=subdistricts)
    )

    def fail(row: CountRow, message: str) -> None:
        report.errors.append(
            RowError(row.line, row.region_code, row.target_group_code, row.period, message)
        )

    accepted: list[tuple[CountRow, Region, TargetGroup, str]] = []
    seen: set[tuple[str, int, str]] = set()
    for row in rows:
        code = normalize_code(row.region_code)
        region = regions.get(code)
        group = groups.get(row.target_group_code.strip())
        period = parsed_periods.get(row.period)
        if region is None or region.valid_to is not None:
            fail(row, _("%(code)s is not an active village code.") % {"code": row.region_code})
            continue
        if within is not None and not (code == within.code or code.startswith(f"{within.code}.")):
            fail(row, _("%(code)s is not in %(region)s.") % {"code": code, "region": within.name})
            continue
        if not (national or scope.covers(code)) or region.parent_id in closed:
            fail(
                row,
                _("%(region)s is outside the regions you enter data for.")
                % {"region": region.name},
            )
            continue
        if group is None:
            fail(
                row,
                _("%(code)s is not a target-group code.") % {"code": row.target_group_code},
            )
            continue
        if period is None:
            fail(row, _("%(period)s is not a period.") % {"period": row.period})
            continue
        if row.count is None:
            fail(row, _("The count is empty."))
            continue
        if row.count < 0:
            fail(row, _("A count cannot be negative."))
            continue
        if (region.parent_id, period) in locked:
            fail(row, _lock_message(region.parent_id or "", period))
            continue
        key = (code, group.pk, period)
        if key in seen:
            fail(row, _("The same village, target group and period appear twice."))
            continue
        seen.add(key)
        accepted.append((row, region, group, period))

    existing_qs = TargetGroupCount.objects.filter(
        region_id__in=[region.code for _row, region, _group, _period in accepted],
        period__in=set(parsed_periods.values()),
    )
    if not dry_run and report.is_valid:
        existing_qs = existing_qs.select_for_update()
        # The kecamatan row locks every value writer takes (aksi.review.locks).
        list(
            Region.objects.select_for_update()
            .filter(code__in=subdistricts)
            .values_list("code", flat=True)
        )
    existing = {(c.region_id, c.target_group_id, c.period): c for c in existing_qs}
    to_create: list[TargetGroupCount] = []
    to_update: list[TargetGroupCount] = []
    history: list[tuple[TargetGroupCount, int | None, str]] = []
    for row, region, group, period in accepted:
        current = existing.get((region.code, group.pk, period))
        if current is None:
            report.new += 1
            value = _new_count(
                actor=actor,
                group=group,
                region=region,
                period=period,
                count=row.count,
                source=source,
                via=via,
            )
            to_create.append(value)
            history.append((value, None, ""))
        elif (current.count, current.source) == (row.count, source):
            report.unchanged += 1
        else:
            report.changed += 1
            history.append((current, current.count, current.source))
            _change_count(actor=actor, value=current, count=row.count, source=source, via=via)
            to_update.append(current)
    if dry_run or not report.is_valid:
        return report
    try:
        _write(actor=actor, via=via, created=to_create, changed=to_update, history=history)
    except IntegrityError:
        report.errors.append(
            RowError(0, "", "", "", _("Someone else saved counts meanwhile; check again."))
        )
        report.new = report.changed = report.unchanged = 0
        transaction.set_rollback(True)
        return report
    if history:
        audit_event_record(
            event_type=AuditEventType.VALUES_IMPORTED,
            actor=actor,
            target=within,
            region_code=within.code if within is not None else "",
            data={
                "what": "target_group_counts",
                "source": source,
                "via": via,
                "new": report.new,
                "changed": report.changed,
            },
        )
    report.applied = True
    return report


def _new_count(
    *,
    actor: Any,
    group: TargetGroup,
    region: Region,
    period: str,
    count: int | None,
    source: str,
    via: str,
) -> TargetGroupCount:
    return TargetGroupCount(
        target_group_id=group.pk,
        region_id=region.code,
        period=period,
        count=count,
        source=source,
        origin=via,
        updated_by_id=getattr(actor, "pk", None),
    )


def _change_count(
    *, actor: Any, value: TargetGroupCount, count: int | None, source: str, via: str
) -> None:
    value.count, value.source, value.origin = count, source, via
    value.updated_by_id = getattr(actor, "pk", None)
    value.version += 1


def _write(
    *,
    actor: Any,
    via: str,
    created: list[TargetGroupCount],
    changed: list[TargetGroupCount],
    history: list[tuple[TargetGroupCount, int | None, str]],
) -> None:
    """New counts, changed counts and one history row each (old count and source) in a few
    statements. Raises IntegrityError when someone saved one of the new counts meanwhile;
    the stored rows are already locked."""
    now = timezone.now()
    with transaction.atomic():
        TargetGroupCount.objects.bulk_create(created, batch_size=BATCH)
    if created and created[0].pk is None:
        # Backends that do not return ids from a bulk insert: read them back.
        ids = {
            (c.region_id, c.target_group_id, c.period): c.pk
            for c in TargetGroupCount.objects.filter(
                region_id__in={v.region_id for v in created},
                period__in={v.period for v in created},
            )
        }
        for value in created:
            value.pk = ids[(value.region_id, value.target_group_id, value.period)]
    columns = ["count", "source", "origin", "updated_by_id", "version", "updated_at"]
    for value in changed:
        value.updated_at = now
    update_rows(
        TargetGroupCount,
        columns,
        (tuple(getattr(v, c) for c in columns) + (v.pk,) for v in changed),
    )
    insert_rows(
        TargetGroupCountChange,
        [
            "value_id",
            "changed_at",
            "actor_id",
            "via",
            "old_count",
            "new_count",
            "old_source",
            "new_source",
        ],
        (
            (
                value.pk,
                now,
                getattr(actor, "pk", None),
                via,
                old_count,
                value.count,
                old_source,
                value.source,
            )
            for value, old_count, old_source in history
        ),
    )


# --- the DHIS2 exchange -----------------------------------------------------------------------

EXCHANGE_CHUNK = 5000


@transaction.atomic
def target_group_counts_exchange(
    *,
    actor: Any,
    values: list[Incoming],
    summary: ExchangeSummary,
    source: str = CountSource.OTHER,
    via: str = Origin.API,
) -> None:
    """Target-group counts received with a data value set (`aksi.api.dhis2`), next to coverage.

    Each value is an `Incoming` whose `indicator_code` is the target group's code and
    `numerator` the count (None, or `delete`, clears it). The rows are checked as
    `target_group_counts_import` checks them (an active desa in the actor's scope, the
    kecamatan switch, the kecamatan's lock, a count of at least 0, no repeated row) and written
    by its writer, with history rows and one audit event; but valid values are stored and every
    other one is counted and listed in `summary` as a conflict, under `summary.strategy`, and a
    dry run stores nothing. A new or changed count takes `source` (another system's number);
    a count equal to the stored one is ignored and keeps its source.
    """
    before = (summary.imported, summary.updated, summary.deleted, summary.ignored)
    state = _ExchangeState(actor)
    created: list[TargetGroupCount] = []
    changed: list[TargetGroupCount] = []
    history: list[tuple[TargetGroupCount, int | None, str]] = []
    for start in range(0, len(values), EXCHANGE_CHUNK):
        chunk = values[start : start + EXCHANGE_CHUNK]
        for (_value, group, region, period), current, count in _exchange_chunk(
            state, chunk, summary
        ):
            if current is None:
                new = _new_count(
                    actor=actor,
                    group=group,
                    region=region,
                    period=period,
                    count=count,
                    source=source,
                    via=via,
                )
                created.append(new)
                history.append((new, None, ""))
            else:
                history.append((current, current.count, current.source))
                # A cleared count keeps the source of the number it had.
                new_source = current.source if count is None else source
                _change_count(actor=actor, value=current, count=count, source=new_source, via=via)
                changed.append(current)
    if summary.dry_run or not history:
        return
    try:
        _write(actor=actor, via=via, created=created, changed=changed, history=history)
    except IntegrityError:
        raise ValidationError(_("Someone else saved counts meanwhile; check again.")) from None
    summary.written += len(history)
    audit_event_record(
        event_type=AuditEventType.VALUES_RECEIVED,
        actor=actor,
        data={
            "what": "target_group_counts",
            "source": source,
            "via": via,
            "strategy": summary.strategy,
            "imported": summary.imported - before[0],
            "updated": summary.updated - before[1],
            "deleted": summary.deleted - before[2],
            "ignored": summary.ignored - before[3],
        },
    )


class _ExchangeState:
    """What the chunks of one exchange share: scope, target groups, switch, locks, rows seen."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.scope, self.national = _entry(actor)
        self.groups = {group.code: group for group in TargetGroup.objects.all()}
        self.periods: dict[str, str | None] = {}  # text → period code, None if not a period
        self.closed: dict[str, bool] = {}  # kecamatan → the switch keeps the actor out
        self.locked: set[tuple[str, str]] = set()  # (kecamatan, period) locked
        self.checked: set[tuple[str, str]] = set()  # (kecamatan, period) whose lock was read
        self.seen: set[tuple[str, int, str]] = set()

    def period(self, text: str) -> str | None:
        if text not in self.periods:
            try:
                self.periods[text] = parse_period(text).code
            except PeriodError:
                self.periods[text] = None
        return self.periods[text]

    def load(self, regions: Iterable[Region], periods: set[str]) -> None:
        """The switch and the locks of the regions' kecamatan, in a few queries a chunk; takes
        the kecamatan row locks every value writer takes (aksi.review.locks)."""
        kecamatan = {
            region.parent_id
            for region in regions
            if region.level == Level.VILLAGE
            and region.parent_id
            and (self.national or self.scope.covers(region.code))
        }
        unknown = kecamatan - set(self.closed)
        # The kab/kota switch limits kecamatan operators; a national load is not theirs.
        closed = (
            set()
            if self.national
            else entry_switch.closed_subdistricts(actor=self.actor, codes=unknown)
        )
        for code in unknown:
            self.closed[code] = code in closed
        keys = {(c, p) for c in kecamatan for p in periods if not self.closed[c]} - self.checked
        if not keys:
            return
        list(
            Region.objects.select_for_update()
            .filter(code__in={code for code, _period in keys})
            .order_by("code")
            .values_list("code", flat=True)
        )
        self.locked |= _locked_subdistricts(
            {code for code, _period in keys}, {period for _code, period in keys}
        )
        self.checked |= keys


# An accepted value: the value, its group, its desa and the period code.
_Accepted = tuple[Incoming, TargetGroup, Region, str]


def _exchange_chunk(
    state: _ExchangeState, chunk: list[Incoming], summary: ExchangeSummary
) -> list[tuple[_Accepted, TargetGroupCount | None, int | None]]:
    """Check a chunk's values and classify the valid ones against the stored counts: each to
    write with its stored count (None: new) and the count to store; every refused value
    becomes a conflict of `summary`."""
    regions = {
        region.code: region
        for region in Region.objects.filter(
            code__in={v.region_code for v in chunk if "\x00" not in v.region_code},
            valid_to__isnull=True,
        )
    }
    periods = {p for v in chunk if not v.error and (p := state.period(v.period)) is not None}
    state.load(regions.values(), periods)
    accepted: list[_Accepted] = []
    for value in chunk:
        refusal = _refusal(state, value, regions.get(value.region_code))
        if refusal is not None:
            summary.conflict(value, *refusal)
            continue
        group = state.groups[value.indicator_code]
        region = regions[value.region_code]
        period = state.period(value.period) or ""
        key = (region.code, group.pk, period)
        if key in state.seen:
            summary.conflict(
                value,
                _("The same data element, organisation unit and period came earlier in the data."),
                E_VALUE,
                "value",
            )
            continue
        state.seen.add(key)
        accepted.append((value, group, region, period))
    if not accepted:
        return []
    stored = TargetGroupCount.objects.filter(
        target_group_id__in={group.pk for _v, group, _r, _p in accepted},
        region_id__in={region.code for _v, _g, region, _p in accepted},
        period__in={period for _v, _g, _r, period in accepted},
    ).select_for_update()
    existing = {(c.region_id, c.target_group_id, c.period): c for c in stored}
    writes = []
    for entry in accepted:
        value, group, region, period = entry
        current = existing.get((region.code, group.pk, period))
        old = current.count if current is not None else None
        deleting = summary.strategy == DELETE or value.delete
        if not deleting and summary.strategy == CREATE and old is not None:
            summary.conflict(
                value, _("A value already exists (import strategy CREATE)."), E_STRATEGY, "value"
            )
            continue
        if not deleting and summary.strategy == UPDATE and old is None:
            summary.conflict(
                value, _("No value to update (import strategy UPDATE)."), E_STRATEGY, "value"
            )
            continue
        count = None if deleting else value.numerator
        try:
            _validate_count(region=region, period=period, count=count, source=CountSource.OTHER)
        except ValidationError as error:
            summary.conflict(value, f"{region.name}: {' '.join(error.messages)}", E_VALUE, "value")
            continue
        if old == count:
            summary.ignored += 1
            continue
        if count is None:
            summary.deleted += 1
        elif old is None:
            summary.imported += 1
        else:
            summary.updated += 1
        writes.append((entry, current, count))
    return writes


def _refusal(
    state: _ExchangeState, value: Incoming, region: Region | None
) -> tuple[str, str, str] | None:
    """Why the value is refused before its stored count is read (message, code, property):
    the parser's finding, the target group, the period, the region, scope, switch, lock."""
    if value.error:
        return value.error, value.error_code, value.error_property
    if "\x00" in f"{value.region_code}{value.period}":
        return _("The value contains a NUL character."), E_VALUE, "value"
    if value.indicator_code not in state.groups:
        return (
            _("%(code)s is not a target-group code.") % {"code": value.indicator_code},
            E_DATA_ELEMENT,
            "dataElement",
        )
    period = state.period(value.period)
    if period is None:
        return (
            _("%(period)s is not a period (2025, 2025S1, 2025Q1 or 202507).")
            % {"period": value.period},
            E_PERIOD,
            "period",
        )
    if region is None:
        return (
            _("No active region has the code %(code)s.") % {"code": value.region_code},
            E_ORG_UNIT,
            "orgUnit",
        )
    if not (state.national or state.scope.covers(region.code)) or state.closed.get(
        region.parent_id or ""
    ):
        return (
            _("%(region)s is outside the regions you enter data for.")
            % {"region": f"{region.code} {region.name}"},
            E_SCOPE,
            "orgUnit",
        )
    if (region.parent_id, period) in state.locked:
        return _lock_message(region.parent_id or "", period), E_LOCKED, "period"
    return None
