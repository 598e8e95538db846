"""Every write of reportable data: validated, scoped, audited value by value."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from aksi.accounts.rules import is_central_admin
from aksi.accounts.scopes import entry_scope
from aksi.analytics.services import Contribution, rollups_apply
from aksi.catalogue.models import Indicator, IndicatorCatalogue, TargetGroup
from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record
from aksi.lib.periods import PeriodError, parse_period
from aksi.regions.models import Level, Region
from aksi.reporting import denominators, entry_switch, validation
from aksi.reporting.checks import outlier_warnings
from aksi.reporting.models import (
    CountSource,
    CoverageValue,
    CoverageValueChange,
    Origin,
    TargetGroupCount,
    TargetGroupCountChange,
    ValidationRule,
    ValueStatus,
)
from aksi.review import locks as review_locks

# Denominators that are projections, not a count of the very people served: coverage above 100%
# happens with them and is stored and flagged, never capped. Against a register (cases found,
# families listed, desa counted) a numerator above the denominator is an entry error.
ESTIMATED_DENOMINATORS = frozenset(
    {Indicator.DenominatorSource.PROGRAM_ESTIMATE, Indicator.DenominatorSource.DUKCAPIL}
)


# `ValueStatus.values` builds a new list on every access; bulk paths validate thousands of pairs.
VALUE_STATUSES = frozenset(ValueStatus.values)


class CountConflictError(Exception):
    """Someone else saved the count since the form was opened; carries their count."""

    def __init__(self, current: TargetGroupCount) -> None:
        super().__init__("conflict")
        self.current = current


class ConflictError(Exception):
    """Someone else saved the value since the form was opened; carries their value."""

    def __init__(self, current: CoverageValue) -> None:
        super().__init__("conflict")
        self.current = current


@dataclass
class SaveResult:
    value: CoverageValue
    changed: bool
    warnings: list[str] = field(default_factory=list)


def _validate(
    *,
    indicator: Indicator,
    region: Region,
    period: str,
    numerator: int | None,
    denominator: int | None,
    status: str,
) -> tuple[int | None, int | None]:
    try:
        parsed = parse_period(period)
    except PeriodError as error:
        raise ValidationError({"period": str(error)}) from None
    if parsed.year != indicator.catalogue.year:
        raise ValidationError(
            {
                "period": _("%(period)s is not in the year of catalogue %(year)s.")
                % {"period": period, "year": indicator.catalogue.year}
            }
        )
    if region.level != indicator.entry_level:
        raise ValidationError(
            {
                "region": _("%(code)s is reported per %(level)s, not for %(region)s.")
                % {
                    "code": indicator.code,
                    "level": indicator.get_entry_level_display(),
                    "region": region.name,
                }
            }
        )
    if status not in VALUE_STATUSES:
        raise ValidationError({"status": _("Unknown status.")})
    if status != ValueStatus.VALUE:
        return None, None
    if indicator.is_binary:
        if numerator not in (None, 0, 1):
            raise ValidationError(
                {
                    "numerator": _("%(code)s is yes/no per village: enter 1 (yes) or 0 (no).")
                    % {"code": indicator.code}
                }
            )
        return numerator, None if numerator is None else 1
    for name, number in (("numerator", numerator), ("denominator", denominator)):
        if number is not None and number < 0:
            raise ValidationError({name: _("A count cannot be negative.")})
    over = numerator is not None and denominator is not None and numerator > denominator
    if over and indicator.denominator_source not in ESTIMATED_DENOMINATORS:
        raise ValidationError(
            {
                "numerator": _(
                    "The numerator (%(numerator)s) is larger than the denominator "
                    "(%(denominator)s)."
                )
                % {"numerator": numerator, "denominator": denominator}
            }
        )
    return numerator, denominator


@transaction.atomic
def coverage_value_save(
    *,
    actor: Any,
    indicator: Indicator,
    region: Region,
    period: str,
    numerator: int | None,
    denominator: int | None,
    status: str = ValueStatus.VALUE,
    note: str = "",
    expected_version: int | None = None,
    via: str = Origin.ENTERED,
    prefill_denominator: bool = False,
) -> SaveResult:
    """Save one cell pair. `expected_version` is the version the user saw (None: a new value).

    A value saved by someone else in between raises ConflictError carrying their value, so
    nothing is silently overwritten.

    With `prefill_denominator` (the entry grid), a numerator typed without a denominator takes
    the count of the indicator's target group in the desa, when loaded: the operator accepts
    the prefill by leaving the denominator empty.
    """
    assert_may_enter(actor=actor, region=region)
    review_locks.assert_values_editable(region=region, period=period)
    count = None
    if status == ValueStatus.VALUE and not indicator.is_binary:
        count = denominators.count_for(
            region_code=region.code, target_group_id=indicator.target_group_id, period=period
        )
    if prefill_denominator and count is not None and denominator is None and numerator is not None:
        denominator = count.count
    numerator, denominator = _validate(
        indicator=indicator,
        region=region,
        period=period,
        numerator=numerator,
        denominator=denominator,
        status=status,
    )
    current = (
        CoverageValue.objects.select_for_update()
        .filter(indicator=indicator, region=region, period=period)
        .first()
    )
    if current is not None and expected_version is not None and current.version != expected_version:
        raise ConflictError(current)
    if current is None and expected_version not in (None, 0):
        raise ConflictError(CoverageValue(indicator=indicator, region=region, period=period))
    # A denominator equal to the target-group count carries that count's source.
    takes_count = count is not None and denominator is not None and denominator == count.count
    if current is None:
        try:
            with transaction.atomic():
                current = CoverageValue.objects.create(
                    indicator=indicator,
                    region=region,
                    period=period,
                    numerator=numerator,
                    denominator=denominator,
                    status=status,
                    note=note,
                    origin=via,
                    denominator_source=(
                        denominators.denominator_source_of(count)
                        if takes_count and count is not None
                        else indicator.denominator_source
                    ),
                    updated_by=actor,
                )
        except IntegrityError:
            # Another save created it a moment ago.
            raise ConflictError(
                CoverageValue.objects.get(indicator=indicator, region=region, period=period)
            ) from None
        old = (None, None, "")
    else:
        old = (current.numerator, current.denominator, current.status)
        if old == (numerator, denominator, status) and current.note == note:
            return SaveResult(value=current, changed=False)
        current.numerator, current.denominator, current.status = numerator, denominator, status
        current.note, current.origin, current.updated_by = note, via, actor
        if count is not None and denominator is not None:
            # Taken from the count, or overridden (back to the catalogue's source; the reason
            # goes in the note).
            current.denominator_source = (
                denominators.denominator_source_of(count)
                if takes_count
                else indicator.denominator_source
            )
        current.version += 1
        current.save()
    CoverageValueChange.objects.create(
        value=current,
        actor=actor,
        via=via,
        old_numerator=old[0],
        old_denominator=old[1],
        old_status=old[2],
        new_numerator=numerator,
        new_denominator=denominator,
        new_status=status,
        note=note,
    )
    # Dashboards read the rollups: they move in the same transaction, so they are never stale.
    rollups_apply(
        [
            (
                indicator.pk,
                region.code,
                period,
                Contribution.of(old[0], old[1], old[2] or ValueStatus.VALUE),
                Contribution.of(numerator, denominator, status),
            )
        ]
    )
    warnings = []
    if current.coverage is not None and current.coverage > 100:
        warnings.append(_("Coverage above 100%: check the denominator (it is an estimate)."))
    warnings += outlier_warnings(current)
    if (
        count is not None
        and count.count is not None
        and denominator is not None
        and denominators.differs(denominator, count.count)
        and not current.note.strip()
    ):
        warnings.append(denominators.mismatch_message(denominator=denominator, count=count))
    return SaveResult(value=current, changed=True, warnings=warnings)


def assert_may_enter(*, actor: Any, region: Region) -> None:
    """Raise PermissionDenied unless the actor enters data for the region (entry scope)."""
    if not entry_scope(actor).covers(region.code):
        raise PermissionDenied(
            _("%(region)s is outside the regions you enter data for.") % {"region": region.name}
        )
    # The kab/kota's switch: kecamatan operators enter only once their kecamatan is on.
    entry_switch.assert_entry_open(actor=actor, region=region)


@dataclass
class CountSaveResult:
    value: TargetGroupCount
    changed: bool


def _validate_count(*, region: Region, period: str, count: int | None, source: str) -> str:
    try:
        code = parse_period(period).code
    except PeriodError as error:
        raise ValidationError({"period": str(error)}) from None
    if region.level != Level.VILLAGE:
        raise ValidationError(
            {
                "region": _("Target-group data are entered per village, not for %(region)s.")
                % {"region": region.name}
            }
        )
    if count is not None and count < 0:
        raise ValidationError({"count": _("A count cannot be negative.")})
    if source not in CountSource.values:
        raise ValidationError({"source": _("Unknown source.")})
    return code


@transaction.atomic
def target_group_count_save(
    *,
    actor: Any,
    target_group: TargetGroup,
    region: Region,
    period: str,
    count: int | None,
    source: str = CountSource.ENTERED,
    expected_version: int | None = None,
    via: str = Origin.ENTERED,
) -> CountSaveResult:
    """Save one target-group count of a desa, with its history; the rules of a cell save."""
    assert_may_enter(actor=actor, region=region)
    review_locks.assert_values_editable(region=region, period=period)
    period = _validate_count(region=region, period=period, count=count, source=source)
    current = (
        TargetGroupCount.objects.select_for_update()
        .filter(target_group=target_group, region=region, period=period)
        .first()
    )
    if current is not None and expected_version is not None and current.version != expected_version:
        raise CountConflictError(current)
    if current is None and expected_version not in (None, 0):
        raise CountConflictError(
            TargetGroupCount(target_group=target_group, region=region, period=period)
        )
    if current is None:
        if count is None:
            return CountSaveResult(
                value=TargetGroupCount(target_group=target_group, region=region, period=period),
                changed=False,
            )
        try:
            with transaction.atomic():
                current = TargetGroupCount.objects.create(
                    target_group=target_group,
                    region=region,
                    period=period,
                    count=count,
                    source=source,
                    origin=via,
                    updated_by=actor,
                )
        except IntegrityError:
            raise CountConflictError(
                TargetGroupCount.objects.get(
                    target_group=target_group, region=region, period=period
                )
            ) from None
        old: tuple[int | None, str] = (None, "")
    else:
        old = (current.count, current.source)
        if old == (count, source):
            return CountSaveResult(value=current, changed=False)
        current.count, current.source, current.origin = count, source, via
        current.updated_by = actor
        current.version += 1
        current.save()
    TargetGroupCountChange.objects.create(
        value=current,
        actor=actor,
        via=via,
        old_count=old[0],
        old_source=old[1],
        new_count=count,
        new_source=source,
    )
    return CountSaveResult(value=current, changed=True)


VALIDATION_RULE_SAVED = AuditEventType.VALIDATION_RULE_SAVED


@transaction.atomic
def validation_rule_save(
    *,
    actor: Any,
    catalogue: IndicatorCatalogue,
    code: str,
    left: str,
    operator: str,
    right: str,
    severity: str,
    message: str,
    is_active: bool = True,
    rule: ValidationRule | None = None,
) -> ValidationRule:
    """Create or change a validation rule of a catalogue version: central admins only."""
    if not is_central_admin(actor):
        raise PermissionDenied(_("Only a central admin changes validation rules."))
    validation.rule_clean(catalogue=catalogue, left=left, right=right, operator=operator)
    if severity not in ValidationRule.Severity.values:
        raise ValidationError({"severity": _("Unknown severity.")})
    clash = ValidationRule.objects.filter(catalogue=catalogue, code=code)
    if rule is not None:
        clash = clash.exclude(pk=rule.pk)
    if clash.exists():
        raise ValidationError(
            {
                "code": _("Catalogue %(year)s already has a rule %(code)s.")
                % {"year": catalogue.year, "code": code}
            }
        )
    before = (
        {
            "code": rule.code,
            "left": rule.left,
            "operator": rule.operator,
            "right": rule.right,
            "severity": rule.severity,
            "message": rule.message,
            "is_active": rule.is_active,
        }
        if rule is not None
        else None
    )
    rule = rule or ValidationRule(catalogue=catalogue)
    rule.code, rule.left, rule.operator, rule.right = code, left.strip(), operator, right.strip()
    rule.severity, rule.message, rule.is_active = severity, message.strip(), is_active
    rule.updated_by = actor
    rule.save()
    audit_event_record(
        event_type=VALIDATION_RULE_SAVED,
        actor=actor,
        target=rule,
        data={
            "catalogue": catalogue.year,
            "before": before,
            "after": {
                "code": rule.code,
                "left": rule.left,
                "operator": rule.operator,
                "right": rule.right,
                "severity": rule.severity,
                "message": rule.message,
                "is_active": rule.is_active,
            },
        },
    )
    return rule
