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

    # No index of its own: the unique key (indicator, region, period) starts with it.
    indicator = models.ForeignKey(
        "catalogue.Indicator", on_delete=models.PROTECT, related_name="values", db_index=False
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


class CountSource(models.TextChoices):
    """Where a target-group count comes from (DOMAIN §6.1, §6.4)."""

    ENTERED = "entered", _("Entered")
    DUKCAPIL = "dukcapil", _("Dukcapil (civil registry)")
    OTHER = "other", _("Other source")


class TargetGroupCount(models.Model):
    """Data sasaran: how many people of a target group live in a desa, for a period."""

    target_group = models.ForeignKey(
        "catalogue.TargetGroup",
        on_delete=models.PROTECT,
        related_name="counts",
        verbose_name=_("target group"),
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=8)
    count = models.PositiveBigIntegerField(_("count"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=CountSource.choices, default=CountSource.ENTERED
    )
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.ENTERED)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("target-group count")
        verbose_name_plural = _("target-group counts")
        constraints = [
            models.UniqueConstraint(
                fields=["target_group", "region", "period"], name="target_group_count_unique"
            )
        ]
        indexes = [models.Index(fields=["period", "region"], name="tg_count_period_region")]

    def __str__(self) -> str:
        return f"{self.target_group_id} {self.region_id} {self.period}: {self.count}"


class TargetGroupCountChange(models.Model):
    """The history of one count: who changed it, when, how, from what to what."""

    value = models.ForeignKey(TargetGroupCount, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    via = models.CharField(max_length=10, choices=Origin.choices)
    old_count = models.PositiveBigIntegerField(null=True)
    new_count = models.PositiveBigIntegerField(null=True)
    old_source = models.CharField(max_length=10, blank=True)
    new_source = models.CharField(max_length=10, choices=CountSource.choices)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.value_id}: {self.old_count} → {self.new_count}"


class SupportingValue(models.Model):
    """Data pendukung: one supporting item of a desa (or of a kecamatan) for a period.

    `value` is a count, 1/0 for a yes/no item, or whole rupiah; None is "not filled"."""

    item = models.ForeignKey(
        "catalogue.SupportingItem",
        on_delete=models.PROTECT,
        related_name="values",
        verbose_name=_("supporting item"),
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=8)
    value = models.PositiveBigIntegerField(_("value"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.ENTERED)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("supporting value")
        verbose_name_plural = _("supporting values")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "region", "period"], name="supporting_value_unique"
            )
        ]
        indexes = [models.Index(fields=["period", "region"], name="supporting_period_region")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.region_id} {self.period}: {self.value}"


class SupportingValueChange(models.Model):
    """The history of one supporting value: who changed it, when, how, from what to what."""

    value = models.ForeignKey(SupportingValue, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    via = models.CharField(max_length=10, choices=Origin.choices)
    old_value = models.PositiveBigIntegerField(null=True)
    new_value = models.PositiveBigIntegerField(null=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.value_id}: {self.old_value} → {self.new_value}"


class ValidationRule(models.Model):
    """A check over the items of one desa: `left ⟨operator⟩ right`, per catalogue version.

    Expressions are sums and differences of integer constants and item references
    (`BL-01.numerator`, `BL-01.denominator`, `target_group.child_under_five`); see
    aksi.reporting.validation. Errors block the submission; warnings need a comment.
    """

    class Operator(models.TextChoices):
        LE = "<=", "≤"
        LT = "<", "<"
        EQ = "=", "="
        GE = ">=", "≥"
        GT = ">", ">"

    class Severity(models.TextChoices):
        ERROR = "error", _("Error: blocks the submission")
        WARNING = "warning", _("Warning: needs a comment")

    catalogue = models.ForeignKey(
        "catalogue.IndicatorCatalogue",
        on_delete=models.CASCADE,
        related_name="validation_rules",
        verbose_name=_("catalogue"),
    )
    code = models.SlugField(_("code"), max_length=40)
    left = models.CharField(_("left side"), max_length=300)
    operator = models.CharField(_("operator"), max_length=2, choices=Operator.choices)
    right = models.CharField(_("right side"), max_length=300)
    severity = models.CharField(
        _("severity"), max_length=8, choices=Severity.choices, default=Severity.WARNING
    )
    message = models.CharField(_("message"), max_length=300)
    is_active = models.BooleanField(_("active"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["catalogue", "code"]
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="validation_rule_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.left} {self.operator} {self.right}"


class ReportingDuty(models.Model):
    """Who reports what: a unit (or, without one, the region's own operators) reports these
    indicators, target groups and supporting items for the desa of a region, for a step, from–to.

    A duty applies to every period of its year whose dates meet [valid_from, valid_to] (or only
    to `period` when set), so a unit that opened mid-year is expected only from then on.
    Generated from the catalogue and the region's units (`reporting_duties_generate`); an
    admin's edit marks it `edited`, and regeneration leaves it alone.
    """

    class Origin(models.TextChoices):
        GENERATED = "generated", _("Generated")
        EDITED = "edited", _("Edited by an admin")

    year = models.PositiveSmallIntegerField(_("year"))
    step = models.ForeignKey("catalogue.Step", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=8, blank=True)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    unit = models.ForeignKey(
        ReportingUnit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="duties",
        verbose_name=_("reporting unit"),
    )
    indicators = models.ManyToManyField(
        "catalogue.Indicator", blank=True, related_name="+", verbose_name=_("indicators")
    )
    target_groups = models.ManyToManyField(
        "catalogue.TargetGroup", blank=True, related_name="+", verbose_name=_("target groups")
    )
    supporting_items = models.ManyToManyField(
        "catalogue.SupportingItem", blank=True, related_name="+", verbose_name=_("supporting data")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.GENERATED)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "region_id", "unit_id"]
        verbose_name = _("reporting duty")
        verbose_name_plural = _("reporting duties")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "step", "period", "region", "unit"],
                name="reporting_duty_unique",
            )
        ]
        indexes = [models.Index(fields=["year", "region"], name="duty_year_region")]

    def __str__(self) -> str:
        return f"{self.year} {self.region_id} {self.unit_id or '-'}"


class EntryMode(models.TextChoices):
    DISTRICT = "district", _("The regency/city OPD enter for every subdistrict")
    PILOT = "pilot", _("Selected subdistricts enter for themselves (pilot)")
    ALL = "all", _("Every subdistrict enters for itself")


class SubdistrictEntry(models.Model):
    """A kab/kota's switch for kecamatan-level entry. Without a row every kecamatan enters
    (AKSI_SUBDISTRICT_ENTRY_DEFAULT). Switching touches no value: whoever may enter sees them."""

    district = models.OneToOneField(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        primary_key=True,
        verbose_name=_("regency/city"),
    )
    mode = models.CharField(_("mode"), max_length=10, choices=EntryMode.choices)
    pilot_subdistricts = models.ManyToManyField(
        "regions.Region", blank=True, related_name="+", verbose_name=_("pilot subdistricts")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("subdistrict entry setting")

    def __str__(self) -> str:
        return f"{self.district_id}: {self.mode}"
