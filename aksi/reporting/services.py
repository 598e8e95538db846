"""Every write of reportable data: validated, scoped, audited value by value."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from aksi.accounts.scopes import entry_scope
from aksi.analytics.services import Contribution, rollups_apply
from aksi.catalogue.models import Indicator
from aksi.lib.periods import PeriodError, parse_period
from aksi.regions.models import Region
from aksi.reporting.checks import outlier_warnings
from aksi.reporting.models import CoverageValue, CoverageValueChange, Origin, ValueStatus
from aksi.review import locks as review_locks

# Denominators that are projections, not a count of the very people served: coverage above 100%
# happens with them and is stored and flagged, never capped. Against a register (cases found,
# families listed, desa counted) a numerator above the denominator is an entry error.
ESTIMATED_DENOMINATORS = frozenset(
    {Indicator.DenominatorSource.PROGRAM_ESTIMATE, Indicator.DenominatorSource.DUKCAPIL}
)


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
    if status not in ValueStatus.values:
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
) -> SaveResult:
    """Save one cell pair. `expected_version` is the version the user saw (None: a new value).

    A value saved by someone else in between raises ConflictError carrying their value, so
    nothing is silently overwritten.
    """
    if not entry_scope(actor).covers(region.code):
        raise PermissionDenied(
            _("%(region)s is outside the regions you enter data for.") % {"region": region.name}
        )
    review_locks.assert_values_editable(region=region, period=period)
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
                    denominator_source=indicator.denominator_source,
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
    return SaveResult(value=current, changed=True, warnings=warnings)
