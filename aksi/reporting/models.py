from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aksi.lib.numbers import coverage_percent


class UnitKind(models.TextChoices):
    AGENCY = "agency", _("Regional agency (OPD)")
    HEALTH_CENTER = "health_center", _("Community health centre (puskesmas)")
    FAMILY_PLANNING_OFFICE = "family_planning_office", _("Family-planning office (PLKB)")
    SUBDISTRICT_OFFICE = "subdistrict_office", _("Subdistrict office")
    VILLAGE_OFFICE = "village_office", _("Village office")


class Sector(models.TextChoices):
    PLANNING = "planning", _("Planning")
    HEALTH = "health", _("Health")
    FAMILY_PLANNING = "family_planning", _("Family planning")
    SOCIAL = "social", _("Social affairs")
    VILLAGE_EMPOWERMENT = "village_empowerment", _("Village empowerment")
    EDUCATION = "education", _("Education")
    COMMUNICATION = "communication", _("Communication")
    PUBLIC_WORKS = "public_works", _("Public works (water, sanitation)")
    FOOD_SECURITY = "food_security", _("Food security")
    CIVIL_REGISTRY = "civil_registry", _("Civil registry")
    RELIGIOUS_AFFAIRS = "religious_affairs", _("Religious affairs")
    FOOD_DRUG = "food_drug", _("Food and drug control")
    SUBDISTRICT = "subdistrict", _("Subdistrict")


class ReportingUnit(models.Model):
    """An office that enters data: an OPD, a puskesmas, a PLKB office, a kecamatan office."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="units", verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=UnitKind.choices)
    sector = models.CharField(_("sector"), max_length=24, choices=Sector.choices)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    # A puskesmas may serve desa of two kecamatan.
    served_regions = models.ManyToManyField(
        "regions.Region", blank=True, related_name="serving_units", verbose_name=_("served areas")
    )
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active to"), null=True, blank=True)

    class Meta:
        ordering = ["region_id", "kind", "name"]
        verbose_name = _("reporting unit")
        verbose_name_plural = _("reporting units")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="unit_unique_name_in_region")
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class ValueStatus(models.TextChoices):
    VALUE = "value", _("Value")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    NO_DATA = "no_data", _("No data")


class Origin(models.TextChoices):
    ENTERED = "entered", _("Entered")
    IMPORTED = "imported", _("Imported")
    API = "api", _("API")


class CoverageValue(models.Model):
    """Numerator and denominator of one indicator for one region (a desa, mostly) and period."""

    indicator = models.ForeignKey(
        "catalogue.Indicator", on_delete=models.PROTECT, related_name="values"
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=8)
    unit = models.ForeignKey(
        ReportingUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="values"
    )
    numerator = models.PositiveBigIntegerField(_("numerator"), null=True, blank=True)
    denominator = models.PositiveBigIntegerField(_("denominator"), null=True, blank=True)
    denominator_source = models.CharField(_("denominator source"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ValueStatus.choices, default=ValueStatus.VALUE
    )
    note = models.TextField(_("note"), blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.ENTERED)
    # Optimistic concurrency: a save names the version it started from.
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region", "period"], name="coverage_value_unique"
            )
        ]
        indexes = [models.Index(fields=["period", "region"], name="coverage_period_region")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.region_id} {self.period}"

    @property
    def coverage(self) -> float | None:
        """Numerator ÷ denominator × 100, one decimal; no denominator → None, never 0."""
        if self.status != ValueStatus.VALUE:
            return None
        return coverage_percent(self.numerator, self.denominator)


class CoverageValueChange(models.Model):
    """The history of one value: who changed it, when, how, from what to what."""

    value = models.ForeignKey(CoverageValue, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    via = models.CharField(max_length=10, choices=Origin.choices)
    old_numerator = models.PositiveBigIntegerField(null=True)
    old_denominator = models.PositiveBigIntegerField(null=True)
    old_status = models.CharField(max_length=16, blank=True)
    new_numerator = models.PositiveBigIntegerField(null=True)
    new_denominator = models.PositiveBigIntegerField(null=True)
    new_status = models.CharField(max_length=16)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        old = f"{self.old_numerator}/{self.old_denominator}"
        return f"{self.value_id}: {old} → {self.new_numerator}/{self.new_denominator}"
