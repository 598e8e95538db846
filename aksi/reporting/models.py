from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
