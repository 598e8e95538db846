"""Bulk writes of target-group counts (data sasaran): a Dukcapil file, a CSV upload, the API.

Rows arrive already parsed (region code, target-group code, period, count). Every row is
checked as `target_group_count_save` checks one count; any bad row means nothing is written,
and each bad row is named with its line and reason. `dry_run` checks without writing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aksi.accounts.rules import is_central_admin
from aksi.accounts.scopes import entry_scope
from aksi.catalogue.models import TargetGroup
from aksi.core.bulk import insert_rows, update_rows
from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record
from aksi.lib.periods import PeriodError, parse_period
from aksi.regions.models import Level, Region
from aksi.regions.sources import normalize_code
from aksi.reporting import entry_switch
from aksi.reporting.models import CountSource, Origin, TargetGroupCount, TargetGroupCountChange
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
    scope = entry_scope(actor)
    national = bool(is_central_admin(actor))
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
            fail(
                row,
                _("The data of %(region)s for %(period)s are submitted or verified and locked.")
                % {"region": region.parent_id, "period": period},
            )
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
    now = timezone.now()
    to_create: list[TargetGroupCount] = []
    to_update: list[TargetGroupCount] = []
    history: list[tuple[TargetGroupCount, int | None, str]] = []
    for row, region, group, period in accepted:
        current = existing.get((region.code, group.pk, period))
        if current is None:
            report.new += 1
            value = TargetGroupCount(
                target_group_id=group.pk,
                region_id=region.code,
                period=period,
                count=row.count,
                source=source,
                origin=via,
                updated_by_id=getattr(actor, "pk", None),
            )
            to_create.append(value)
            history.append((value, None, ""))
        elif (current.count, current.source) == (row.count, source):
            report.unchanged += 1
        else:
            report.changed += 1
            history.append((current, current.count, current.source))
            current.count, current.source, current.origin = row.count, source, via
            current.updated_by_id = getattr(actor, "pk", None)
            current.version += 1
            current.updated_at = now
            to_update.append(current)
    if dry_run or not report.is_valid:
        return report
    try:
        with transaction.atomic():
            TargetGroupCount.objects.bulk_create(to_create, batch_size=BATCH)
    except IntegrityError:
        report.errors.append(
            RowError(0, "", "", "", _("Someone else saved counts meanwhile; check again."))
        )
        report.new = report.changed = report.unchanged = 0
        transaction.set_rollback(True)
        return report
    if to_create and to_create[0].pk is None:
        # Backends that do not return ids from a bulk insert: read them back.
        ids = {
            (c.region_id, c.target_group_id, c.period): c.pk
            for c in TargetGroupCount.objects.filter(
                region_id__in={v.region_id for v in to_create},
                period__in={v.period for v in to_create},
            )
        }
        for value in to_create:
            value.pk = ids[(value.region_id, value.target_group_id, value.period)]
    columns = ["count", "source", "origin", "updated_by_id", "version", "updated_at"]
    update_rows(
        TargetGroupCount,
        columns,
        (tuple(getattr(v, c) for c in columns) + (v.pk,) for v in to_update),
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
