"""Submissions of reported data and their verification (DOMAIN §7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InvalidTransition(Exception):
    """The submission cannot move from its current state to the one asked for."""

    def __init__(self, from_state: str, to_state: str) -> None:
        super().__init__(f"{from_state} → {to_state}")
        self.from_state, self.to_state = from_state, to_state


class Submission(models.Model):
    """One region's data for one step and period, handed to the level above for verification.

    A kecamatan submits the values of its desa; a kab/kota or province its own consolidation.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        VERIFIED = "verified", _("Verified")
        RETURNED = "returned", _("Returned")
        REOPENED = "reopened", _("Reopened")

    # Which state may follow which; anything else raises InvalidTransition.
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.DRAFT: frozenset({Status.SUBMITTED}),
        Status.SUBMITTED: frozenset({Status.VERIFIED, Status.RETURNED}),
        Status.RETURNED: frozenset({Status.SUBMITTED}),
        Status.VERIFIED: frozenset({Status.REOPENED}),
        Status.REOPENED: frozenset({Status.SUBMITTED}),
    }
    # Values under a submission in these states cannot change.
    LOCKING: frozenset[str] = frozenset({Status.SUBMITTED, Status.VERIFIED})

    step = models.ForeignKey("catalogue.Step", on_delete=models.PROTECT, related_name="submissions")
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    period = models.CharField(_("period"), max_length=8)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("last submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned_reason = models.TextField(_("reason for return"), blank=True)
    # Completeness and warnings as they stood at the last submission.
    completeness = models.JSONField(_("completeness at submission"), default=dict, blank=True)

    class Meta:
        ordering = ["region_id", "period"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["step", "region", "period"], name="submission_unique_step_region_period"
            )
        ]
        indexes = [models.Index(fields=["period", "region"], name="submission_period_region")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.period} ({self.status})"

    @property
    def locks_values(self) -> bool:
        return self.status in self.LOCKING

    def can_move_to(self, to_state: str) -> bool:
        return to_state in self.TRANSITIONS.get(self.status, frozenset())

    def move_to(self, to_state: str) -> str:
        """Change the status in memory; returns the old one. Raises InvalidTransition."""
        if not self.can_move_to(to_state):
            raise InvalidTransition(self.status, to_state)
        old, self.status = self.status, to_state
        return old


class SubmissionEvent(models.Model):
    """One transition of a submission: who, when, from, to, and why."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    from_state = models.CharField(_("from"), max_length=10, choices=Submission.Status.choices)
    to_state = models.CharField(_("to"), max_length=10, choices=Submission.Status.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.from_state} → {self.to_state}"


class Notice(models.Model):
    """An in-app message to one user (a deadline reminder, an overdue report)."""

    class Kind(models.TextChoices):
        DEADLINE_SOON = "deadline_soon", _("Deadline soon")
        OVERDUE = "overdue", _("Overdue")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    region_code = models.CharField(max_length=13)
    period = models.CharField(max_length=8)
    message = models.TextField()
    link = models.CharField(max_length=200, blank=True)
    created_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One reminder of a kind per person, region and day: the command is safe to re-run.
            models.UniqueConstraint(
                fields=["user", "kind", "region_code", "period", "created_on"],
                name="notice_once_a_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.region_code} {self.created_on}"
