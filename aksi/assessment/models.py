"""Penilaian kinerja (DOMAIN §8): a province's yearly assessment of its kab/kota about the year
before. A round has a rubric (technical and panel items), scores given by the province's technical
team and the round's panelists, and results computed from them (never typed)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# DOMAIN §8.2 (assumption — keep configurable): each round stores its own copy.
DEFAULT_GRADE_SCALE: list[dict[str, Any]] = [
    {"grade": "A", "value": 100},
    {"grade": "B", "value": 75},
    {"grade": "C", "value": 50},
    {"grade": "D", "value": 25},
]
DEFAULT_TECHNICAL_WEIGHT = 60
DEFAULT_PANEL_WEIGHT = 40


def default_grade_scale() -> list[dict[str, Any]]:
    return [dict(entry) for entry in DEFAULT_GRADE_SCALE]


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCORING = "scoring", _("Scoring")
    CLOSED = "closed", _("Closed")
    PUBLISHED = "published", _("Published")


class Component(models.TextChoices):
    TECHNICAL = "technical", _("Technical team")
    PANEL = "panel", _("Panel")


class ItemSource(models.TextChoices):
    """Where an item's value comes from: graded by scorers, or computed from the reporting data
    of the assessed year (technical items only)."""

    GRADED = "graded", _("Graded by the scorers")
    PROGRESS_FILLED = "progress_filled", _("Computed: share of village values filled")
    PROGRESS_VERIFIED = "progress_verified", _("Computed: share of village values verified")


class InvalidTransition(Exception):
    """The round cannot move from its current state to the one asked for."""

    def __init__(self, from_state: str, to_state: str) -> None:
        super().__init__(f"{from_state} → {to_state}")
        self.from_state, self.to_state = from_state, to_state


class AssessmentRound(models.Model):
    # Which state may follow which; anything else raises InvalidTransition.
    # Going back is a correction: closed → scoring (reopened, with a reason) and published →
    # closed (publication withdrawn by the centre, with a reason); the services say who may.
    TRANSITIONS: dict[str, frozenset[str]] = {
        RoundStatus.DRAFT: frozenset({RoundStatus.SCORING}),
        RoundStatus.SCORING: frozenset({RoundStatus.CLOSED}),
        RoundStatus.CLOSED: frozenset({RoundStatus.PUBLISHED, RoundStatus.SCORING}),
        RoundStatus.PUBLISHED: frozenset({RoundStatus.CLOSED}),
    }

    province = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="assessment_rounds",
        verbose_name=_("province"),
    )
    conducted_year = models.PositiveSmallIntegerField(_("year of the assessment"))
    assessed_year = models.PositiveSmallIntegerField(_("year assessed"))
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    technical_weight = models.PositiveSmallIntegerField(
        _("weight of the technical component (%)"), default=DEFAULT_TECHNICAL_WEIGHT
    )
    panel_weight = models.PositiveSmallIntegerField(
        _("weight of the panel component (%)"), default=DEFAULT_PANEL_WEIGHT
    )
    # [{"grade": "A", "value": 100}, …] in the order shown; a list, since jsonb reorders keys.
    grade_scale = models.JSONField(_("grade scale"), default=default_grade_scale)
    blank_value = models.DecimalField(
        _("value of a blank grade"), max_digits=5, decimal_places=2, default=Decimal(0)
    )
    drop_extremes = models.BooleanField(
        _("drop the highest and lowest panelist (with three or more)"), default=False
    )
    participants = models.ManyToManyField(
        "regions.Region", related_name="+", verbose_name=_("participants"), blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    scoring_opened_at = models.DateTimeField(_("scoring opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set when the stored results no longer follow from the grades (the round was reopened, or
    # a grade changed after they were computed); cleared by computing them again.
    results_stale = models.BooleanField(_("results out of date"), default=False)

    class Meta:
        ordering = ["-conducted_year", "province_id"]
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        constraints = [
            # "Once a year" (DOMAIN §8.1): one round per province and year of assessment.
            models.UniqueConstraint(
                fields=["province", "conducted_year"], name="assessment_round_once_a_year"
            ),
            models.CheckConstraint(
                condition=Q(technical_weight__lte=100) & Q(panel_weight__lte=100),
                name="assessment_round_weights_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def grades(self) -> dict[str, Decimal]:
        """Grade letter → value, in the order of the scale."""
        return {str(e["grade"]): Decimal(str(e["value"])) for e in self.grade_scale}

    @property
    def grade_letters(self) -> list[str]:
        return [str(e["grade"]) for e in self.grade_scale]

    @property
    def is_draft(self) -> bool:
        return self.status == RoundStatus.DRAFT

    @property
    def is_scoring(self) -> bool:
        return self.status == RoundStatus.SCORING

    @property
    def is_published(self) -> bool:
        return self.status == RoundStatus.PUBLISHED

    def can_move_to(self, to_state: str) -> bool:
        return to_state in self.TRANSITIONS.get(self.status, frozenset())

    def move_to(self, to_state: str) -> str:
        """Change the status in memory; returns the old one. Raises InvalidTransition."""
        if not self.can_move_to(to_state):
            raise InvalidTransition(self.status, to_state)
        old, self.status = self.status, to_state
        return old

    def can_be_deleted(self, *, has_scores: bool) -> bool:
        """Only a draft that nobody has graded may go: anything later is history to keep."""
        return self.status == RoundStatus.DRAFT and not has_scores

    def ensure_deletable(self) -> None:
        """Raises InvalidTransition unless the round is a draft without scores (one query)."""
        if not self.can_be_deleted(has_scores=self.scores.exists()):
            raise InvalidTransition(self.status, "deleted")


class RubricItem(models.Model):
    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="items")
    component = models.CharField(_("component"), max_length=10, choices=Component.choices)
    code = models.CharField(_("code"), max_length=10)
    text = models.CharField(_("criterion"), max_length=500)
    guidance = models.TextField(_("how to grade"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=Decimal(1))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    source = models.CharField(
        _("value from"), max_length=20, choices=ItemSource.choices, default=ItemSource.GRADED
    )

    class Meta:
        ordering = ["round_id", "component", "order", "id"]
        verbose_name = _("rubric item")
        verbose_name_plural = _("rubric items")
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="rubric_item_code_per_round"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="rubric_item_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def is_computed(self) -> bool:
        return self.source != ItemSource.GRADED


class RoundPanelist(models.Model):
    """A user holding the `panelist` role in the province, assigned to score one round."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="panelists")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round_id", "id"]
        verbose_name = _("panelist of a round")
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="round_panelist_once")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.user}"


class Score(models.Model):
    """One scorer's grade of one rubric item for one participating kab/kota. An empty grade is a
    deliberate blank (worth the round's blank value)."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="scores")
    participant = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    item = models.ForeignKey(RubricItem, on_delete=models.CASCADE, related_name="scores")
    scorer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(_("grade"), max_length=3, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Raised by every change; a cell posts the version it showed, so a change made in between
    # (another tab) is reported instead of overwritten.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["round_id", "participant_id", "item_id", "scorer_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "participant", "scorer"], name="score_once_per_scorer"
            )
        ]
        indexes = [models.Index(fields=["round", "scorer"], name="score_round_scorer")]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.item_id} {self.grade or '—'}"


class AssessmentResult(models.Model):
    """A participant's computed scores and ranks; written only by results_compute."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="results")
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    technical = models.DecimalField(_("technical score"), max_digits=5, decimal_places=2)
    panel = models.DecimalField(_("panel score"), max_digits=5, decimal_places=2)
    total = models.DecimalField(_("total score"), max_digits=5, decimal_places=2)
    rank = models.PositiveSmallIntegerField(_("rank"))
    technical_rank = models.PositiveSmallIntegerField(_("technical rank"))
    panel_rank = models.PositiveSmallIntegerField(_("panel rank"))
    # The computed input of the technical component (reporting progress of the assessed year).
    progress_percent = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    panelists_counted = models.PositiveSmallIntegerField(default=0)
    panelists_dropped = models.PositiveSmallIntegerField(default=0)
    # How the numbers came about, for the score sheet: item values by code, each panelist's
    # panel score and whether it was dropped, the computed inputs.
    details = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        ordering = ["round_id", "rank", "region_id"]
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")
        constraints = [
            models.UniqueConstraint(fields=["round", "region"], name="assessment_result_once")
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.region_id} #{self.rank}"
