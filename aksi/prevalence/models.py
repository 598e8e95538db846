"""Stunting prevalence from two kinds of source, stored apart and never mixed (DOMAIN §6.3).

* Survey (`SurveyPrevalence`): SSGI / SKI (and the older Riskesdas / SSGBI) — a published
  percentage from a household sample, for Indonesia, a province or a kab/kota, per year. The
  official figure for targets.
* Administrative (`AdministrativeCount`): e-PPGBM counts per desa per period, from by-name
  measurement at the posyandu. Counts, not percentages: the prevalence of a desa or of any
  region above it is (stunted + severely stunted) ÷ measured over the desa it holds, and the N
  (children measured) is shown beside it.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SurveySource(models.TextChoices):
    RISKESDAS = "riskesdas", "Riskesdas"
    SSGBI = "ssgbi", "SSGBI"
    SSGI = "ssgi", "SSGI"
    SKI = "ski", "SKI"


class AdministrativeSource(models.TextChoices):
    EPPGBM = "eppgbm", "e-PPGBM"


class SurveyPrevalence(models.Model):
    """A published survey prevalence: % of under-fives with height-for-age below −2 SD."""

    # NULL is Indonesia; otherwise a province or a kab/kota.
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    source = models.CharField(_("survey"), max_length=12, choices=SurveySource.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    prevalence = models.DecimalField(
        _("prevalence (%)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    sample_size = models.PositiveIntegerField(_("children in the sample"), null=True, blank=True)
    source_url = models.URLField(_("where it was published"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "source"]
        verbose_name = _("survey prevalence")
        verbose_name_plural = _("survey prevalence")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "source", "year"],
                condition=Q(region__isnull=False),
                name="survey_prevalence_region_unique",
            ),
            models.UniqueConstraint(
                fields=["source", "year"],
                condition=Q(region__isnull=True),
                name="survey_prevalence_national_unique",
            ),
            models.CheckConstraint(
                condition=Q(prevalence__gte=0) & Q(prevalence__lte=100),
                name="survey_prevalence_percent",
            ),
        ]

    def __str__(self) -> str:
        where = self.region_id or "ID"
        return f"{where} {self.get_source_display()} {self.year}: {self.prevalence}%"


class AdministrativeCount(models.Model):
    """e-PPGBM counts of one desa/kelurahan for one period (a weighing month such as 202408,
    a semester or a year).

    `stunted_count` is *pendek* only (−3 SD ≤ height-for-age < −2 SD) and
    `severely_stunted_count` is *sangat pendek* (< −3 SD): the two never overlap, so stunting
    (the prevalence numerator) is their sum, and that sum cannot exceed `measured_count`.
    """

    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("village"),
    )
    period = models.CharField(_("period"), max_length=8)
    source = models.CharField(
        _("source"),
        max_length=12,
        choices=AdministrativeSource.choices,
        default=AdministrativeSource.EPPGBM,
    )
    targeted_count = models.PositiveIntegerField(_("children under five targeted"), null=True)
    measured_count = models.PositiveIntegerField(_("children measured"))
    stunted_count = models.PositiveIntegerField(_("stunted (pendek)"))
    severely_stunted_count = models.PositiveIntegerField(_("severely stunted (sangat pendek)"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region_id", "period"]
        verbose_name = _("e-PPGBM count")
        verbose_name_plural = _("e-PPGBM counts")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "period", "source"], name="administrative_count_unique"
            ),
            models.CheckConstraint(
                condition=Q(
                    measured_count__gte=models.F("stunted_count")
                    + models.F("severely_stunted_count")
                ),
                name="administrative_count_within_measured",
            ),
        ]
        indexes = [models.Index(fields=["period", "source"], name="administrative_period")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.period}: {self.stunted_count}+{self.severely_stunted_count}"
