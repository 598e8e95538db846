"""The supporting values of an Excel upload: classified, then written in a few statements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from aksi.catalogue.models import SupportingItem
from aksi.core.bulk import insert_rows, update_rows
from aksi.regions.models import Level, Region
from aksi.regions.selectors import active_regions
from aksi.reporting.imports import (
    CHANGED,
    INVALID,
    NEW,
    UNCHANGED,
    CellOutcome,
    ImportConflict,
    ImportReport,
)
from aksi.reporting.models import Origin, SupportingValue, SupportingValueChange
from aksi.reporting.supporting.values import _validate
from aksi.review import locks as review_locks


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
