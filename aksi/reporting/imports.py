"""Bulk writes of coverage values (the Excel upload): validated like one save, all or nothing."""

from __future__ import annotations

import importlib
import importlib.util
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from aksi.accounts.scopes import entry_scope
from aksi.analytics.services import Contribution, rollups_apply
from aksi.catalogue.models import Indicator
from aksi.core.bulk import insert_rows, update_rows
from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record
from aksi.regions.models import Level, Region
from aksi.regions.selectors import active_regions
from aksi.reporting import entry_switch
from aksi.reporting.history import HISTORY_COLUMNS
from aksi.reporting.models import CoverageValue, CoverageValueChange, Origin, ValueStatus
from aksi.reporting.services import _validate

NEW, CHANGED, UNCHANGED, INVALID = "new", "changed", "unchanged", "invalid"
NEW_VALUE_COLUMNS = (
    "indicator_id",
    "region_id",
    "period",
    "numerator",
    "denominator",
    "status",
    "origin",
    "denominator_source",
    "note",
    "version",
    "updated_by_id",
    "updated_at",
)
KINDS = (NEW, CHANGED, UNCHANGED, INVALID)
BATCH = 500


@dataclass(frozen=True)
class CellPair:
    """What a sheet holds for one desa × indicator; a blank side (None) keeps the saved number."""

    region_code: str
    indicator_id: int
    numerator: int | None
    denominator: int | None
    numerator_error: str = ""  # why the cell is not a count (read from the sheet)
    denominator_error: str = ""


@dataclass(frozen=True)
class CellOutcome:
    region_code: str
    region_name: str
    indicator_code: str
    side: str  # "numerator" | "denominator" | "" (the pair, or the row)
    kind: str
    old: int | None = None
    new: int | None = None
    reason: str = ""


@dataclass
class ImportReport:
    outcomes: list[CellOutcome] = field(default_factory=list)
    applied: bool = False
    written: int = 0  # values created or updated
    versions: dict[str, int] = field(default_factory=dict)  # "desa|indicator id" → version seen

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(outcome.kind for outcome in self.outcomes)
        return {kind: found.get(kind, 0) for kind in KINDS}

    @property
    def listed(self) -> list[CellOutcome]:
        """The cells a preview shows one by one: invalid first, then new and changed."""
        order = {INVALID: 0, NEW: 1, CHANGED: 2}
        shown = [outcome for outcome in self.outcomes if outcome.kind in order]
        return sorted(shown, key=lambda outcome: order[outcome.kind])

    @property
    def is_valid(self) -> bool:
        return not any(outcome.kind == INVALID for outcome in self.outcomes)


class ImportConflict(Exception):
    """A value changed between the preview and the apply; nothing was written."""


def _version_key(region_code: str, indicator_id: int) -> str:
    return f"{region_code}|{indicator_id}"


def _assert_editable(*, subdistrict_codes: set[str], period: str) -> None:
    # The review app locks a kecamatan's values once its report is submitted or verified.
    if importlib.util.find_spec("aksi.review.locks") is None:
        return
    locks = importlib.import_module("aksi.review.locks")
    for region in Region.objects.filter(code__in=subdistrict_codes):
        locks.assert_values_editable(region=region, period=period)


def coverage_values_import(
    *,
    actor: Any,
    subdistrict: Region,
    period: str,
    cells: list[CellPair],
    apply: bool,
    expected_versions: dict[str, int] | None = None,
) -> ImportReport:
    """Classify every cell as new, changed, unchanged or invalid; with `apply`, write them all.

    The rules are those of `coverage_value_save` (entry scope, `_validate`), applied cell by
    cell. Nothing is written when any cell is invalid. `expected_versions` (the `versions` of
    the preview) makes a value saved by someone else since the preview raise ImportConflict.
    Re-applying the same cells writes nothing.
    """
    if not entry_scope(actor).covers(subdistrict.code):
        raise PermissionDenied(
            _("%(region)s is outside the regions you enter data for.")
            % {"region": subdistrict.name}
        )
    entry_switch.assert_entry_open(actor=actor, region=subdistrict)
    with transaction.atomic():
        return _import(
            actor=actor,
            subdistrict=subdistrict,
            period=period,
            cells=cells,
            apply=apply,
            expected_versions=expected_versions,
        )


class _Stored:
    """A stored value as the import needs it: plain attributes, no model instance."""

    __slots__ = ("denominator", "numerator", "pk", "status", "version")

    def __init__(self, pk: int, numerator: Any, denominator: Any, status: str, version: int):
        self.pk, self.numerator, self.denominator = pk, numerator, denominator
        self.status, self.version = status, version


def _import(
    *,
    actor: Any,
    subdistrict: Region,
    period: str,
    cells: list[CellPair],
    apply: bool,
    expected_versions: dict[str, int] | None,
) -> ImportReport:
    report = ImportReport()
    # A kecamatan's file, or a kab/kota's (its OPD enter for every kecamatan at once).
    whole_district = subdistrict.level == Level.DISTRICT
    area = Q(district_code=subdistrict.code) if whole_district else Q(parent=subdistrict)
    villages = {
        region.code: region for region in active_regions().filter(area, level=Level.VILLAGE)
    }
    indicator_ids = {cell.indicator_id for cell in cells}
    indicators = {
        indicator.pk: indicator
        for indicator in Indicator.objects.filter(pk__in=indicator_ids).select_related("catalogue")
    }
    # Also in the preview, so a locked report is named before anyone fills the apply button.
    # In a kab/kota's file, a submitted kecamatan's cells may only repeat what is saved.
    locked: dict[str, str] = {}
    if whole_district:
        from aksi.review.locks import locked_regions

        locked = locked_regions(
            codes=sorted({v.parent_id for v in villages.values()}), period=period
        )
    else:
        _assert_editable(subdistrict_codes={subdistrict.code}, period=period)
    existing_qs = CoverageValue.objects.filter(
        region_id__in=list(villages), period=period, indicator_id__in=list(indicators)
    )
    if apply:
        existing_qs = existing_qs.select_for_update()
    existing = {
        (region_id, indicator_id): _Stored(pk, numerator, denominator, status, version)
        for pk, region_id, indicator_id, numerator, denominator, status, version in (
            existing_qs.values_list(
                "pk",
                "region_id",
                "indicator_id",
                "numerator",
                "denominator",
                "status",
                "version",
            )
        )
    }

    # (desa, indicator) → (numerator, denominator, old numerator, old denominator, old status)
    to_create: dict[tuple[str, int], tuple[Any, ...]] = {}
    to_update: list[tuple[_Stored, tuple[Any, ...]]] = []
    seen: set[tuple[str, int]] = set()
    add = report.outcomes.append
    now = timezone.now()
    for cell in cells:
        village = villages.get(cell.region_code)
        indicator = indicators.get(cell.indicator_id)
        name = village.name if village else ""
        code = indicator.code if indicator else str(cell.indicator_id)
        if village is None:
            add(
                CellOutcome(
                    cell.region_code,
                    name,
                    code,
                    "",
                    INVALID,
                    reason=_("%(code)s is not a village of %(kecamatan)s.")
                    % {"code": cell.region_code, "kecamatan": subdistrict.name},
                )
            )
            continue
        if indicator is None:
            add(CellOutcome(village.code, name, code, "", INVALID, reason=_("Unknown indicator.")))
            continue
        key = (village.code, indicator.pk)
        if key in seen:
            add(
                CellOutcome(
                    village.code, name, code, "", INVALID, reason=_("The village appears twice.")
                )
            )
            continue
        seen.add(key)
        if cell.numerator_error or cell.denominator_error:
            for side, reason in (
                ("numerator", cell.numerator_error),
                ("denominator", cell.denominator_error),
            ):
                if reason:
                    add(CellOutcome(village.code, name, code, side, INVALID, reason=reason))
            continue
        if cell.numerator is None and cell.denominator is None:
            continue  # nothing typed: the saved value, if any, stays as it is
        current = existing.get(key)
        if expected_versions is not None:
            seen_version = expected_versions.get(_version_key(*key), 0)
            if (current.version if current else 0) != seen_version:
                raise ImportConflict(
                    _("%(village)s %(code)s was saved by someone else after your preview.")
                    % {"village": name, "code": code}
                )
        report.versions[_version_key(*key)] = current.version if current else 0
        old_num = current.numerator if current else None
        old_den = current.denominator if current else None
        keeps_status = current is not None and current.status == ValueStatus.VALUE
        numerator = cell.numerator if cell.numerator is not None else old_num
        denominator = cell.denominator if cell.denominator is not None else old_den
        try:
            numerator, denominator = _validate(
                indicator=indicator,
                region=village,
                period=period,
                numerator=numerator,
                denominator=denominator,
                status=ValueStatus.VALUE,
            )
        except ValidationError as error:
            side = next(iter(error.message_dict), "")
            add(
                CellOutcome(
                    village.code,
                    name,
                    code,
                    side if side in ("numerator", "denominator") else "",
                    INVALID,
                    reason=" ".join(error.messages),
                )
            )
            continue
        sides = []
        for side, old, new, typed in (
            ("numerator", old_num, numerator, cell.numerator),
            ("denominator", old_den, denominator, cell.denominator),
        ):
            if typed is None and old == new:
                continue  # a blank cell kept its saved number (or stayed empty)
            if old == new:
                kind = UNCHANGED if current else NEW
            else:
                kind = NEW if old is None else CHANGED
            sides.append(CellOutcome(village.code, name, code, side, kind, old, new))
        if village.parent_id in locked and any(o.kind != UNCHANGED for o in sides):
            reason = locked[village.parent_id or ""]
            add(CellOutcome(village.code, name, code, "", INVALID, reason=reason))
            continue
        report.outcomes.extend(sides)
        if current is None:
            to_create[key] = (numerator, denominator, indicator.denominator_source)
        elif (old_num, old_den) != (numerator, denominator) or not keeps_status:
            to_update.append((current, (numerator, denominator)))

    if not apply or not report.is_valid:
        return report
    history: list[tuple[int, int, str, tuple[Any, Any, str], tuple[Any, Any]]] = []
    if to_create:
        try:
            # COPY on PostgreSQL: a unique-key clash (someone saved the same cell meanwhile)
            # surfaces as Django's IntegrityError through the error wrapper.
            with transaction.atomic(), connection.wrap_database_errors:
                insert_rows(
                    CoverageValue,
                    NEW_VALUE_COLUMNS,
                    (
                        (
                            indicator_id,
                            region_id,
                            period,
                            numerator,
                            denominator,
                            ValueStatus.VALUE,
                            Origin.IMPORTED,
                            source,
                            "",
                            1,
                            actor.pk,
                            now,
                        )
                        for (region_id, indicator_id), (numerator, denominator, source) in (
                            to_create.items()
                        )
                    ),
                )
        except IntegrityError:
            raise ImportConflict(
                _("Someone else saved values of this kecamatan meanwhile.")
            ) from None
        created = CoverageValue.objects.filter(
            period=period,
            region_id__in={region_id for region_id, _i in to_create},
            indicator_id__in={indicator_id for _r, indicator_id in to_create},
        ).values_list("pk", "region_id", "indicator_id")
        for pk, region_id, indicator_id in created:
            pair = to_create.get((region_id, indicator_id))
            if pair is not None:
                history.append((pk, indicator_id, region_id, (None, None, ""), (pair[0], pair[1])))
    value_columns = [
        "numerator",
        "denominator",
        "status",
        "origin",
        "updated_by_id",
        "version",
        "updated_at",
    ]
    update_rows(
        CoverageValue,
        value_columns,
        (
            (
                numerator,
                denominator,
                ValueStatus.VALUE,
                Origin.IMPORTED,
                actor.pk,
                stored.version + 1,
                now,
                stored.pk,
            )
            for stored, (numerator, denominator) in to_update
        ),
    )
    stored_keys = {id(stored): key for key, stored in existing.items()}
    for stored, new in to_update:
        region_id, indicator_id = stored_keys[id(stored)]
        history.append(
            (
                stored.pk,
                indicator_id,
                region_id,
                (stored.numerator, stored.denominator, stored.status),
                new,
            )
        )
    # History rows in plain INSERTs (the ORM's per-object preparation dominated the import).
    insert_rows(
        CoverageValueChange,
        HISTORY_COLUMNS,
        (
            (pk, now, actor.pk, Origin.IMPORTED, *old, *new, ValueStatus.VALUE, "")
            for pk, _indicator, _region, old, new in history
        ),
    )
    # Dashboards read the rollups: they move in this transaction, each ancestor row once.
    rollups_apply(
        (
            indicator_id,
            region_id,
            period,
            Contribution.of(old[0], old[1], old[2] or ValueStatus.VALUE),
            Contribution.of(new[0], new[1], ValueStatus.VALUE),
        )
        for _pk, indicator_id, region_id, old, new in history
    )
    if history:
        audit_event_record(
            event_type=AuditEventType.VALUES_IMPORTED,
            actor=actor,
            target=subdistrict,
            region_code=subdistrict.code,
            data={"period": period, "values": len(history), "via": Origin.IMPORTED},
        )
    report.applied = True
    report.written = len(history)
    return report
