"""Supporting values received through the DHIS2 exchange, next to coverage."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from aksi.accounts.scopes import entry_scope
from aksi.catalogue.models import SupportingItem
from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record
from aksi.lib.periods import PeriodError, parse_period
from aksi.regions.models import Region
from aksi.regions.selectors import active_regions
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
from aksi.reporting.imports import ImportConflict
from aksi.reporting.models import Origin, SupportingValue
from aksi.reporting.supporting.bulk import SupportingWrite, _write
from aksi.reporting.supporting.values import _validate
from aksi.review import locks as review_locks

EXCHANGE_CHUNK = 5000


@transaction.atomic
def supporting_values_exchange(
    *,
    actor: Any,
    values: list[Incoming],
    summary: ExchangeSummary,
    via: str = Origin.API,
) -> None:
    """Supporting values received with a data value set (`aksi.api.dhis2`), next to coverage.

    Each value is an `Incoming` whose `indicator_code` is the item's code and `numerator` the
    number (None, or `delete`, clears it). The checks are those of a cell save — entry scope,
    the kecamatan switch, the kecamatan's submission lock, `_validate` — and the values are
    written by the Excel upload's writer, with history rows and one audit event. Unlike that
    upload, valid values are stored and every other one is counted and listed in `summary` as
    a conflict, under `summary.strategy`; a dry run stores nothing. A value repeated in the
    payload is refused after its first appearance, as a repeated row of a file is.
    """
    before = (summary.imported, summary.updated, summary.deleted, summary.ignored)
    state = _ExchangeState(actor)
    writes: list[SupportingWrite] = []
    for start in range(0, len(values), EXCHANGE_CHUNK):
        writes += _exchange_chunk(state, values[start : start + EXCHANGE_CHUNK], summary)
    if summary.dry_run or not writes:
        return
    try:
        _write(actor=actor, writes=writes, via=via)
    except ImportConflict as error:
        raise ValidationError(str(error)) from None
    summary.written += len(writes)
    audit_event_record(
        event_type=AuditEventType.VALUES_RECEIVED,
        actor=actor,
        data={
            "what": "supporting_values",
            "via": via,
            "strategy": summary.strategy,
            "imported": summary.imported - before[0],
            "updated": summary.updated - before[1],
            "deleted": summary.deleted - before[2],
            "ignored": summary.ignored - before[3],
        },
    )


class _ExchangeState:
    """What the chunks of one exchange share: the actor's scope and what was looked up."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.scope = entry_scope(actor)
        self.periods: dict[str, str | None] = {}  # text → period code, None if not a period
        self.items: dict[tuple[str, int], SupportingItem | None] = {}
        self.closed: dict[str, str] = {}  # kecamatan → why the switch keeps the actor out, or ""
        self.locked: dict[tuple[str, str], str] = {}  # (kecamatan, period) → lock reason, or ""
        self.seen: set[tuple[str, int, str]] = set()

    def period(self, text: str) -> str | None:
        if text not in self.periods:
            try:
                self.periods[text] = parse_period(text).code
            except PeriodError:
                self.periods[text] = None
        return self.periods[text]

    def load(self, regions: Iterable[Region], keys: set[tuple[str, str]]) -> None:
        """The items of `keys` (code, period code), and the switch and locks of the regions'
        kecamatan, in a few queries for the chunk."""
        wanted = {(code, int(period[:4])) for code, period in keys}
        missing = wanted - set(self.items)
        if missing:
            found = SupportingItem.objects.filter(
                code__in={code for code, _year in missing},
                catalogue__year__in={year for _code, year in missing},
            ).select_related("catalogue")
            for item in found:
                self.items[(item.code, item.catalogue.year)] = item
            for key in missing:
                self.items.setdefault(key, None)
        kecamatan = {
            code: region
            for region in regions
            if self.scope.covers(region.code) and (code := entry_switch.subdistrict_code(region))
        }
        unknown = set(kecamatan) - set(self.closed)
        closed = entry_switch.closed_subdistricts(actor=self.actor, codes=unknown)
        for code in unknown:
            self.closed[code] = ""
            if code in closed:
                # The switch's own check, for its message (a closed kecamatan is rare).
                try:
                    entry_switch.assert_entry_open(actor=self.actor, region=kecamatan[code])
                except PermissionDenied as refused:
                    self.closed[code] = str(refused)
        for period in sorted({period for _code, period in keys}):
            codes = sorted(
                code
                for code in kecamatan
                if not self.closed[code] and (code, period) not in self.locked
            )
            if codes:
                reasons = review_locks.locked_regions(codes=codes, period=period)
                for code in codes:
                    self.locked[(code, period)] = reasons.get(code, "")


def _exchange_chunk(
    state: _ExchangeState, chunk: list[Incoming], summary: ExchangeSummary
) -> list[SupportingWrite]:
    """Check a chunk's values, classify the valid ones against the stored values and return
    what to write; every refused value becomes a conflict of `summary`."""
    regions = {
        region.code: region
        for region in active_regions().filter(
            code__in={v.region_code for v in chunk if "\x00" not in v.region_code}
        )
    }
    keys = {
        (v.indicator_code, period)
        for v in chunk
        if not v.error and (period := state.period(v.period)) is not None
    }
    state.load(regions.values(), keys)
    accepted: list[tuple[Incoming, SupportingItem, Region, str]] = []
    for value in chunk:
        refusal = _refusal(state, value, regions.get(value.region_code))
        if refusal is not None:
            summary.conflict(value, *refusal)
            continue
        period = state.period(value.period) or ""
        item = state.items[(value.indicator_code, int(period[:4]))]
        region = regions[value.region_code]
        assert item is not None  # _refusal refuses a value without one
        key = (region.code, item.pk, period)
        if key in state.seen:
            summary.conflict(
                value,
                _("The same data element, organisation unit and period came earlier in the data."),
                E_VALUE,
                "value",
            )
            continue
        state.seen.add(key)
        accepted.append((value, item, region, period))
    if not accepted:
        return []
    stored = SupportingValue.objects.filter(
        item_id__in={item.pk for _v, item, _r, _p in accepted},
        region_id__in={region.code for _v, _i, region, _p in accepted},
        period__in={period for _v, _i, _r, period in accepted},
    ).select_for_update()
    existing = {(v.region_id, v.item_id, v.period): v for v in stored}
    writes = []
    for value, item, region, period in accepted:
        current = existing.get((region.code, item.pk, period))
        write = _classify(value, item, region, period, current, summary)
        if write is not None:
            writes.append(write)
    return writes


def _refusal(
    state: _ExchangeState, value: Incoming, region: Region | None
) -> tuple[str, str, str] | None:
    """Why the value is refused before its stored value is read (message, code, property):
    the parser's finding, the period, the item, the region, scope, switch, lock."""
    if value.error:
        return value.error, value.error_code, value.error_property
    if "\x00" in f"{value.region_code}{value.period}{value.comment or ''}":
        return _("The value contains a NUL character."), E_VALUE, "value"
    period = state.period(value.period)
    if period is None:
        return (
            _("%(period)s is not a period (2025, 2025S1, 2025Q1 or 202507).")
            % {"period": value.period},
            E_PERIOD,
            "period",
        )
    year = int(period[:4])
    if state.items.get((value.indicator_code, year)) is None:
        return (
            _("No supporting item %(code)s in the catalogue of %(year)s.")
            % {"code": value.indicator_code, "year": year},
            E_DATA_ELEMENT,
            "dataElement",
        )
    if region is None:
        return (
            _("No active region has the code %(code)s.") % {"code": value.region_code},
            E_ORG_UNIT,
            "orgUnit",
        )
    if not state.scope.covers(region.code):
        return (
            _("%(region)s is outside the regions you enter data for.")
            % {"region": f"{region.code} {region.name}"},
            E_SCOPE,
            "orgUnit",
        )
    kecamatan = entry_switch.subdistrict_code(region)
    if kecamatan and state.closed[kecamatan]:
        return state.closed[kecamatan], E_SCOPE, "orgUnit"
    if kecamatan and state.locked[(kecamatan, period)]:
        return state.locked[(kecamatan, period)], E_LOCKED, "period"
    return None


def _classify(
    value: Incoming,
    item: SupportingItem,
    region: Region,
    period: str,
    current: SupportingValue | None,
    summary: ExchangeSummary,
) -> SupportingWrite | None:
    """Count the value as imported, updated, deleted or ignored (or refuse it) and return the
    write it needs, if any."""
    old = current.value if current is not None else None
    deleting = summary.strategy == DELETE or value.delete
    if not deleting and summary.strategy == CREATE and old is not None:
        summary.conflict(
            value, _("A value already exists (import strategy CREATE)."), E_STRATEGY, "value"
        )
        return None
    if not deleting and summary.strategy == UPDATE and old is None:
        summary.conflict(
            value, _("No value to update (import strategy UPDATE)."), E_STRATEGY, "value"
        )
        return None
    new = None if deleting else value.numerator
    try:
        _validate(item=item, region=region, period=period, value=new)
    except ValidationError as error:
        summary.conflict(value, f"{region.name}: {' '.join(error.messages)}", E_VALUE, "value")
        return None
    note = current.note if current is not None else ""
    if value.comment is not None and not deleting:
        note = value.comment.strip()
    if old == new:
        summary.ignored += 1
    elif new is None:
        summary.deleted += 1
    elif old is None:
        summary.imported += 1
    else:
        summary.updated += 1
    if current is None and new is None:
        return None
    if current is not None and old == new and current.note == note:
        return None
    return SupportingWrite(item.pk, region.code, period, new, note, current)
