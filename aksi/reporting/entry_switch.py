"""Which kecamatan enter their own data: the kab/kota pilot switch (reads and its service).

In 2025 regions switched kecamatan-level entry on for a few kecamatan first, then for all.
Until a kecamatan's entry is on, the kab/kota OPD (users whose entry role sits at the kab/kota
or above) enter for it, and users whose entry role sits at the kecamatan (or a desa) only read.
Switching changes who may write, never a value.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from aksi.accounts.rules import manages_region
from aksi.accounts.scopes import ENTRY_ROLES, _assignments
from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record
from aksi.regions.models import Level, Region
from aksi.reporting.models import EntryMode, SubdistrictEntry

SUBDISTRICT_ENTRY_CHANGED = AuditEventType.SUBDISTRICT_ENTRY_CHANGED
DISTRICT_DEPTH = 2  # "35.19": a code with one dot


def default_mode() -> str:
    return str(getattr(settings, "AKSI_SUBDISTRICT_ENTRY_DEFAULT", EntryMode.ALL))


def open_subdistricts(codes: Iterable[str]) -> set[str]:
    """The kecamatan among `codes` whose own operators may enter, in two queries."""
    codes = set(codes)
    districts = {code[:5] for code in codes}
    settings_by_district = {
        s.district_id: s
        for s in SubdistrictEntry.objects.filter(district_id__in=districts).prefetch_related(
            "pilot_subdistricts"
        )
    }
    result = set()
    for code in codes:
        setting = settings_by_district.get(code[:5])
        mode = setting.mode if setting else default_mode()
        if mode == EntryMode.ALL or (
            mode == EntryMode.PILOT
            and setting is not None
            and any(r.code == code for r in setting.pilot_subdistricts.all())
        ):
            result.add(code)
    return result


def _enters_from_above(actor: Any, code: str) -> bool:
    """True when an entry role of the actor covers the kecamatan from the kab/kota or above."""
    for role, region, _unit in _assignments(actor):
        if role not in ENTRY_ROLES or not region:
            continue
        if region.count(".") + 1 <= DISTRICT_DEPTH and (
            code == region or code.startswith(f"{region}.")
        ):
            return True
    return False


def closed_subdistricts(*, actor: Any, codes: Iterable[str]) -> set[str]:
    """The kecamatan among `codes` the actor may not write for because of the switch."""
    codes = {c for c in codes if c}
    below = {c for c in codes if not _enters_from_above(actor, c)}
    if not below:
        return set()
    return below - open_subdistricts(below)


def subdistrict_code(region: Region) -> str:
    if region.level == Level.VILLAGE:
        return region.parent_id or ""
    if region.level == Level.SUBDISTRICT:
        return region.code
    return ""


def assert_entry_open(*, actor: Any, region: Region) -> None:
    """Raise PermissionDenied when the switch keeps the actor from writing for the region."""
    code = subdistrict_code(region)
    if code and closed_subdistricts(actor=actor, codes=[code]):
        raise PermissionDenied(
            _(
                "Subdistrict entry is not switched on for %(code)s yet: the regency/city OPD "
                "enter its data."
            )
            % {"code": code}
        )


def setting_get(district: Region) -> tuple[str, list[str]]:
    setting = SubdistrictEntry.objects.filter(district=district).first()
    if setting is None:
        return default_mode(), []
    return setting.mode, sorted(setting.pilot_subdistricts.values_list("code", flat=True))


@transaction.atomic
def subdistrict_entry_set(
    *, actor: Any, district: Region, mode: str, pilot_codes: Iterable[str] = ()
) -> SubdistrictEntry:
    """Switch kecamatan-level entry of a kab/kota: a regional admin of it, or the centre."""
    if district.level != Level.DISTRICT:
        raise ValidationError(_("Choose a regency or city."))
    if not manages_region(actor, district):
        raise PermissionDenied(_("You do not administer %(region)s.") % {"region": district.name})
    if mode not in EntryMode.values:
        raise ValidationError({"mode": _("Unknown mode.")})
    pilots = list(
        Region.objects.filter(
            code__in=set(pilot_codes), parent=district, level=Level.SUBDISTRICT
        ).order_by("code")
    )
    if mode == EntryMode.PILOT and not pilots:
        raise ValidationError({"pilot": _("Choose at least one pilot subdistrict.")})
    before = setting_get(district)
    setting, _created = SubdistrictEntry.objects.select_for_update().get_or_create(
        district=district, defaults={"mode": mode, "updated_by": actor}
    )
    setting.mode, setting.updated_by = mode, actor
    setting.save()
    setting.pilot_subdistricts.set(pilots if mode == EntryMode.PILOT else [])
    audit_event_record(
        event_type=SUBDISTRICT_ENTRY_CHANGED,
        actor=actor,
        target=district,
        region_code=district.code,
        data={
            "before": {"mode": before[0], "pilot": before[1]},
            "after": {"mode": mode, "pilot": [r.code for r in pilots]},
        },
    )
    return setting
