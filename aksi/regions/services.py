from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from aksi.core.bulk import insert_rows, update_rows
from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record
from aksi.regions import sources
from aksi.regions.models import DEPTH_LEVEL, Kind, Level, Region, RegionImport, TimeZone
from aksi.regions.sources import RegionSourceError, SourceRegion

# Share of active regions an import may retire before it is taken for a truncated source.
MAX_RETIRE_SHARE = 0.01

TIME_ZONES = {
    TimeZone.WITA: {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"},
    TimeZone.WIT: {"81", "82", "91", "92", "93", "94", "95", "96"},
    TimeZone.WIB_PONTIANAK: {"61", "62"},
}


def time_zone_for(province_code: str) -> str:
    for zone, provinces in TIME_ZONES.items():
        if province_code in provinces:
            return zone.value
    return TimeZone.WIB.value


def kind_for(code: str) -> str:
    parts = code.split(".")
    if len(parts) == 1:
        return Kind.PROVINCE
    if len(parts) == 2:
        return Kind.CITY if int(parts[1]) >= 71 else Kind.REGENCY
    if len(parts) == 3:
        return Kind.PAPUAN_SUBDISTRICT if int(parts[0]) >= 91 else Kind.SUBDISTRICT
    return {"1": Kind.URBAN_VILLAGE, "3": Kind.CUSTOMARY_VILLAGE}.get(parts[3][0], Kind.VILLAGE)


@dataclass
class ImportResult:
    source: str
    total: int = 0
    created: int = 0
    updated: int = 0
    retired: int = 0
    restored: int = 0
    unchanged: bool = False
    per_level: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        if self.unchanged:
            return f"Regions already up to date with {self.source} ({self.total:,} regions)."
        return (
            f"Imported {self.total:,} regions from {self.source}: {self.created:,} new, "
            f"{self.updated:,} changed, {self.retired:,} retired, {self.restored:,} restored."
        )


def _attributes(item: SourceRegion, source: str, counts: dict[str, Counter[int]]) -> dict[str, Any]:
    parts = item.code.split(".")
    depth = len(parts)
    own = counts[item.code]
    return {
        "code": item.code,
        "name": item.name,
        "level": DEPTH_LEVEL[depth].value,
        "kind": kind_for(item.code).value,
        "parent_id": item.parent_code or None,
        "province_code": parts[0],
        "district_code": ".".join(parts[:2]) if depth >= 2 else "",
        "subdistrict_code": ".".join(parts[:3]) if depth >= 3 else "",
        "time_zone": time_zone_for(parts[0]),
        "postal_code": item.postal_code or "",
        "bps_code": "",
        "district_count": own[2],
        "subdistrict_count": own[3],
        "village_count": own[4],
        "valid_from": None,
        "valid_to": None,
        "successor_id": None,
        "source": source[:200],
    }


def _descendant_counts(items: list[SourceRegion]) -> dict[str, Counter[int]]:
    counts: dict[str, Counter[int]] = _DefaultCounts()
    national: Counter[int] = Counter()
    for item in items:
        national[item.depth] += 1
        parts = item.code.split(".")
        for i in range(1, len(parts)):
            counts.setdefault(".".join(parts[:i]), Counter())[item.depth] += 1
    counts[""] = national
    return counts


class _DefaultCounts(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> Counter[int]:
        return Counter()


def _insert_regions(rows: list[dict[str, Any]]) -> None:
    columns = [f.column for f in Region._meta.concrete_fields]
    insert_rows(Region, columns, (tuple(row[c] for c in columns) for row in rows))


UPDATED_COLUMNS = [
    "name",
    "postal_code",
    "district_count",
    "subdistrict_count",
    "village_count",
    "valid_to",
    "source",
]


def _update_regions(rows: list[dict[str, Any]]) -> None:
    update_rows(
        Region,
        UPDATED_COLUMNS,
        (tuple(row[c] for c in UPDATED_COLUMNS) + (row["code"],) for row in rows),
        key="code",
    )


def regions_import(
    *, path: Path | None = None, allow_retire: bool = False, actor: Any = None
) -> ImportResult:
    """Bring the stored region tree in line with the source, in one transaction.

    New codes are added, changed names updated, codes absent from the source retired (valid_to
    set, never deleted, so values reported under them keep their region). A source that would
    retire more than 1% of the active regions is taken for a truncated file and refused unless
    `allow_retire` is given.
    """
    items, label = sources.load_from_csv(path) if path else sources.load_from_lokal()
    items = sources.validate(items)
    digest = sources.fingerprint(items)
    result = ImportResult(source=label, total=len(items))
    result.per_level = {DEPTH_LEVEL[d].value: n for d, n in Counter(i.depth for i in items).items()}
    last = RegionImport.objects.first()
    active = Region.objects.filter(valid_to__isnull=True)
    if last and last.fingerprint == digest and active.count() == len(items):
        result.unchanged = True
        return result

    counts = _descendant_counts(items)
    existing = {
        row[0]: row
        for row in Region.objects.values_list(
            "code",
            "name",
            "postal_code",
            "valid_to",
            "district_count",
            "subdistrict_count",
            "village_count",
        )
    }
    incoming = {item.code for item in items}
    to_create: list[dict[str, Any]] = []
    to_update: list[dict[str, Any]] = []
    for item in items:
        attrs = _attributes(item, label, counts)
        old = existing.get(item.code)
        if old is None:
            to_create.append(attrs)
            continue
        if item.postal_code is None:
            attrs["postal_code"] = old[2]
        was_retired = old[3] is not None
        renamed = (old[1], old[2]) != (attrs["name"], attrs["postal_code"])
        recounted = (old[4], old[5], old[6]) != (
            attrs["district_count"],
            attrs["subdistrict_count"],
            attrs["village_count"],
        )
        if not (was_retired or renamed or recounted):
            continue
        result.restored += was_retired
        result.updated += renamed and not was_retired
        to_update.append(attrs)
    retire = [code for code, row in existing.items() if code not in incoming and row[3] is None]
    active_count = sum(1 for row in existing.values() if row[3] is None)
    if active_count and len(retire) > active_count * MAX_RETIRE_SHARE and not allow_retire:
        raise RegionSourceError(
            f"The region list from {label} would retire {len(retire):,} of {active_count:,} "
            "active regions; it looks truncated, so nothing was changed. If the regions really "
            "were removed, run the import again with --allow-retire."
        )
    result.created = len(to_create)
    result.retired = len(retire)
    today = timezone.localdate()
    with transaction.atomic():
        _insert_regions(to_create)
        _update_regions(to_update)
        for start in range(0, len(retire), 2000):
            Region.objects.filter(code__in=retire[start : start + 2000]).update(
                valid_to=today, district_count=0, subdistrict_count=0, village_count=0
            )
        run = RegionImport.objects.create(
            source=label[:200],
            fingerprint=digest,
            total=len(items),
            created=result.created,
            updated=result.updated,
            retired=result.retired,
            restored=result.restored,
        )
        audit_event_record(
            event_type=AuditEventType.REGIONS_IMPORTED,
            actor=actor,
            actor_label="" if actor else "aksi regions import",
            target=run,
            data={
                "source": label,
                "created": result.created,
                "updated": result.updated,
                "retired": result.retired,
                "restored": result.restored,
                "retired_codes": retire[:200],
            },
        )
    return result


@dataclass
class CheckResult:
    per_level: dict[str, int]
    problems: list[str]


EXPECTED_COUNTS = {
    Level.PROVINCE: 38,
    Level.DISTRICT: 514,
    Level.SUBDISTRICT: 7285,
    Level.VILLAGE: 83762,
}


def regions_check(*, expected: dict[str, int] | None = None) -> CheckResult:
    """Count active regions per level and look for broken links in the stored tree."""
    active = Region.objects.filter(valid_to__isnull=True)
    per_level = {level.value: 0 for level in Level}
    for level, n in Counter(active.values_list("level", flat=True)).items():
        per_level[level] = n
    problems: list[str] = []
    orphans = active.exclude(level=Level.PROVINCE).filter(parent__isnull=True).count()
    if orphans:
        problems.append(f"{orphans:,} regions below province level have no parent")
    retired_parent = active.filter(parent__valid_to__isnull=False).count()
    if retired_parent:
        problems.append(f"{retired_parent:,} active regions hang under a retired parent")
    wrong_depth = 0
    for level, depth in ((Level.DISTRICT, 2), (Level.SUBDISTRICT, 3), (Level.VILLAGE, 4)):
        parent_level = DEPTH_LEVEL[depth - 1]
        wrong_depth += active.filter(level=level).exclude(parent__level=parent_level).count()
    if wrong_depth:
        problems.append(f"{wrong_depth:,} regions sit under a parent of the wrong level")
    if not any(per_level.values()):
        problems.append("no regions are loaded; run `aksi regions import`")
    for level, n in (expected or {}).items():
        if per_level.get(level, 0) != n:
            problems.append(f"{level}: {per_level.get(level, 0):,} regions, expected {n:,}")
    return CheckResult(per_level=per_level, problems=problems)
