"""Reads for the review pages, scoped by the user's regions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from aksi.accounts.rules import is_central_admin
from aksi.accounts.scopes import view_scope
from aksi.catalogue.models import ReportingYear
from aksi.regions.models import Level, Region
from aksi.regions.selectors import active_regions, subtree_q
from aksi.reporting.models import CoverageValueChange
from aksi.review import measures, rules
from aksi.review.models import Notice, Submission

MISSING = "missing"


def default_period() -> str:
    """The open reporting year, else the latest one, else this calendar year."""
    years = list(ReportingYear.objects.values_list("year", "status"))
    open_years = [year for year, status in years if status == ReportingYear.Status.OPEN]
    if open_years:
        return str(max(open_years))
    if years:
        return str(max(year for year, _ in years))
    return str(timezone.localdate().year)


def visible_submissions(*, user: object) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(view_scope(user).q("region__"))
        .select_related("region", "region__parent", "step", "verified_by", "submitted_by")
        .order_by("region_id", "period")
    )


def submission_get(*, user: object, pk: int) -> Submission:
    submission = visible_submissions(user=user).filter(pk=pk).first()
    if submission is None:
        raise Http404(pk)
    return submission


def review_queue(*, user: object) -> QuerySet[Submission]:
    """Submissions the user may act on as verifier (the level above them)."""
    if is_central_admin(user):
        return visible_submissions(user=user)
    roots = rules.verify_roots(user)
    if not roots:
        return Submission.objects.none()
    condition = Q()
    for root in roots:
        # Strictly below the root: the region's parent lies in the root's subtree.
        condition |= subtree_q(root, prefix="region__parent__")
    return visible_submissions(user=user).filter(condition)


def inbox_parents(*, user: object) -> list[Region]:
    """The regions whose children the user verifies (their verifier roots)."""
    roots = rules.verify_roots(user)
    return list(active_regions().filter(code__in=roots).order_by("code"))


@dataclass
class InboxRow:
    region: Region
    submission: Submission | None
    completeness: float | None
    days_late: int
    changes_since_verified: int

    @property
    def status(self) -> str:
        return self.submission.status if self.submission else MISSING

    @property
    def can_verify(self) -> bool:
        return self.status == Submission.Status.SUBMITTED


@dataclass
class Inbox:
    parent: Region | None
    period: str
    rows: list[InboxRow]
    parents: list[Region] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def inbox(*, user: object, parent_code: str | None, period: str) -> Inbox:
    """Every child of a region the user verifies: status, completeness, lateness, changes.

    A constant number of queries, however many children.
    """
    parents = inbox_parents(user=user)
    if parent_code is None:
        if not parents and not is_central_admin(user):
            raise Http404("no region to verify")
        parent = parents[0] if parents else None
    else:
        parent = active_regions().filter(code=parent_code).first()
        if parent is None or not (
            is_central_admin(user) or rules._covers(rules.verify_roots(user), parent.code)
        ):
            raise Http404(parent_code)
    children = list(
        active_regions().filter(parent=parent).order_by("code")
        if parent is not None
        else active_regions().filter(level=Level.PROVINCE).order_by("code")
    )
    step = measures.coverage_step(int(period[:4]))
    submissions = {
        s.region_id: s
        for s in Submission.objects.filter(
            region__in=[c.code for c in children], period=period, step=step
        ).select_related("verified_by")
    }
    # Expected cells come from each kecamatan's reporting duties (never above 100%).
    completeness: dict[str, measures.Completeness] = {}
    if parent is not None and parent.level == Level.DISTRICT:
        completeness = measures.district_completeness(district_code=parent.code, period=period)
    changes = _changes_since_verified(list(submissions.values()), period=period)
    now = timezone.now()
    rows = []
    for child in children:
        submission = submissions.get(child.code)
        due = measures.deadline(step=step, region=child, period=period) if step else None
        found = completeness.get(child.code) if child.level == Level.SUBDISTRICT else None
        percent = found.percent if found is not None else None
        rows.append(
            InboxRow(
                region=child,
                submission=submission,
                completeness=percent,
                days_late=measures.days_late(
                    submitted_at=submission.first_submitted_at if submission else None,
                    due=due,
                    now=now,
                ),
                changes_since_verified=changes.get(child.code, 0),
            )
        )
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    return Inbox(parent=parent, period=period, rows=rows, parents=parents, counts=counts)


def _changes_since_verified(submissions: list[Submission], *, period: str) -> dict[str, int]:
    """Value changes after each verification, per region, in one query."""
    condition = Q()
    for submission in submissions:
        if submission.verified_at is None:
            continue
        code = submission.region_id
        # A kecamatan's desa values, or a region's own values.
        region_q = Q(value__region__parent_id=code) | Q(value__region_id=code)
        condition |= region_q & Q(changed_at__gt=submission.verified_at)
    if not condition:
        return {}
    changes = CoverageValueChange.objects.filter(condition, value__period=period)
    codes = [s.region_id for s in submissions]
    if all(len(code) >= 5 for code in codes):
        # Kab/kota and kecamatan reports: only that part of the history is read (indexed).
        changes = changes.filter(value__region__district_code__in={c[:5] for c in codes})
    rows = changes.values("value__region__parent_id", "value__region_id").annotate(n=Count("pk"))
    wanted = {s.region_id for s in submissions}
    result: dict[str, int] = {}
    for row in rows:
        for code in (row["value__region_id"], row["value__region__parent_id"]):
            if code in wanted:
                result[code] = result.get(code, 0) + row["n"]
    return result


@dataclass
class SubmitPanel:
    region: Region
    period: str
    submission: Submission | None
    completeness: measures.Completeness
    warnings: list[str]
    can_submit: bool
    deadline: datetime.datetime | None
    on_time: bool | None


def submit_panel(*, user: object, region: Region, period: str) -> SubmitPanel:
    from aksi.review.services import submission_warnings

    step = measures.coverage_step(int(period[:4]))
    submission = (
        Submission.objects.filter(region=region, period=period, step=step)
        .select_related("submitted_by", "verified_by")
        .first()
    )
    may_submit = bool(user.has_perm("review.submit_region", region))  # type: ignore[attr-defined]
    status = submission.status if submission else Submission.Status.DRAFT
    due = measures.deadline(step=step, region=region, period=period) if step else None
    return SubmitPanel(
        region=region,
        period=period,
        submission=submission,
        completeness=measures.subdistrict_completeness(subdistrict=region, period=period),
        warnings=submission_warnings(region=region, period=period),
        can_submit=may_submit
        and step is not None
        and Submission.Status.SUBMITTED in Submission.TRANSITIONS[status],
        deadline=due,
        on_time=(
            measures.is_on_time(submitted_at=submission.first_submitted_at, due=due)
            if submission and submission.first_submitted_at
            else None
        ),
    )


def recent_notices(*, user: object, days: int = 14, limit: int = 5) -> list[Notice]:
    """The user's reminders of the last two weeks, newest first."""
    since = timezone.localdate() - datetime.timedelta(days=days)
    return list(Notice.objects.filter(user=user, created_on__gte=since)[:limit])
