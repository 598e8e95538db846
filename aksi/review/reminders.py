"""Deadline reminders: before the deadline and when overdue, to the people concerned.

Run daily by cron or a systemd timer (`aksi reminders send`). Safe to re-run: a person gets at
most one notice of a kind per region and day (a unique constraint, not a check-then-insert).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from aksi.accounts.models import Role, RoleAssignment
from aksi.regions.models import Level, Region
from aksi.review import measures
from aksi.review.models import Notice, Submission

DONE = {Submission.Status.SUBMITTED, Submission.Status.VERIFIED}


@dataclass
class ReminderSummary:
    regions: int = 0
    notices: int = 0
    emails: int = 0

    def line(self) -> str:
        return (
            f"{self.regions:,} kecamatan due or overdue; {self.notices:,} notices and "
            f"{self.emails:,} e-mails sent."
        )


def reminders_send(
    *, period: str, days_before: int = 7, now: datetime.datetime | None = None
) -> ReminderSummary:
    """Remind operators and verifiers of every kecamatan whose report for `period` is not yet
    submitted, `days_before` days before the deadline and every day once it has passed."""
    now = now or timezone.now()
    step = measures.coverage_step(int(period[:4]))
    summary = ReminderSummary()
    if step is None:
        return summary
    indicator_ids = measures.village_indicator_ids(int(period[:4]))
    done = set(
        Submission.objects.filter(step=step, period=period, status__in=DONE).values_list(
            "region_id", flat=True
        )
    )
    # Kecamatan that report: those with an operator or verifier assigned.
    people: dict[str, list[RoleAssignment]] = {}
    assignments = (
        RoleAssignment.objects.current()
        .filter(role__in=[Role.OPERATOR, Role.VERIFIER], region__level=Level.SUBDISTRICT)
        .select_related("user", "region")
    )
    for assignment in assignments:
        if assignment.user.is_active:
            people.setdefault(assignment.region_id, []).append(assignment)
    messages: list[tuple[str, str, str | None, list[str]]] = []
    for code, concerned in sorted(people.items()):
        if code in done:
            continue
        region: Region = concerned[0].region  # type: ignore[assignment]
        due = measures.deadline(step=step, region=region, period=period)
        if due is None:
            continue
        if now > due:
            kind = Notice.Kind.OVERDUE
        elif due - now <= datetime.timedelta(days=days_before):
            kind = Notice.Kind.DEADLINE_SOON
        else:
            continue
        summary.regions += 1
        completeness = measures.subdistrict_completeness(
            subdistrict=region, period=period, indicator_ids=indicator_ids
        )
        link = reverse("reporting:grid", args=[period, code])
        for assignment in concerned:
            user = assignment.user
            with translation.override(settings.LANGUAGE_CODE):
                text = _message(kind, region, period, due, completeness)
            try:
                with transaction.atomic():
                    Notice.objects.create(
                        user=user,
                        kind=kind,
                        region_code=code,
                        period=period,
                        message=text,
                        link=link,
                        created_on=timezone.localdate(now),
                    )
            except IntegrityError:
                continue  # already reminded today
            summary.notices += 1
            if user.email:
                subject = _("Aksi: %(region)s, %(period)s") % {
                    "region": region.name,
                    "period": period,
                }
                body = f"{text}\n\n{settings.SITE_URL}{link}\n"
                messages.append((subject, body, None, [user.email]))
    if messages:
        # Sent after the notices are stored; a mail failure never loses a notice.
        summary.emails = send_mass_mail(messages, fail_silently=False)
    return summary


def _message(
    kind: str,
    region: Region,
    period: str,
    due: datetime.datetime,
    completeness: measures.Completeness,
) -> str:
    local_due = date_format(timezone.localtime(due, due.tzinfo), "j F Y H:i")
    missing = completeness.expected - completeness.filled
    values = {
        "region": region.name,
        "period": period,
        "due": local_due,
        "zone": region.time_zone_label,
        "filled": completeness.filled,
        "expected": completeness.expected,
        "missing": missing,
    }
    if kind == Notice.Kind.OVERDUE:
        return (
            _(
                "The %(period)s report of %(region)s was due on %(due)s %(zone)s and is not yet "
                "submitted. %(filled)s of %(expected)s cells are filled; %(missing)s are missing."
            )
            % values
        )
    return (
        _(
            "The %(period)s report of %(region)s is due on %(due)s %(zone)s. %(filled)s of "
            "%(expected)s cells are filled; %(missing)s are missing. Submit it for verification "
            "when ready."
        )
        % values
    )
