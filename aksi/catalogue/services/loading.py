"""Loading the shipped catalogue data files (`aksi catalogue load`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from aksi.catalogue import datafiles
from aksi.catalogue.datafiles import CatalogueData, CatalogueDataError, IndicatorRow
from aksi.catalogue.models import (
    Action,
    ActionFramework,
    CatalogueLoad,
    Indicator,
    IndicatorCatalogue,
    NationalTarget,
    Pillar,
    ReportingYear,
    Step,
    SupportingItem,
    TargetGroup,
)
from aksi.catalogue.services._common import AUDIT_CHANGE_LIMIT, jsonable
from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record


@dataclass
class LoadResult:
    data_dir: str
    fingerprint: str = ""
    unchanged: bool = False
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    deleted: Counter[str] = field(default_factory=Counter)
    notices: list[str] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def summary(self) -> str:
        if not self.changed:
            return f"Catalogue data already up to date with {self.data_dir}."
        parts = []
        for entity in dict.fromkeys([*self.created, *self.updated, *self.deleted]):
            counts = [f"{self.created[entity]} new", f"{self.updated[entity]} changed"]
            if self.deleted[entity]:
                counts.append(f"{self.deleted[entity]} removed")
            parts.append(f"{entity} {', '.join(counts)}")
        return f"Loaded catalogue data from {self.data_dir}: {'; '.join(parts)}."


class _Sync:
    """Creates or updates rows from file values and records what changed."""

    def __init__(self, result: LoadResult) -> None:
        self.result = result

    def _log(self, entry: dict[str, Any]) -> None:
        if len(self.result.changes) < AUDIT_CHANGE_LIMIT:
            self.result.changes.append(entry)

    def save(
        self,
        entity: str,
        key: str,
        model: type[models.Model],
        existing: models.Model | None,
        values: dict[str, Any],
    ) -> Any:
        if existing is None:
            obj = model.objects.create(**values)
            self.result.created[entity] += 1
            self._log({"entity": entity, "key": key, "action": "created"})
            return obj
        diff = {
            name: (getattr(existing, name), new)
            for name, new in values.items()
            if getattr(existing, name) != new
        }
        if diff:
            for name, (_old, new) in diff.items():
                setattr(existing, name, new)
            existing.save(update_fields=list(diff))
            self.result.updated[entity] += 1
            self._log(
                {
                    "entity": entity,
                    "key": key,
                    "action": "updated",
                    "before": {n: jsonable(old) for n, (old, _new) in diff.items()},
                    "after": {n: jsonable(new) for n, (_old, new) in diff.items()},
                }
            )
        return existing

    def links(
        self,
        entity: str,
        key: str,
        manager: Any,
        current: set[int],
        wanted: list[Pillar],
        *,
        is_new: bool,
    ) -> None:
        """Bring a pillar many-to-many in line; a change counts the owner as updated."""
        wanted_ids = {p.pk for p in wanted}
        if wanted_ids == current:
            return
        manager.set(wanted_ids)
        if is_new:
            return
        self.result.updated[entity] += 1
        codes = {p.pk: p.code for p in Pillar.objects.filter(pk__in=current | wanted_ids)}
        self._log(
            {
                "entity": entity,
                "key": key,
                "action": "updated",
                "before": {"pillars": sorted(codes[i] for i in current)},
                "after": {"pillars": sorted(codes[i] for i in wanted_ids)},
            }
        )

    def delete(self, entity: str, key: str, obj: models.Model) -> None:
        obj.delete()
        self.result.deleted[entity] += 1
        self._log({"entity": entity, "key": key, "action": "deleted"})


def _load_pillars(sync: _Sync, data: CatalogueData) -> dict[str, Pillar]:
    existing = {p.code: p for p in Pillar.objects.all()}
    for row in data.pillars:
        existing[row.code] = sync.save(
            "pillars",
            row.code,
            Pillar,
            existing.get(row.code),
            {
                "code": row.code,
                "kind": row.kind,
                "number": row.number,
                "name": row.name,
                "short_name": row.short_name,
                "description": row.description,
            },
        )
    return existing


def _load_target_groups(sync: _Sync, data: CatalogueData) -> dict[str, TargetGroup]:
    existing = {g.code: g for g in TargetGroup.objects.all()}
    rows = {row.code: row for row in data.target_groups}

    def depth(code: str) -> int:
        parent = rows[code].parent
        return 0 if parent is None else 1 + depth(parent)

    # Parents first, so that every parent_id points at a saved row.
    for row in sorted(data.target_groups, key=lambda r: (depth(r.code), r.order)):
        existing[row.code] = sync.save(
            "target groups",
            row.code,
            TargetGroup,
            existing.get(row.code),
            {
                "code": row.code,
                "name": row.name,
                "parent_id": existing[row.parent].pk if row.parent else None,
                "age_min_months": row.age_min_months,
                "age_max_months": row.age_max_months,
                "sex": row.sex,
                "description": row.description,
                "order": row.order,
            },
        )
    return existing


def _load_frameworks(
    sync: _Sync, data: CatalogueData, pillars: dict[str, Pillar]
) -> dict[str, ActionFramework]:
    frameworks = {f.code: f for f in ActionFramework.objects.all()}
    # Successors start later (checked when reading), so the latest goes first.
    for row in sorted(data.frameworks, key=lambda r: -r.first_year):
        frameworks[row.code] = sync.save(
            "frameworks",
            row.code,
            ActionFramework,
            frameworks.get(row.code),
            {
                "code": row.code,
                "name": row.name,
                "short_name": row.short_name,
                "legal_basis": row.legal_basis,
                "description": row.description,
                "first_year": row.first_year,
                "last_year": row.last_year,
                "successor_id": frameworks[row.successor].pk if row.successor else None,
            },
        )
    actions = {(a.framework_id, a.code): a for a in Action.objects.all()}
    steps = {(s.framework_id, s.code): s for s in Step.objects.all()}
    step_links: dict[int, set[int]] = {}
    for step_id, pillar_id in Step.pillars.through.objects.values_list("step_id", "pillar_id"):
        step_links.setdefault(step_id, set()).add(pillar_id)
    for row in data.frameworks:
        framework = frameworks[row.code]
        for action_row in row.actions:
            key = (framework.pk, action_row.code)
            actions[key] = sync.save(
                "actions",
                f"{row.code}/{action_row.code}",
                Action,
                actions.get(key),
                {
                    "framework_id": framework.pk,
                    "code": action_row.code,
                    "kind": action_row.kind,
                    "name": action_row.name,
                    "lead": action_row.lead,
                    "description": action_row.description,
                    "successor_codes": action_row.successor_codes,
                    "successor_note": action_row.successor_note,
                    "order": action_row.order,
                },
            )
        for step_row in row.steps:
            key = (framework.pk, step_row.code)
            old = steps.get(key)
            step = sync.save(
                "steps",
                f"{row.code}/{step_row.code}",
                Step,
                old,
                {
                    "framework_id": framework.pk,
                    "action_id": actions[(framework.pk, step_row.action)].pk,
                    "code": step_row.code,
                    "name": step_row.name,
                    "description": step_row.description,
                    "deliverable": step_row.deliverable,
                    "levels": step_row.levels,
                    "opens_on": step_row.opens_on,
                    "due_on": step_row.due_on,
                    "due_year_offset": step_row.due_year_offset,
                    "is_continuous": step_row.is_continuous,
                    "order": step_row.order,
                },
            )
            sync.links(
                "steps",
                f"{row.code}/{step_row.code}",
                step.pillars,
                step_links.get(step.pk, set()),
                [pillars[code] for code in step_row.pillars],
                is_new=old is None,
            )
    return frameworks


def _load_national_targets(sync: _Sync, data: CatalogueData) -> None:
    existing = {(t.metric, t.year): t for t in NationalTarget.objects.all()}
    for row in data.national_targets:
        sync.save(
            "national targets",
            f"{row.metric}/{row.year}",
            NationalTarget,
            existing.get((row.metric, row.year)),
            {
                "metric": row.metric,
                "year": row.year,
                "value": row.value,
                "unit": row.unit,
                "source": row.source,
                "note": row.note,
            },
        )


def _indicator_values(
    row: IndicatorRow, catalogue: IndicatorCatalogue, groups: dict[str, TargetGroup]
) -> dict[str, Any]:
    return {
        "catalogue_id": catalogue.pk,
        "code": row.code,
        "name": row.name,
        "target_group_id": groups[row.target_group].pk,
        "target_group_label": row.target_group_label,
        "intervention_type": row.intervention_type,
        "indicator_class": row.indicator_class,
        "sectors": row.sectors,
        "certainty": row.certainty,
        "national_target": row.national_target,
        "target_year": row.target_year,
        "target_note": row.target_note,
        "direction": row.direction,
        "unit": row.unit,
        "numerator_definition": row.numerator_definition,
        "denominator_definition": row.denominator_definition,
        "denominator_source": row.denominator_source,
        "entry_level": row.entry_level,
        "is_binary": row.is_binary,
        "order": row.order,
    }


def _load_catalogues(
    sync: _Sync,
    data: CatalogueData,
    groups: dict[str, TargetGroup],
    pillars: dict[str, Pillar],
) -> dict[int, IndicatorCatalogue]:
    catalogues = {c.year: c for c in IndicatorCatalogue.objects.all()}
    for file in data.catalogues:
        old = catalogues.get(file.year)
        if old is not None and not old.as_shipped:
            sync.result.notices.append(
                f"Catalogue {file.year} was changed in the app (or made as a copy), so "
                f"{file.filename} was not applied to it."
            )
            continue
        values: dict[str, Any] = {
            "year": file.year,
            "name": file.name,
            "source": file.source,
            "origin": IndicatorCatalogue.Origin.FILE,
            "file_fingerprint": file.fingerprint,
            # Publication only moves forward: a file never turns a published version into a draft.
            "status": (
                IndicatorCatalogue.Status.PUBLISHED
                if old is not None and old.status == IndicatorCatalogue.Status.PUBLISHED
                else file.status
            ),
        }
        if values["status"] == IndicatorCatalogue.Status.PUBLISHED and (
            old is None or old.published_at is None
        ):
            values["published_at"] = timezone.now()
        catalogue = sync.save("catalogues", str(file.year), IndicatorCatalogue, old, values)
        catalogues[file.year] = catalogue

        existing = {i.code: i for i in Indicator.objects.filter(catalogue=catalogue)}
        links: dict[int, set[int]] = {}
        through = Indicator.pillars.through.objects.filter(indicator__catalogue=catalogue)
        for indicator_id, pillar_id in through.values_list("indicator_id", "pillar_id"):
            links.setdefault(indicator_id, set()).add(pillar_id)
        for row in file.indicators:
            before = existing.get(row.code)
            key = f"{file.year}/{row.code}"
            indicator = sync.save(
                "indicators", key, Indicator, before, _indicator_values(row, catalogue, groups)
            )
            sync.links(
                "indicators",
                key,
                indicator.pillars,
                links.get(indicator.pk, set()),
                [pillars[code] for code in row.pillars],
                is_new=before is None,
            )
        wanted = {row.code for row in file.indicators}
        for code, indicator in existing.items():
            if code in wanted:
                continue
            try:
                with transaction.atomic():
                    sync.delete("indicators", f"{file.year}/{code}", indicator)
            except ProtectedError:
                raise CatalogueDataError(
                    f"{file.filename}: indicator {code} is no longer in the file but data are "
                    "recorded against it, so it cannot be removed from the catalogue."
                ) from None
        _load_supporting_items(sync, file, catalogue)
    return catalogues


def _load_supporting_items(
    sync: _Sync, file: datafiles.CatalogueFile, catalogue: IndicatorCatalogue
) -> None:
    existing = {i.code: i for i in SupportingItem.objects.filter(catalogue=catalogue)}
    for row in file.supporting_items:
        sync.save(
            "supporting items",
            f"{file.year}/{row.code}",
            SupportingItem,
            existing.get(row.code),
            {
                "catalogue_id": catalogue.pk,
                "code": row.code,
                "name": row.name,
                "sector": row.sector,
                "unit": row.unit,
                "entry_level": row.entry_level,
                "source": row.source,
                "help_text": row.help_text,
                "order": row.order,
            },
        )
    wanted = {row.code for row in file.supporting_items}
    for code, item in existing.items():
        if code in wanted:
            continue
        try:
            with transaction.atomic():
                sync.delete("supporting items", f"{file.year}/{code}", item)
        except ProtectedError:
            raise CatalogueDataError(
                f"supporting_{file.year}.csv: item {code} is no longer in the file but data are "
                "recorded against it, so it cannot be removed from the catalogue."
            ) from None


def _load_reporting_years(
    sync: _Sync,
    data: CatalogueData,
    frameworks: dict[str, ActionFramework],
    catalogues: dict[int, IndicatorCatalogue],
) -> None:
    existing = {y.year: y for y in ReportingYear.objects.all()}
    for row in data.reporting_years:
        old = existing.get(row.year)
        values: dict[str, Any] = {"year": row.year, "framework_id": frameworks[row.framework].pk}
        # Once a year exists, its status and catalogue belong to the app (a copy made for it,
        # a year opened); the file only attaches the catalogue it names.
        if old is None:
            values["status"] = row.status
            values["catalogue_id"] = None
        if row.catalogue is not None:
            values["catalogue_id"] = catalogues[row.catalogue].pk
        sync.save("reporting years", str(row.year), ReportingYear, old, values)


def catalogue_load(
    *, data_dir: Path | None = None, force: bool = False, actor: Any = None
) -> LoadResult:
    """Bring frameworks, pillars, target groups, targets, years and catalogues in line with the
    shipped data files, in one transaction.

    Rows are matched by code and created or updated, never deleted, except the indicators of a
    catalogue that is still as shipped. A catalogue changed in the app (or made as a copy) is left
    alone with a notice. Same files as the last load: nothing is read unless `force` is given.
    A malformed file raises CatalogueDataError and changes nothing.
    """
    data_dir = (data_dir or datafiles.DATA_DIR).resolve()
    result = LoadResult(data_dir=str(data_dir))
    digest = datafiles.fingerprint(data_dir)
    result.fingerprint = digest
    last = CatalogueLoad.objects.first()
    if not force and last is not None and last.fingerprint == digest:
        years = datafiles.catalogue_years(data_dir)
        if IndicatorCatalogue.objects.filter(year__in=years).count() == len(years):
            result.unchanged = True
            return result
    data = datafiles.read_data(data_dir)
    sync = _Sync(result)
    with transaction.atomic(durable=True):
        pillars = _load_pillars(sync, data)
        groups = _load_target_groups(sync, data)
        frameworks = _load_frameworks(sync, data, pillars)
        _load_national_targets(sync, data)
        catalogues = _load_catalogues(sync, data, groups, pillars)
        _load_reporting_years(sync, data, frameworks, catalogues)
        summary = {
            "created": dict(result.created),
            "updated": dict(result.updated),
            "deleted": dict(result.deleted),
            "notices": result.notices,
        }
        if result.changed or last is None or last.fingerprint != digest:
            load = CatalogueLoad.objects.create(
                fingerprint=digest, data_dir=str(data_dir)[:500], summary=summary
            )
            if result.changed:
                audit_event_record(
                    event_type=AuditEventType.CATALOGUE_LOADED,
                    actor=actor,
                    actor_label="" if actor else "aksi catalogue load",
                    target=load,
                    data={
                        "data_dir": str(data_dir),
                        "fingerprint": digest,
                        **summary,
                        "changes": result.changes,
                    },
                )
    result.unchanged = not result.changed
    return result
