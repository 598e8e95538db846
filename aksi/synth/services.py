"""A synthetic national dataset from a seed: plausible coverage values, target-group counts,
submissions in every state and users for every region.

Every number is drawn from a random generator seeded by (seed, the region's code, the period),
so a desa gets the same values whether it is generated alone, with its kabupaten or with the
whole country, and the same seed always gives the same data. Values are streamed to the database
(COPY on PostgreSQL, batched `executemany` elsewhere: same rows either way) inside one
transaction; the rollups of the generated periods are then recomputed set-based in SQL.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aksi.accounts.models import Role, RoleAssignment, User
from aksi.analytics.models import CoverageRollup
from aksi.catalogue.models import IndicatorCatalogue, Step
from aksi.regions.models import Level, Region
from aksi.reporting.models import (
    CoverageValue,
    CoverageValueChange,
    Origin,
    SupportingValue,
    SupportingValueChange,
    TargetGroupCount,
    TargetGroupCountChange,
    ValueStatus,
)
from aksi.review import measures
from aksi.review.models import Submission, SubmissionEvent
from aksi.synth.generators import PERIOD_PARTS, _rng, count_rows, supporting_rows, value_rows
from aksi.synth.rollups import _in, rollups_load

SIZES = ("kabupaten", "province", "national")
DEFAULT_REGION = {"kabupaten": "35.19", "province": "35"}  # Kab. Madiun, Jawa Timur
SIZE_LEVEL = {"kabupaten": Level.DISTRICT, "province": Level.PROVINCE}
USER_PREFIX = "synth-"
# Every synthetic account has this password (hashed once: hashing 9,000 times takes minutes).
PASSWORD = "synth-aksi-2025"
BATCH = 20_000

COUNT_COLUMNS = (
    "target_group_id",
    "region_id",
    "period",
    "count",
    "source",
    "origin",
    "version",
    "updated_by_id",
    "updated_at",
)
SUPPORTING_COLUMNS = (
    "item_id",
    "region_id",
    "period",
    "value",
    "note",
    "origin",
    "version",
    "updated_by_id",
    "updated_at",
)
VALUE_COLUMNS = (
    "indicator_id",
    "region_id",
    "period",
    "numerator",
    "denominator",
    "denominator_source",
    "status",
    "note",
    "origin",
    "version",
    "updated_by_id",
    "updated_at",
)
# How the submissions of a period are spread over the states (older periods end verified).
STATE_WEIGHTS = {
    Submission.Status.DRAFT: 0.22,
    Submission.Status.SUBMITTED: 0.25,
    Submission.Status.VERIFIED: 0.38,
    Submission.Status.RETURNED: 0.10,
    Submission.Status.REOPENED: 0.05,
}


class SynthError(Exception):
    """The request cannot be generated (unknown region, missing catalogue, existing data)."""


@dataclass
class SynthResult:
    scope: str
    periods: list[str]
    values: int = 0
    counts: int = 0
    supporting: int = 0
    rollups: int = 0
    submissions: int = 0
    users: int = 0
    deleted: int = 0
    seconds: float = 0.0
    notices: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return _(
            "%(scope)s, %(periods)s: %(values)s values, %(counts)s target-group counts, "
            "%(supporting)s supporting values, %(rollups)s rollups, "
            "%(submissions)s submissions, %(users)s new users (%(deleted)s old values "
            "replaced) in %(seconds).1f s"
        ) % {
            "scope": self.scope,
            "periods": ", ".join(self.periods),
            "values": f"{self.values:,}",
            "counts": f"{self.counts:,}",
            "supporting": f"{self.supporting:,}",
            "rollups": f"{self.rollups:,}",
            "submissions": f"{self.submissions:,}",
            "users": f"{self.users:,}",
            "deleted": f"{self.deleted:,}",
            "seconds": self.seconds,
        }


@dataclass(frozen=True)
class Scope:
    """Where to generate: a region prefix ("" = the nation) and its regions, ordered by code."""

    label: str
    prefix: str
    villages: list[str]
    subdistricts: list[str]
    districts: list[str]
    provinces: list[str]

    def sql(self, column: str) -> tuple[str, list[str]]:
        """A WHERE fragment limiting `column` (a region code) to the scope."""
        if not self.prefix:
            return "1 = 1", []
        return f"({column} = %s OR {column} LIKE %s)", [self.prefix, f"{self.prefix}.%"]


def scope_resolve(*, size: str, region_code: str | None = None) -> Scope:
    if size not in SIZES:
        raise SynthError(_("Unknown size %(size)s.") % {"size": size})
    regions = Region.objects.filter(valid_to__isnull=True)
    prefix = ""
    label = _("Indonesia")
    if size != "national":
        prefix = region_code or DEFAULT_REGION[size]
        root = regions.filter(code=prefix, level=SIZE_LEVEL[size]).first()
        if root is None:
            raise SynthError(
                _("%(code)s is not an active %(level)s.")
                % {"code": prefix, "level": SIZE_LEVEL[size].label}
            )
        label = f"{root.code} {root.name}"
        regions = regions.filter(code__startswith=f"{prefix}.") | regions.filter(code=prefix)
    by_level: dict[str, list[str]] = {level: [] for level in Level.values}
    for code, level in regions.order_by("code").values_list("code", "level"):
        by_level[level].append(code)
    return Scope(
        label=label,
        prefix=prefix,
        villages=by_level[Level.VILLAGE],
        subdistricts=by_level[Level.SUBDISTRICT],
        districts=by_level[Level.DISTRICT],
        provinces=by_level[Level.PROVINCE],
    )


def _stream(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write rows to a table: COPY on PostgreSQL, batched executemany elsewhere."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _delete_existing(*, scope: Scope, periods: Sequence[str]) -> int:
    value = CoverageValue._meta.db_table
    change = CoverageValueChange._meta.db_table
    submission = Submission._meta.db_table
    event = SubmissionEvent._meta.db_table
    where, params = scope.sql("region_id")
    values_where = f"period IN ({_in(periods)}) AND {where}"
    params = [*periods, *params]
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {change} WHERE value_id IN (SELECT id FROM {value} WHERE {values_where})",
            params,
        )
        cursor.execute(f"DELETE FROM {value} WHERE {values_where}", params)
        deleted = cursor.rowcount
        count = TargetGroupCount._meta.db_table
        cursor.execute(
            f"DELETE FROM {TargetGroupCountChange._meta.db_table} WHERE value_id IN "
            f"(SELECT id FROM {count} WHERE {values_where})",
            params,
        )
        cursor.execute(f"DELETE FROM {count} WHERE {values_where}", params)
        supporting = SupportingValue._meta.db_table
        cursor.execute(
            f"DELETE FROM {SupportingValueChange._meta.db_table} WHERE value_id IN "
            f"(SELECT id FROM {supporting} WHERE {values_where})",
            params,
        )
        cursor.execute(f"DELETE FROM {supporting} WHERE {values_where}", params)
        cursor.execute(
            f"DELETE FROM {event} WHERE submission_id IN "
            f"(SELECT id FROM {submission} WHERE {values_where})",
            params,
        )
        cursor.execute(f"DELETE FROM {submission} WHERE {values_where}", params)
    return deleted


def _existing(*, scope: Scope, periods: Sequence[str]) -> bool:
    where, params = scope.sql("region_id")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {CoverageValue._meta.db_table} "
            f"WHERE period IN ({_in(periods)}) AND {where} LIMIT 1",
            [*periods, *params],
        )
        return cursor.fetchone() is not None


def _users(*, scope: Scope) -> tuple[int, dict[str, int]]:
    """One operator per kecamatan, a verifier and an admin per kabupaten, a verifier per
    province (and the centre at national size). Existing ones are kept; returns (created,
    username → id)."""
    wanted: list[tuple[str, str, str | None]] = []
    for code in scope.subdistricts:
        wanted.append((f"{USER_PREFIX}{code}-operator", Role.OPERATOR, code))
    for code in scope.districts:
        wanted.append((f"{USER_PREFIX}{code}-verifier", Role.VERIFIER, code))
        wanted.append((f"{USER_PREFIX}{code}-admin", Role.REGION_ADMIN, code))
    for code in scope.provinces:
        wanted.append((f"{USER_PREFIX}{code}-verifier", Role.VERIFIER, code))
    if not scope.prefix:
        wanted.append((f"{USER_PREFIX}central-admin", Role.CENTRAL_ADMIN, None))
        wanted.append((f"{USER_PREFIX}central-monitor", Role.CENTRAL_MONITOR, None))
    names = [name for name, _role, _code in wanted]
    existing = set()
    for start in range(0, len(names), 900):  # SQLite caps the number of parameters
        chunk = names[start : start + 900]
        existing |= set(User.objects.filter(username__in=chunk).values_list("username", flat=True))
    missing = [item for item in wanted if item[0] not in existing]
    if missing:
        password = make_password(PASSWORD)
        User.objects.bulk_create(
            [
                User(
                    username=name,
                    password=password,
                    full_name=f"{role.label} {code or _('Indonesia')}",
                    email=f"{name}@synth.invalid",
                )
                for name, role, code in missing
            ],
            batch_size=2000,
        )
    ids: dict[str, int] = {}
    for start in range(0, len(names), 900):
        chunk = names[start : start + 900]
        ids.update(User.objects.filter(username__in=chunk).values_list("username", "id"))
    if missing:
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(user_id=ids[name], role=role, region_id=code)
                for name, role, code in missing
            ],
            batch_size=2000,
        )
    return len(missing), ids


def _submissions(
    *, scope: Scope, periods: Sequence[str], seed: int, users: dict[str, int], step: Step
) -> int:
    """One submission per kecamatan and period, in every state; older periods mostly verified."""
    states = list(STATE_WEIGHTS)
    latest = max(periods)
    rows = []
    forced = iter(states)  # the first kecamatan of the latest period show every state
    for period in periods:
        year = int(period[:4])
        month = 6 if period.endswith("S1") else 12
        closes = dt.datetime(year, month, 28, 9, 0, tzinfo=dt.UTC)
        for code in scope.subdistricts:
            rng = _rng(seed, "submission", code, period)
            if period == latest:
                state = next(forced, None) or rng.choices(states, list(STATE_WEIGHTS.values()))[0]
            else:
                state = (
                    Submission.Status.VERIFIED if rng.random() < 0.9 else Submission.Status.REOPENED
                )
            operator = users.get(f"{USER_PREFIX}{code}-operator")
            verifier = users.get(f"{USER_PREFIX}{code[:5]}-verifier")
            submitted = state != Submission.Status.DRAFT
            checked = state in (Submission.Status.VERIFIED, Submission.Status.REOPENED)
            at = closes - dt.timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 600))
            rows.append(
                Submission(
                    step=step,
                    region_id=code,
                    period=period,
                    status=state,
                    first_submitted_at=at if submitted else None,
                    last_submitted_at=at if submitted else None,
                    submitted_by_id=operator if submitted else None,
                    verified_at=at + dt.timedelta(days=3) if checked else None,
                    verified_by_id=verifier if checked else None,
                    returned_reason=(
                        _("Denominators differ from the target-group data.")
                        if state == Submission.Status.RETURNED
                        else ""
                    ),
                )
            )
    Submission.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _analyze() -> None:
    """Refresh the planner's statistics of the loaded tables.

    After a COPY of millions of rows the statistics still describe the empty tables until
    autovacuum comes by; meanwhile PostgreSQL picked a 1-second plan for the outlier check of
    a single save (a bitmap AND over two indexes) instead of a 1-millisecond one.
    """
    with connection.cursor() as cursor:
        for model in (CoverageValue, TargetGroupCount, SupportingValue, CoverageRollup, Submission):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def synth_generate(
    *,
    size: str,
    region_code: str | None = None,
    seed: int = 1,
    years: Sequence[int] | None = None,
    users: bool = True,
    replace: bool = False,
    periods: str = "semesters",
) -> SynthResult:
    """Generate the synthetic data of a kabupaten, a province or the nation; all or nothing.

    Existing values of the scope and periods make it refuse unless `replace`, which deletes
    them (with their history and the scope's submissions) first. Users are added when missing,
    never deleted. Rollups of the generated periods are recomputed at the end.
    """
    started = time.perf_counter()
    if periods not in PERIOD_PARTS:
        raise SynthError(_("Unknown periods %(periods)s.") % {"periods": periods})
    parts = PERIOD_PARTS[periods]
    scope = scope_resolve(size=size, region_code=region_code)
    catalogues = IndicatorCatalogue.objects.order_by("year")
    if years:
        catalogues = catalogues.filter(year__in=years)
        missing = sorted(set(years) - {c.year for c in catalogues})
        if missing:
            raise SynthError(
                _("There is no indicator catalogue for %(years)s; load or copy one first.")
                % {"years": ", ".join(map(str, missing))}
            )
    catalogues = list(catalogues)
    if not catalogues:
        raise SynthError(_("There is no indicator catalogue: run `aksi catalogue load` first."))
    codes = [f"{c.year}{suffix}" for c in catalogues for suffix, _half in parts]
    result = SynthResult(scope=scope.label, periods=codes)
    with transaction.atomic():
        if _existing(scope=scope, periods=codes):
            if not replace:
                raise SynthError(
                    _(
                        "%(scope)s already has values for %(periods)s: use --replace to "
                        "delete and generate them again."
                    )
                    % {"scope": scope.label, "periods": ", ".join(codes)}
                )
        if replace:
            result.deleted = _delete_existing(scope=scope, periods=codes)
        ids: dict[str, int] = {}
        if users:
            result.users, ids = _users(scope=scope)
        now = timezone.now()
        if connection.vendor != "postgresql":
            now = connection.ops.adapt_datetimefield_value(now)
        for catalogue in catalogues:
            indicators = list(catalogue.indicators.order_by("order"))
            rows = (
                (
                    indicator_id,
                    region,
                    period,
                    numerator,
                    denominator,
                    source,
                    ValueStatus.VALUE,
                    "",
                    Origin.IMPORTED,
                    1,
                    ids.get(f"{USER_PREFIX}{region[:8]}-operator"),
                    now,
                )
                for indicator_id, region, period, numerator, denominator, source in value_rows(
                    scope=scope, year=catalogue.year, seed=seed, indicators=indicators, parts=parts
                )
            )
            result.values += _stream(CoverageValue._meta.db_table, VALUE_COLUMNS, rows)
            counts = (
                (
                    group,
                    region,
                    period,
                    count,
                    source,
                    Origin.IMPORTED,
                    1,
                    ids.get(f"{USER_PREFIX}{region[:8]}-operator"),
                    now,
                )
                for group, region, period, count, source in count_rows(
                    scope=scope, year=catalogue.year, seed=seed, indicators=indicators, parts=parts
                )
            )
            result.counts += _stream(TargetGroupCount._meta.db_table, COUNT_COLUMNS, counts)
            items = list(catalogue.supporting_items.order_by("order"))
            supporting = (
                (
                    item,
                    region,
                    period,
                    value,
                    "",
                    Origin.IMPORTED,
                    1,
                    ids.get(f"{USER_PREFIX}{region[:8]}-operator"),
                    now,
                )
                for item, region, period, value in supporting_rows(
                    scope=scope, year=catalogue.year, seed=seed, items=items, parts=parts
                )
            )
            result.supporting += _stream(
                SupportingValue._meta.db_table, SUPPORTING_COLUMNS, supporting
            )
            step = measures.coverage_step(catalogue.year)
            if step is None:
                result.notices.append(
                    _("No reporting year %(year)s: no submissions generated.")
                    % {"year": catalogue.year}
                )
                continue
            result.submissions += _submissions(
                scope=scope,
                periods=[p for p in codes if p.startswith(str(catalogue.year))],
                seed=seed,
                users=ids,
                step=step,
            )
        result.rollups = rollups_load(periods=codes, prefix=scope.prefix)
        _analyze()
    result.seconds = time.perf_counter() - started
    return result
