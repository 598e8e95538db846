"""Who reports what: reporting duties generated from the catalogue and a region's units.

The services here write duties (generate, edit); `expected_indicator_ids` reads them for
completeness (aksi.review.measures). A kecamatan without any duty for the year falls back to
"every desa × every village-level indicator", as before duties existed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from aksi.accounts.rules import manages_region
from aksi.catalogue.models import Indicator, ReportingYear, Step, SupportingItem, TargetGroup
from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record
from aksi.lib.periods import Period, parse_period
from aksi.regions.models import Level, Region
from aksi.regions.selectors import active_regions
from aksi.reporting.models import ReportingDuty, ReportingUnit, UnitKind

COVERAGE_STEP_CODE = "1"  # Analisis Situasi: coverage and target groups per desa
DUTIES_GENERATED = AuditEventType.DUTIES_GENERATED
DUTY_CHANGED = AuditEventType.DUTY_CHANGED


def coverage_step(year: int) -> Step | None:
    return Step.objects.filter(framework__years__year=year, code=COVERAGE_STEP_CODE).first()


def _check_admin(actor: Any, district: Region) -> None:
    # No actor: a management command run by the operator of the server.
    if actor is not None and not manages_region(actor, district):
        raise PermissionDenied(_("You do not administer %(region)s.") % {"region": district.name})


def _span(unit: ReportingUnit | None, year: int) -> tuple[datetime.date, datetime.date] | None:
    """The part of the year the unit is open: None when it is closed all year."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if unit is not None:
        if unit.active_from and unit.active_from > start:
            start = unit.active_from
        if unit.active_to and unit.active_to < end:
            end = unit.active_to
    return (start, end) if start <= end else None


class _Wanted(NamedTuple):
    indicators: list[Indicator]
    target_groups: list[TargetGroup]
    supporting_items: list[SupportingItem]
    span: tuple[datetime.date, datetime.date]


@dataclass
class GenerateSummary:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    kept_edited: int = 0

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.deleted} removed, "
            f"{self.kept_edited} edited by an admin kept"
        )


@transaction.atomic
def reporting_duties_generate(*, actor: Any, district: Region, year: int) -> GenerateSummary:
    """Duties of every kecamatan of a kab/kota for the year's coverage step.

    Sector units (puskesmas, PLKB, OPD of the kab/kota) report the village-level indicators and
    the supporting items of their sector for the kecamatan they serve, while they are open; the
    kecamatan itself (its office or operators) reports the target groups and every indicator and
    item no unit carries.
    Duties an admin edited are left as they are; re-running changes nothing else.
    """
    if district.level != Level.DISTRICT:
        raise ValidationError(_("Choose a regency or city."))
    _check_admin(actor, district)
    step = coverage_step(year)
    if step is None:
        raise ValidationError(_("No reporting year %(year)s is set up.") % {"year": year})
    indicators = list(
        Indicator.objects.filter(
            catalogue__years__year=year, entry_level=Indicator.EntryLevel.VILLAGE
        ).order_by("order")
    )
    groups = list(
        TargetGroup.objects.filter(
            pk__in={i.target_group_id for i in indicators if not i.is_binary}
        )
    )
    items = list(SupportingItem.objects.filter(catalogue__years__year=year).order_by("order"))
    subdistricts = list(active_regions().filter(parent=district, level=Level.SUBDISTRICT))
    units = list(
        ReportingUnit.objects.filter(
            Q(region=district)
            | Q(region__parent=district)
            | Q(served_regions__parent=district)
            | Q(served_regions__parent__parent=district)
        )
        .exclude(kind__in=[UnitKind.SUBDISTRICT_OFFICE, UnitKind.VILLAGE_OFFICE])
        .distinct()
        .prefetch_related("served_regions")
    )

    def serves(unit: ReportingUnit, kec: Region) -> bool:
        if unit.region_id == district.code:
            return True  # a kab/kota OPD covers every kecamatan
        served = {r.code for r in unit.served_regions.all()}
        return unit.region_id == kec.code or any(
            code == kec.code or code.startswith(f"{kec.code}.") for code in served
        )

    wanted: dict[tuple[str, int | None], _Wanted] = {}
    year_span = _span(None, year)
    assert year_span is not None
    for kec in subdistricts:
        carried: set[int] = set()
        carried_items: set[int] = set()
        for unit in units:
            span = _span(unit, year)
            if span is None or not serves(unit, kec):
                continue
            own = [i for i in indicators if unit.sector in i.sectors]
            own_items = [i for i in items if i.sector == unit.sector]
            if own or own_items:
                wanted[(kec.code, unit.pk)] = _Wanted(own, [], own_items, span)
                carried |= {i.pk for i in own}
                carried_items |= {i.pk for i in own_items}
        rest = [i for i in indicators if i.pk not in carried]
        rest_items = [i for i in items if i.pk not in carried_items]
        wanted[(kec.code, None)] = _Wanted(rest, groups, rest_items, year_span)

    summary = GenerateSummary()
    existing = {
        (d.region_id, d.unit_id): d
        for d in ReportingDuty.objects.filter(
            year=year, step=step, period="", region__parent=district
        )
    }
    for key, duty in existing.items():
        if duty.origin == ReportingDuty.Origin.EDITED:
            summary.kept_edited += 1
        elif key not in wanted:
            duty.delete()
            summary.deleted += 1
    for (kec_code, unit_id), want in wanted.items():
        own, own_groups, own_items, (start, end) = want
        duty = existing.get((kec_code, unit_id))
        if duty is not None and duty.origin == ReportingDuty.Origin.EDITED:
            continue
        if duty is None:
            duty = ReportingDuty.objects.create(
                year=year,
                step=step,
                region_id=kec_code,
                unit_id=unit_id,
                valid_from=start,
                valid_to=end,
                updated_by=actor,
            )
            summary.created += 1
        else:
            changed = (duty.valid_from, duty.valid_to) != (start, end)
            changed |= {i.pk for i in duty.indicators.all()} != {i.pk for i in own}
            changed |= {g.pk for g in duty.target_groups.all()} != {g.pk for g in own_groups}
            changed |= {i.pk for i in duty.supporting_items.all()} != {i.pk for i in own_items}
            if not changed:
                continue
            duty.valid_from, duty.valid_to, duty.updated_by = start, end, actor
            duty.save()
            summary.updated += 1
        duty.indicators.set(own)
        duty.target_groups.set(own_groups)
        duty.supporting_items.set(own_items)
    if summary.created or summary.updated or summary.deleted:
        audit_event_record(
            event_type=DUTIES_GENERATED,
            actor=actor,
            actor_label="" if actor is not None else "aksi reporting_duties",
            target=district,
            region_code=district.code,
            data={"year": year, "summary": str(summary)},
        )
    return summary


@transaction.atomic
def reporting_duty_update(
    *,
    actor: Any,
    duty: ReportingDuty,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
    indicators: Iterable[Indicator],
    target_groups: Iterable[TargetGroup],
    supporting_items: Iterable[SupportingItem] | None = None,
) -> ReportingDuty:
    """An admin's change of one duty; regeneration keeps it from then on."""
    duty = ReportingDuty.objects.select_for_update().select_related("region").get(pk=duty.pk)
    district = Region.objects.get(code=duty.region.code[:5])
    _check_admin(actor, district)
    if valid_from and valid_to and valid_from > valid_to:
        raise ValidationError({"valid_to": _("The end is before the start.")})
    indicators, target_groups = list(indicators), list(target_groups)
    items = list(duty.supporting_items.all() if supporting_items is None else supporting_items)
    catalogue_id = (
        ReportingYear.objects.filter(year=duty.year).values_list("catalogue_id", flat=True).first()
    )
    wrong = [i.code for i in [*indicators, *items] if i.catalogue_id != catalogue_id]
    if wrong:
        raise ValidationError(
            {
                "indicators": _("Not in the catalogue of %(year)s: %(codes)s.")
                % {"year": duty.year, "codes": ", ".join(wrong)}
            }
        )
    before = {
        "valid_from": str(duty.valid_from or ""),
        "valid_to": str(duty.valid_to or ""),
        "indicators": sorted(duty.indicators.values_list("code", flat=True)),
        "target_groups": sorted(duty.target_groups.values_list("code", flat=True)),
        "supporting_items": sorted(duty.supporting_items.values_list("code", flat=True)),
    }
    duty.valid_from, duty.valid_to = valid_from, valid_to
    duty.origin, duty.updated_by = ReportingDuty.Origin.EDITED, actor
    duty.save()
    duty.indicators.set(indicators)
    duty.target_groups.set(target_groups)
    duty.supporting_items.set(items)

    audit_event_record(
        event_type=DUTY_CHANGED,
        actor=actor,
        target=duty,
        region_code=duty.region_id,
        data={
            "before": before,
            "after": {
                "valid_from": str(valid_from or ""),
                "valid_to": str(valid_to or ""),
                "indicators": sorted(i.code for i in indicators),
                "target_groups": sorted(g.code for g in target_groups),
                "supporting_items": sorted(i.code for i in items),
            },
        },
    )
    return duty


def expected_indicator_ids(
    *, subdistrict_codes: Iterable[str], period: str
) -> dict[str, set[int] | None]:
    """Per kecamatan, the indicators its duties expect for every desa in the period.

    None for a kecamatan without any duty in the year (the caller falls back to the whole
    catalogue); an empty set when duties exist but none is open in the period. Two queries.
    """
    parsed = parse_period(period)
    codes = list(subdistrict_codes)
    with_duties = set(
        ReportingDuty.objects.filter(year=parsed.year, region_id__in=codes)
        .values_list("region_id", flat=True)
        .distinct()
    )
    result: dict[str, set[int] | None] = {
        code: (set() if code in with_duties else None) for code in codes
    }
    rows = (
        ReportingDuty.indicators.through.objects.filter(
            _open_in_through(parsed),
            reportingduty__year=parsed.year,
            reportingduty__region_id__in=list(with_duties),
            indicator__entry_level=Indicator.EntryLevel.VILLAGE,
        )
        .values_list("reportingduty__region_id", "indicator_id")
        .distinct()
    )
    for region_id, indicator_id in rows:
        ids = result[region_id]
        assert ids is not None
        ids.add(indicator_id)
    return result


def _open_in_through(period: Period) -> Q:
    prefix = "reportingduty__"
    return (
        (Q(**{f"{prefix}period": ""}) | Q(**{f"{prefix}period": period.code}))
        & (
            Q(**{f"{prefix}valid_from__isnull": True})
            | Q(**{f"{prefix}valid_from__lte": period.end})
        )
        & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": period.start}))
    )


def district_duties(*, district: Region, year: int) -> list[ReportingDuty]:
    """Every duty of a kab/kota's kecamatan in a year, for the setup page (three queries)."""
    return list(
        ReportingDuty.objects.filter(year=year, region__parent=district)
        .select_related("region", "unit")
        .prefetch_related("indicators", "target_groups", "supporting_items")
        .order_by("region_id", "unit__name")
    )


def unit_indicator_ids(*, unit_ids: list[int], subdistrict: Region, period: str) -> set[int] | None:
    """Indicators the units' duties in a kecamatan expect in the period; None without any
    duty of theirs there in the year (the caller falls back to the units' sectors)."""
    parsed = parse_period(period)
    rows = list(
        ReportingDuty.indicators.through.objects.filter(
            reportingduty__year=parsed.year,
            reportingduty__region=subdistrict,
            reportingduty__unit_id__in=unit_ids,
        ).values_list(
            "indicator_id",
            "reportingduty__valid_from",
            "reportingduty__valid_to",
            "reportingduty__period",
        )
    )
    if (
        not rows
        and not (
            ReportingDuty.objects.filter(year=parsed.year, region=subdistrict, unit_id__in=unit_ids)
        ).exists()
    ):
        return None
    return {
        indicator_id
        for indicator_id, start, end, duty_period in rows
        if (not duty_period or duty_period == parsed.code)
        and (start is None or start <= parsed.end)
        and (end is None or end >= parsed.start)
    }
