"""One supporting value: parsing what was typed, checking it, saving it with its history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from aksi.catalogue.models import SupportingItem
from aksi.lib.numbers import NumberError, parse_count
from aksi.lib.periods import PeriodError, parse_period
from aksi.regions.models import Level, Region
from aksi.reporting.models import Origin, SupportingValue, SupportingValueChange
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
