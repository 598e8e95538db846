"""Data pendukung: supporting items per desa (or per kecamatan), saved like any reported value.

An item is a count, a yes/no (stored 1/0) or an amount in whole rupiah (DOMAIN §6.2). Saves go
through the rules of a cell save: entry scope and the kecamatan switch, the submission lock,
optimistic versions (a conflict carries the other value), one history row per change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from aksi.accounts.scopes import entry_scope
from aksi.catalogue.models import SupportingItem
from aksi.core.bulk import insert_rows, update_rows
from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record
from aksi.lib.numbers import NumberError, parse_count
from aksi.lib.periods import PeriodError, parse_period
from aksi.regions.models import Level, Region
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
from aksi.reporting.imports import (
    CHANGED,
    INVALID,
    NEW,
    UNCHANGED,
    CellOutcome,
    ImportConflict,
    ImportReport,
)
from aksi.reporting.models import (
    Origin,
    ReportingDuty,
    ReportingUnit,
    SupportingValue,
    SupportingValueChange,
    UnitKind,
)
from aksi.review import locks as review_locks

YES_WORDS = frozenset({"ya", "y", "yes", "1", "ada", "sudah"})
NO_WORDS = frozenset({"tidak", "t", "no", "n", "0", "tidak ada", "belum"})
# A rupiah amount above a trillion per desa is a typing error, not a budget.
RUPIAH_MAX = 10**12
COUNT_MAX = 10**7

LEVEL_OF_ITEM = {
    SupportingItem.EntryLevel.VILLAGE: Level.VILLAGE,
    SupportingItem.EntryLevel.SUBDISTRICT: Level.SUBDISTRICT,
}


class SupportingConflictError(Exception):
    """Someone else saved the value since the form was opened; carries their value."""

    def __init__(self, current: SupportingValue) -> None:
        super().__init__("conflict")
        self.current = current


def parse_supporting(item: SupportingItem, raw: str | int | None) -> int | None:
    """The stored number of what was typed: `Ya`/`Tidak` → 1/0, `Rp 1.250.000` → 1250000.

    Raises NumberError with a message for the user; empty → None."""
    if item.unit == SupportingItem.Unit.YES_NO:
        if raw is None:
            return None
        text = str(raw).strip().lower()
        if text == "":
            return None
        if text in YES_WORDS:
            return 1
        if text in NO_WORDS:
            return 0
        raise NumberError(_("answer Ya or Tidak"))
    if isinstance(raw, str) and item.unit == SupportingItem.Unit.RUPIAH:
        raw = raw.strip()
        if raw[:2].lower() == "rp":
            raw = raw[2:].lstrip(". ")
        if raw.endswith(",00"):
            raw = raw[:-3]
    number = parse_count(raw)
    too_large = _too_large(item, number)
    if too_large:
        raise NumberError(too_large)
    return number


def _too_large(item: SupportingItem, number: int | None) -> str:
    """Why the number is implausible for the item ("" when it is not)."""
    limit = RUPIAH_MAX if item.unit == SupportingItem.Unit.RUPIAH else COUNT_MAX
    if number is not None and number > limit:
        return _("%(value)s is implausibly large") % {
            "value": number_format(number, force_grouping=True)
        }
    return ""


def _validate(*, item: SupportingItem, region: Region, period: str, value: int | None) -> str:
    try:
        parsed = parse_period(period)
    except PeriodError as error:
        raise ValidationError({"period": str(error)}) from None
    if parsed.year != item.catalogue.year:
        raise ValidationError(
            {
                "period": _("%(code)s belongs to the catalogue of %(year)s, not to %(period)s.")
                % {"code": item.code, "year": item.catalogue.year, "period": parsed.code}
            }
        )
    if region.level != LEVEL_OF_ITEM[item.entry_level]:
        raise ValidationError(
            {
                "region": _("%(code)s is entered per %(level)s, not for %(region)s.")
                % {
                    "code": item.code,
                    "level": item.get_entry_level_display().lower(),
                    "region": region.name,
                }
            }
        )
    if value is not None and item.unit == SupportingItem.Unit.YES_NO and value not in (0, 1):
        raise ValidationError(
            {"value": _("%(code)s is answered Ya or Tidak.") % {"code": item.code}}
        )
    if value is not None and value < 0:
        raise ValidationError({"value": _("A value cannot be negative.")})
    too_large = _too_large(item, value)
    if too_large:
        raise ValidationError({"value": too_large})
    return parsed.code


@dataclass
class SupportingSaveResult:
    value: SupportingValue
    changed: bool


@transaction.atomic
def supporting_value_save(
    *,
    actor: Any,
    item: SupportingItem,
    region: Region,
    period: str,
    value: int | None,
    note: str | None = None,
    expected_version: int | None = None,
    via: str = Origin.ENTERED,
) -> SupportingSaveResult:
    """Save one supporting value with its history; `expected_version` is the version the user
    saw (None: no check, 0: they saw none). `note` None keeps the stored note."""
    from aksi.reporting.services import assert_may_enter  # services imports this module

    assert_may_enter(actor=actor, region=region)
    review_locks.assert_values_editable(region=region, period=period)
    period = _validate(item=item, region=region, period=period, value=value)
    current = (
        SupportingValue.objects.select_for_update()
        .filter(item=item, region=region, period=period)
        .first()
    )
    if current is not None and expected_version is not None and current.version != expected_version:
        raise SupportingConflictError(current)
    if current is None and expected_version not in (None, 0):
        raise SupportingConflictError(SupportingValue(item=item, region=region, period=period))
    note = (current.note if current is not None else "") if note is None else note.strip()
    if current is None:
        if value is None and not note:
            return SupportingSaveResult(
                SupportingValue(item=item, region=region, period=period), changed=False
            )
        try:
            with transaction.atomic():
                current = SupportingValue.objects.create(
                    item=item,
                    region=region,
                    period=period,
                    value=value,
                    note=note,
                    origin=via,
                    updated_by=actor,
                )
        except IntegrityError:
            raise SupportingConflictError(
                SupportingValue.objects.get(item=item, region=region, period=period)
            ) from None
        old = None
    else:
        old = current.value
        if old == value and current.note == note:
            return SupportingSaveResult(current, changed=False)
        current.value, current.note, current.origin = value, note, via
        current.updated_by = actor
        current.version += 1
        current.save()
    SupportingValueChange.objects.create(
        value=current, actor=actor, via=via, old_value=old, new_value=value, note=note
    )
    return SupportingSaveResult(current, changed=True)


# --- reading --------------------------------------------------------------------------------


def year_items(year: int) -> list[SupportingItem]:
    """The supporting items of the year's catalogue, in catalogue order."""
    return list(
        SupportingItem.objects.filter(catalogue__years__year=year)
        .select_related("catalogue")
        .order_by("order")
    )


def unit_item_ids(*, unit_ids: list[int], subdistrict: Region, period: str) -> set[int] | None:
    """Items the units' duties in a kecamatan expect in the period; None without any duty of
    theirs there in the year (the caller falls back to the units' sectors)."""
    parsed = parse_period(period)
    found = ReportingDuty.objects.filter(
        year=parsed.year, region=subdistrict, unit_id__in=unit_ids
    ).filter(
        Q(period="") | Q(period=parsed.code),
        Q(valid_from__isnull=True) | Q(valid_from__lte=parsed.end),
        Q(valid_to__isnull=True) | Q(valid_to__gte=parsed.start),
    )
    if not ReportingDuty.objects.filter(
        year=parsed.year, region=subdistrict, unit_id__in=unit_ids
    ).exists():
        return None
    return set(
        ReportingDuty.supporting_items.through.objects.filter(reportingduty__in=found).values_list(
            "supportingitem_id", flat=True
        )
    )


def entry_items(
    *, units: list[ReportingUnit], year: int, subdistrict: Region, period: str
) -> list[SupportingItem]:
    """The items the user's units answer for: a kecamatan office (or a user without a unit)
    all of them; a sector unit those of its duties, else those of its sector."""
    items = year_items(year)
    if not units or any(u.kind == UnitKind.SUBDISTRICT_OFFICE for u in units):
        return items
    assigned = unit_item_ids(unit_ids=[u.pk for u in units], subdistrict=subdistrict, period=period)
    if assigned is not None:
        return [i for i in items if i.pk in assigned]
    sectors = {u.sector for u in units}
    return [i for i in items if i.sector in sectors]


@dataclass
class SupportingRow:
    region: Region
    cells: list[tuple[SupportingItem, SupportingValue | None]]


def supporting_grid(
    *, subdistrict: Region, items: Iterable[SupportingItem], period: str
) -> tuple[list[SupportingRow], SupportingRow | None]:
    """Rows per desa for the village items and one row for the kecamatan's own items, in two
    queries."""
    items = list(items)
    village_items = [i for i in items if i.entry_level == SupportingItem.EntryLevel.VILLAGE]
    own_items = [i for i in items if i.entry_level == SupportingItem.EntryLevel.SUBDISTRICT]
    villages = list(active_regions().filter(parent=subdistrict).order_by("code"))
    stored = SupportingValue.objects.filter(
        Q(region__in=villages) | Q(region=subdistrict), period=period, item__in=items
    ).select_related("updated_by")
    by_key = {(v.region_id, v.item_id): v for v in stored}
    rows = [
        SupportingRow(v, [(i, by_key.get((v.code, i.pk))) for i in village_items]) for v in villages
    ]
    own = (
        SupportingRow(subdistrict, [(i, by_key.get((subdistrict.code, i.pk))) for i in own_items])
        if own_items
        else None
    )
    return (rows if village_items else []), own


@dataclass
class HistoryRow:
    item: SupportingItem
    value: SupportingValue | None
    changes: list[SupportingValueChange]


def region_history(*, region: Region, items: list[SupportingItem], period: str) -> list[HistoryRow]:
    """Each item's value in a region with its changes, newest first, in two queries."""
    values = {
        v.item_id: v
        for v in SupportingValue.objects.filter(
            region=region, period=period, item__in=items
        ).select_related("updated_by")
    }
    changes: dict[int, list[SupportingValueChange]] = {}
    for change in SupportingValueChange.objects.filter(value__in=values.values()).select_related(
        "actor"
    ):
        changes.setdefault(change.value_id, []).append(change)
    return [
        HistoryRow(
            item,
            values.get(item.pk),
            changes.get(values[item.pk].pk, []) if item.pk in values else [],
        )
        for item in items
    ]


def completeness(
    *, subdistrict: Region, items: Iterable[SupportingItem], period: str
) -> tuple[int, int]:
    """(filled, expected) supporting values of a kecamatan for the given items."""
    items = list(items)
    village_ids = [i.pk for i in items if i.entry_level == SupportingItem.EntryLevel.VILLAGE]
    own_ids = [i.pk for i in items if i.entry_level == SupportingItem.EntryLevel.SUBDISTRICT]
    filled = SupportingValue.objects.filter(
        Q(region__parent=subdistrict, region__valid_to__isnull=True, item_id__in=village_ids)
        | Q(region=subdistrict, item_id__in=own_ids),
        period=period,
        value__isnull=False,
    ).count()
    return filled, subdistrict.village_count * len(village_ids) + len(own_ids)


# --- bulk (the Excel upload) ----------------------------------------------------------------


@dataclass(frozen=True)
class SupportingCell:
    """What a sheet holds for one region × item; `error` says why it is not a value."""

    region_code: str
    item_id: int
    value: int | None
    error: str = ""


NEW_COLUMNS = (
    "item_id",
    "region_id",
    "period",
    "value",
    "note",
    "origin",
    "version",
    "updated_by_id",
    "updated_at",
)


def _version_key(region_code: str, item_id: int) -> str:
    return f"dp|{region_code}|{item_id}"


def supporting_values_import(
    *,
    actor: Any,
    subdistrict: Region,
    period: str,
    cells: list[SupportingCell],
    apply: bool,
    report: ImportReport,
    expected_versions: dict[str, int] | None = None,
) -> ImportReport:
    """Classify every cell into `report` (new, changed, unchanged, invalid); with `apply` and
    no invalid cell in the whole report, write them. Run it in the transaction of the coverage
    import so an upload is saved whole or not at all. A value saved by someone else since the
    preview (`expected_versions`) raises ImportConflict."""
    from aksi.reporting.services import assert_may_enter

    assert_may_enter(actor=actor, region=subdistrict)
    locked: dict[str, str] = {}
    if subdistrict.level == Level.DISTRICT:
        # A kab/kota's file: every desa and kecamatan; a submitted kecamatan's cells may only
        # repeat what is saved.
        regions = {
            r.code: r
            for r in active_regions().filter(
                district_code=subdistrict.code, level__in=[Level.VILLAGE, Level.SUBDISTRICT]
            )
        }
        locked = review_locks.locked_regions(
            codes=sorted(c for c, r in regions.items() if r.level == Level.SUBDISTRICT),
            period=period,
        )
    else:
        review_locks.assert_values_editable(region=subdistrict, period=period)
        regions = {
            r.code: r
            for r in active_regions().filter(Q(parent=subdistrict) | Q(code=subdistrict.code))
        }
    items = {
        i.pk: i
        for i in SupportingItem.objects.filter(pk__in={c.item_id for c in cells}).select_related(
            "catalogue"
        )
    }
    stored = SupportingValue.objects.filter(
        region_id__in=list(regions), period=period, item_id__in=list(items)
    )
    if apply:
        stored = stored.select_for_update()
    existing = {(v.region_id, v.item_id): v for v in stored}
    add = report.outcomes.append
    writes: list[SupportingWrite] = []
    seen: set[tuple[str, int]] = set()
    for cell in cells:
        region = regions.get(cell.region_code)
        item = items.get(cell.item_id)
        code = item.code if item else str(cell.item_id)
        name = region.name if region else ""
        if region is None:
            add(
                CellOutcome(
                    cell.region_code,
                    name,
                    code,
                    "",
                    INVALID,
                    reason=_("%(code)s is not %(kecamatan)s or one of its villages.")
                    % {"code": cell.region_code, "kecamatan": subdistrict.name},
                )
            )
            continue
        if item is None:
            add(CellOutcome(region.code, name, code, "", INVALID, reason=_("Unknown item.")))
            continue
        if (region.code, item.pk) in seen:
            add(
                CellOutcome(
                    region.code, name, code, "", INVALID, reason=_("The row appears twice.")
                )
            )
            continue
        seen.add((region.code, item.pk))
        if cell.error:
            add(CellOutcome(region.code, name, code, "", INVALID, reason=cell.error))
            continue
        try:
            _validate(item=item, region=region, period=period, value=cell.value)
        except ValidationError as error:
            add(CellOutcome(region.code, name, code, "", INVALID, reason=" ".join(error.messages)))
            continue
        current = existing.get((region.code, item.pk))
        key = _version_key(region.code, item.pk)
        version = current.version if current else 0
        if expected_versions is not None and expected_versions.get(key, 0) != version:
            raise ImportConflict(
                _("%(region)s %(code)s was saved by someone else after your preview.")
                % {"region": name, "code": code}
            )
        report.versions[key] = version
        old = current.value if current else None
        assert cell.value is not None  # blank cells are not read
        if old == cell.value:
            add(CellOutcome(region.code, name, code, "", UNCHANGED, old, cell.value))
            continue
        kecamatan = region.code if region.level == Level.SUBDISTRICT else region.parent_id
        if kecamatan in locked:
            add(CellOutcome(region.code, name, code, "", INVALID, reason=locked[kecamatan]))
            continue
        add(
            CellOutcome(
                region.code, name, code, "", NEW if old is None else CHANGED, old, cell.value
            )
        )
        note = current.note if current else ""
        writes.append(SupportingWrite(item.pk, region.code, period, cell.value, note, current))
    if not apply or not report.is_valid:
        return report
    _write(actor=actor, writes=writes, via=Origin.IMPORTED)
    report.written += len(writes)
    return report


@dataclass(frozen=True)
class SupportingWrite:
    """A checked value to store: new (`current` None) or a change of the stored row."""

    item_id: int
    region_code: str
    period: str
    value: int | None
    note: str
    current: SupportingValue | None


def _write(*, actor: Any, writes: list[SupportingWrite], via: str) -> None:
    """Checked values in a few statements (a kabupaten file holds thousands): new values,
    changed values, one history row each. The stored rows are already locked."""
    now = timezone.now()
    new = {(w.region_code, w.item_id, w.period): w for w in writes if w.current is None}
    history: list[tuple[int, int | None, int | None, str]] = []
    if new:
        try:
            with transaction.atomic(), connection.wrap_database_errors:
                insert_rows(
                    SupportingValue,
                    NEW_COLUMNS,
                    (
                        (w.item_id, w.region_code, w.period, w.value, w.note, via, 1, actor.pk, now)
                        for w in new.values()
                    ),
                )
        except IntegrityError:
            raise ImportConflict(
                _("Someone else saved values of this kecamatan meanwhile.")
            ) from None
        created = SupportingValue.objects.filter(
            period__in={w.period for w in new.values()},
            region_id__in={w.region_code for w in new.values()},
            item_id__in={w.item_id for w in new.values()},
        ).values_list("pk", "region_id", "item_id", "period")
        for pk, region_id, item_id, period in created:
            w = new.get((region_id, item_id, period))
            if w is not None:
                history.append((pk, None, w.value, w.note))
    changed = [w for w in writes if w.current is not None]
    update_rows(
        SupportingValue,
        ["value", "note", "origin", "version", "updated_by_id", "updated_at"],
        (
            (w.value, w.note, via, w.current.version + 1, actor.pk, now, w.current.pk)
            for w in changed
            if w.current is not None
        ),
    )
    history += [(w.current.pk, w.current.value, w.value, w.note) for w in changed if w.current]
    insert_rows(
        SupportingValueChange,
        ["value_id", "changed_at", "actor_id", "via", "old_value", "new_value", "note"],
        ((pk, now, actor.pk, via, old, value, note) for pk, old, value, note in history),
    )


# --- the DHIS2 exchange -----------------------------------------------------------------------

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
