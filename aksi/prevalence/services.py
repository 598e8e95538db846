"""Writes of prevalence figures: imports (dry run, then all or nothing) and the shipped load."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aksi.accounts.scopes import Scope, managed_scope
from aksi.core.bulk import insert_rows, update_rows
from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record
from aksi.prevalence import readers
from aksi.prevalence.models import AdministrativeCount, AdministrativeSource, SurveyPrevalence
from aksi.prevalence.readers import AdministrativeRow, RowError, SurveyRow
from aksi.regions.models import Level, Region

SURVEY, ADMINISTRATIVE = "survey", "administrative"
KINDS = (SURVEY, ADMINISTRATIVE)
DATA_DIR = Path(__file__).resolve().parent / "data"
SHIPPED_FILES = ("prevalensi_nasional.csv", "prevalensi_provinsi.csv")
BATCH = 500

# One audit kind for both sources; `data.kind` says which. Asked for in core.AuditEventType
# (block "prevalence"); the stored string is the same either way.
PREVALENCE_IMPORTED = AuditEventType.PREVALENCE_IMPORTED


@dataclass
class ImportReport:
    kind: str
    file_name: str
    rows: int = 0  # data rows in the file, with or without errors
    errors: list[RowError] = field(default_factory=list)
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    applied: bool = False

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def sorted_errors(self) -> list[RowError]:
        return sorted(self.errors, key=lambda e: (e.row, e.column))

    def summary(self) -> str:
        if self.errors:
            return _("%(file)s: %(errors)s problem(s) in %(rows)s row(s); nothing was saved.") % {
                "file": self.file_name,
                "errors": len(self.errors),
                "rows": self.rows,
            }
        verb = _("saved") if self.applied else _("would be saved (dry run)")
        return _(
            "%(file)s: %(rows)s row(s); %(new)s new, %(changed)s changed, %(unchanged)s "
            "unchanged — %(verb)s."
        ) % {
            "file": self.file_name,
            "rows": self.rows,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "verb": verb,
        }


class ImportRefused(Exception):
    """An apply with row errors: nothing was written. `report` lists every error."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(report.summary())
        self.report = report


def _scope_of(actor: Any) -> Scope:
    """Where the actor may write figures; a command (no actor) writes everywhere."""
    if actor is None:
        return Scope(national=True)
    if not actor.has_perm("prevalence.import_figures"):
        raise PermissionDenied
    return managed_scope(actor)


def _regions(codes: Iterable[str]) -> dict[str, Region]:
    wanted = {c for c in codes if c}
    found = Region.objects.filter(code__in=wanted, valid_to__isnull=True).only("code", "level")
    return {region.code: region for region in found}


def _common_ancestor(codes: Iterable[str]) -> str:
    parts: list[str] | None = None
    for code in codes:
        if not code:
            return ""
        these = code.split(".")
        if parts is None:
            parts = these
            continue
        keep = 0
        while keep < min(len(parts), len(these)) and parts[keep] == these[keep]:
            keep += 1
        parts = parts[:keep]
    return ".".join(parts or [])


def _check_regions(
    rows: list[Any], *, levels: set[str], scope: Scope, column: str, report: ImportReport
) -> dict[str, Region]:
    regions = _regions(r.region_code for r in rows)
    for row in rows:
        code = row.region_code
        if code == "":
            if not scope.national:
                report.errors.append(
                    RowError(row.row, column, _("only the central admin imports national figures"))
                )
            continue
        region = regions.get(code)
        if region is None:
            report.errors.append(
                RowError(
                    row.row, column, _("%(code)s is not a current region code") % {"code": code}
                )
            )
        elif region.level not in levels:
            report.errors.append(
                RowError(
                    row.row,
                    column,
                    _("%(code)s is a %(level)s; this file takes %(levels)s")
                    % {
                        "code": code,
                        "level": Level(region.level).label.lower(),
                        "levels": ", ".join(str(Level(lv).label).lower() for lv in sorted(levels)),
                    },
                )
            )
        elif not scope.covers(code):
            report.errors.append(
                RowError(row.row, column, _("%(code)s is outside your region") % {"code": code})
            )
    return regions


def _audit(
    *, actor: Any, actor_label: str, report: ImportReport, codes: list[str], extra: dict
) -> None:
    audit_event_record(
        event_type=PREVALENCE_IMPORTED,  # type: ignore[arg-type]
        actor=actor,
        actor_label=actor_label,
        region_code=_common_ancestor(codes),
        data={
            "kind": report.kind,
            "file": report.file_name,
            "rows": report.rows,
            "new": report.new,
            "changed": report.changed,
            "unchanged": report.unchanged,
            **extra,
        },
    )


# --- survey figures ---------------------------------------------------------------------------


def _survey_key(region_code: str, source: str, year: int) -> tuple[str, str, int]:
    return (region_code, source, year)


def survey_import(
    *,
    rows: list[SurveyRow],
    errors: list[RowError] | None = None,
    file_name: str,
    actor: Any = None,
    actor_label: str = "",
    apply: bool,
) -> ImportReport:
    """Check survey figures against the region list and the actor's scope; with `apply`,
    save them all in one transaction (or none, raising ImportRefused)."""
    scope = _scope_of(actor)
    report = ImportReport(kind=SURVEY, file_name=file_name, errors=list(errors or []))
    report.rows = len(rows) + len({e.row for e in report.errors if e.row > 1})
    _check_regions(
        rows,
        levels={Level.PROVINCE, Level.DISTRICT},
        scope=scope,
        column="kode_wilayah",
        report=report,
    )
    existing = {
        _survey_key(s.region_id or "", s.source, s.year): s
        for s in SurveyPrevalence.objects.filter(
            source__in={r.source for r in rows}, year__in={r.year for r in rows}
        )
    }
    writes: list[tuple[SurveyRow, SurveyPrevalence | None]] = []
    refused = {e.row for e in report.errors}
    for row in rows:
        if row.row in refused:
            continue
        old = existing.get(_survey_key(row.region_code, row.source, row.year))
        if old is None:
            report.new += 1
        elif (old.prevalence, old.sample_size, old.source_url, old.note) == (
            row.prevalence,
            row.sample_size,
            row.source_url,
            row.note,
        ):
            report.unchanged += 1
            continue
        else:
            report.changed += 1
        writes.append((row, old))
    if not apply:
        return report
    if report.errors:
        raise ImportRefused(report)
    _survey_write(
        writes=writes,
        report=report,
        actor=actor,
        actor_label=actor_label,
        codes=[r.region_code for r in rows],
    )
    return report


@transaction.atomic
def _survey_write(
    *,
    writes: list[tuple[SurveyRow, SurveyPrevalence | None]],
    report: ImportReport,
    actor: Any,
    actor_label: str,
    codes: list[str],
) -> None:
    for row, old in writes:
        figure = old or SurveyPrevalence(
            region_id=row.region_code or None, source=row.source, year=row.year
        )
        figure.prevalence = row.prevalence
        figure.sample_size = row.sample_size
        figure.source_url = row.source_url
        figure.note = row.note
        figure.save()
    report.applied = True
    if writes:
        _audit(actor=actor, actor_label=actor_label, report=report, codes=codes, extra={})


# --- administrative (e-PPGBM) counts -----------------------------------------------------------


def administrative_import(
    *,
    rows: list[AdministrativeRow],
    errors: list[RowError] | None = None,
    file_name: str,
    actor: Any = None,
    actor_label: str = "",
    apply: bool,
) -> ImportReport:
    """Check e-PPGBM counts of desa against the region list and the actor's scope; with
    `apply`, save them all in one transaction (or none, raising ImportRefused). A row for a
    desa and period already stored replaces its counts."""
    scope = _scope_of(actor)
    report = ImportReport(kind=ADMINISTRATIVE, file_name=file_name, errors=list(errors or []))
    report.rows = len(rows) + len({e.row for e in report.errors if e.row > 1})
    _check_regions(rows, levels={Level.VILLAGE}, scope=scope, column="kode_wilayah", report=report)
    existing = {
        (region_id, period): (pk, values)
        for pk, region_id, period, *values in AdministrativeCount.objects.filter(
            source=AdministrativeSource.EPPGBM,
            region_id__in={r.region_code for r in rows},
            period__in={r.period for r in rows},
        ).values_list(
            "pk",
            "region_id",
            "period",
            "targeted_count",
            "measured_count",
            "stunted_count",
            "severely_stunted_count",
        )
    }
    inserts: list[AdministrativeRow] = []
    updates: list[tuple[int, AdministrativeRow]] = []
    refused = {e.row for e in report.errors}
    for row in rows:
        if row.row in refused:
            continue
        found = existing.get((row.region_code, row.period))
        counts = [row.targeted, row.measured, row.stunted, row.severely_stunted]
        if found is None:
            report.new += 1
            inserts.append(row)
        elif list(found[1]) == counts:
            report.unchanged += 1
        else:
            report.changed += 1
            updates.append((found[0], row))
    if not apply:
        return report
    if report.errors:
        raise ImportRefused(report)
    _administrative_write(
        inserts=inserts, updates=updates, report=report, actor=actor, actor_label=actor_label
    )
    return report


@transaction.atomic
def _administrative_write(
    *,
    inserts: list[AdministrativeRow],
    updates: list[tuple[int, AdministrativeRow]],
    report: ImportReport,
    actor: Any,
    actor_label: str,
) -> None:
    now = timezone.now()
    columns = ["targeted_count", "measured_count", "stunted_count", "severely_stunted_count"]
    for start in range(0, len(inserts), BATCH):
        insert_rows(
            AdministrativeCount,
            ["region_id", "period", "source", *columns, "updated_at"],
            [
                (
                    r.region_code,
                    r.period,
                    AdministrativeSource.EPPGBM.value,
                    r.targeted,
                    r.measured,
                    r.stunted,
                    r.severely_stunted,
                    now,
                )
                for r in inserts[start : start + BATCH]
            ],
        )
    for start in range(0, len(updates), BATCH):
        update_rows(
            AdministrativeCount,
            [*columns, "updated_at"],
            [
                (r.targeted, r.measured, r.stunted, r.severely_stunted, now, pk)
                for pk, r in updates[start : start + BATCH]
            ],
        )
    report.applied = True
    written = [*inserts, *(r for _, r in updates)]
    if written:
        _audit(
            actor=actor,
            actor_label=actor_label,
            report=report,
            codes=[r.region_code for r in written],
            extra={"periods": sorted({r.period for r in written})},
        )


# --- files ------------------------------------------------------------------------------------


def prevalence_file_import(
    *,
    upload: IO[bytes],
    name: str,
    kind: str,
    actor: Any = None,
    actor_label: str = "",
    apply: bool,
) -> ImportReport:
    """Read a CSV/XLSX file of `kind` (survey | administrative) and import it."""
    if kind == SURVEY:
        survey = readers.read_survey_file(upload, name=name)
        return survey_import(
            rows=survey.rows,
            errors=survey.errors,
            file_name=name,
            actor=actor,
            actor_label=actor_label,
            apply=apply,
        )
    if kind == ADMINISTRATIVE:
        counts = readers.read_administrative_file(upload, name=name)
        return administrative_import(
            rows=counts.rows,
            errors=counts.errors,
            file_name=name,
            actor=actor,
            actor_label=actor_label,
            apply=apply,
        )
    raise ValueError(f"unknown kind {kind!r}")


def prevalence_load(*, data_dir: Path | None = None) -> list[ImportReport]:
    """Load the published survey figures shipped with Aksi (idempotent)."""
    reports = []
    for file_name in SHIPPED_FILES:
        path = (data_dir or DATA_DIR) / file_name
        with path.open("rb") as upload:
            reports.append(
                prevalence_file_import(
                    upload=upload,
                    name=file_name,
                    kind=SURVEY,
                    actor_label="aksi prevalence load",
                    apply=True,
                )
            )
    return reports
