"""The yearly framework of actions and the versioned indicator catalogue.

Everything here changes by year and ships as data files (`aksi/catalogue/data/`), loaded with
`aksi catalogue load`; nothing in code names a particular indicator or step.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from aksi.regions.models import Level


class ActionFramework(models.Model):
    """A set of convergence actions in force for a span of years (8 aksi, 4+2 aksi)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    # The framework that replaced this one; `Action.successor_codes` name its actions.
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("replaced by"),
    )

    class Meta:
        ordering = ["first_year"]
        verbose_name = _("action framework")

    def __str__(self) -> str:
        return self.name


class Action(models.Model):
    class Kind(models.TextChoices):
        MAIN_ACTION = "main_action", _("Main action")
        SUPPORTING_ACTION = "supporting_action", _("Supporting action")
        ACTION = "action", _("Action")

    framework = models.ForeignKey(ActionFramework, on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    lead = models.CharField(_("lead"), max_length=200, blank=True)
    # Codes of the actions of the next framework this one maps to (old 8 aksi → 4+2).
    successor_codes = models.JSONField(_("continued as"), default=list, blank=True)
    successor_note = models.CharField(_("note on the mapping"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="action_code_per_framework")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Pillar(models.Model):
    """A pillar (5, Perpres 72/2021 Art. 6) or objective (6) of the national strategy."""

    class Kind(models.TextChoices):
        PILLAR = "pillar", _("Pillar")
        OBJECTIVE = "objective", _("Objective")

    code = models.CharField(_("code"), max_length=10, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["kind", "number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Step(models.Model):
    """A step of an action: who does it and its default window in the year."""

    framework = models.ForeignKey(ActionFramework, on_delete=models.CASCADE, related_name="steps")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="steps")
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    deliverable = models.CharField(_("deliverable"), max_length=300, blank=True)
    # Region levels that carry out the step: province, district, subdistrict.
    levels = models.JSONField(_("levels"), default=list)
    # Default window as month-day ("01-01"); due may fall in the next year (3d: Dec–Jan).
    opens_on = models.CharField(_("opens"), max_length=5, blank=True)
    due_on = models.CharField(_("due"), max_length=5, blank=True)
    due_year_offset = models.PositiveSmallIntegerField(default=0)
    is_continuous = models.BooleanField(_("all year"), default=False)
    pillars = models.ManyToManyField(Pillar, blank=True, related_name="steps")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="step_code_per_framework")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def level_labels(self) -> list[str]:
        return [str(Level(level).label) for level in self.levels if level in Level.values]

    def window(self, year: int) -> tuple[datetime.date, datetime.date] | None:
        """The default window of the step in a reporting year, or None when not set."""
        if not (self.opens_on and self.due_on):
            return None
        opens_month, opens_day = (int(part) for part in self.opens_on.split("-"))
        due_month, due_day = (int(part) for part in self.due_on.split("-"))
        return (
            datetime.date(year, opens_month, opens_day),
            datetime.date(year + self.due_year_offset, due_month, due_day),
        )


class TargetGroup(models.Model):
    """A target group (sasaran), a small tree with age bounds so denominators can be derived."""

    class Sex(models.TextChoices):
        ANY = "any", _("Any")
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    age_min_months = models.PositiveSmallIntegerField(null=True, blank=True)
    age_max_months = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(max_length=6, choices=Sex.choices, default=Sex.ANY)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def root(self) -> TargetGroup:
        """The top-level group (the 2025 grouping); follows already fetched parents."""
        group = self
        while group.parent is not None:
            group = group.parent
        return group


class IndicatorCatalogue(models.Model):
    """One year's version of the indicator catalogue."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Origin(models.TextChoices):
        FILE = "file", _("Shipped data file")
        COPY = "copy", _("Copy of an earlier year")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    origin = models.CharField(max_length=6, choices=Origin.choices)
    source = models.TextField(_("source"), blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="copies"
    )
    # Fingerprint of the data file it was loaded from; edits in the app clear `as_shipped`.
    file_fingerprint = models.CharField(max_length=64, blank=True)
    as_shipped = models.BooleanField(_("as shipped"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    class InterventionType(models.TextChoices):
        SPECIFIC = "specific", _("Specific")
        SENSITIVE = "sensitive", _("Sensitive")

    class IndicatorClass(models.TextChoices):
        ESSENTIAL = "essential", _("Essential service")
        SUPPLY = "supply", _("Supply")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class Certainty(models.TextChoices):
        ANNEX_A = "A", _("Perpres 72/2021 Annex A")
        EVIDENCED = "E", _("Evidenced in regional forms")
        PLAUSIBLE = "P", _("Plausible addition")

    class EntryLevel(models.TextChoices):
        VILLAGE = "village", _("Village")
        SUBDISTRICT = "subdistrict", _("Subdistrict")
        DISTRICT = "district", _("Regency/City")

    class DenominatorSource(models.TextChoices):
        DUKCAPIL = "dukcapil", _("Dukcapil population")
        PROGRAM_ESTIMATE = "program_estimate", _("Programme estimate")
        TARGET_GROUP_DATA = "target_group_data", _("Target-group data")
        EPPGBM = "eppgbm", _("e-PPGBM cases found")
        BKKBN_FAMILY_DATA = "bkkbn_family_data", _("BKKBN family data")
        DTSEN = "dtsen", _("DTSEN social register")
        REGION_MASTER = "region_master", _("Number of villages")
        SURVEY = "survey", _("Survey")

    catalogue = models.ForeignKey(
        IndicatorCatalogue, on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=300)
    target_group = models.ForeignKey(
        TargetGroup,
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("target group"),
    )
    target_group_label = models.CharField(_("target group (as worded)"), max_length=120)
    intervention_type = models.CharField(
        _("intervention type"), max_length=10, choices=InterventionType.choices
    )
    indicator_class = models.CharField(
        _("class"), max_length=10, choices=IndicatorClass.choices, default=IndicatorClass.ESSENTIAL
    )
    sectors = models.JSONField(_("responsible sectors"), default=list)
    certainty = models.CharField(_("certainty"), max_length=1, choices=Certainty.choices)
    national_target = models.DecimalField(
        _("national target"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    # The year the national target refers to (the 2025 catalogue quotes the 2024 targets).
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    target_note = models.CharField(_("target note"), max_length=300, blank=True)
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices)
    unit = models.CharField(_("unit"), max_length=12, default="percent")
    numerator_definition = models.TextField(_("numerator"))
    denominator_definition = models.TextField(_("denominator"))
    denominator_source = models.CharField(
        _("denominator source"), max_length=20, choices=DenominatorSource.choices
    )
    entry_level = models.CharField(
        _("entry level"), max_length=12, choices=EntryLevel.choices, default=EntryLevel.VILLAGE
    )
    # 0/1 per desa indicators (ODF, food safety): each desa counts 0 or 1 of 1.
    is_binary = models.BooleanField(_("yes/no per village"), default=False)
    replaces = models.CharField(_("replaces"), max_length=10, blank=True)
    help_text = models.TextField(_("help"), blank=True)
    pillars = models.ManyToManyField(Pillar, blank=True, related_name="indicators")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["catalogue", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["catalogue", "code"], name="indicator_code_per_catalogue"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def certainty_help(self) -> str:
        return str(CERTAINTY_HELP.get(self.certainty, ""))

    @property
    def denominator_source_help(self) -> str:
        return str(DENOMINATOR_SOURCE_HELP.get(self.denominator_source, ""))

    @property
    def sector_labels(self) -> list[str]:
        from aksi.reporting.models import Sector  # reporting builds on the catalogue

        return [str(Sector(key).label) if key in Sector.values else key for key in self.sectors]


class SupportingItem(models.Model):
    """An item of supporting data (data pendukung) of a catalogue version: a count, a yes/no or
    an amount in rupiah per desa or per kecamatan (posyandu, cadres, PAUD, TPPS desa …)."""

    class Unit(models.TextChoices):
        COUNT = "count", _("Count")
        YES_NO = "yes_no", _("Yes/no")
        RUPIAH = "rupiah", _("Rupiah")

    class EntryLevel(models.TextChoices):
        VILLAGE = "village", _("Village")
        SUBDISTRICT = "subdistrict", _("Subdistrict")

    catalogue = models.ForeignKey(
        IndicatorCatalogue, on_delete=models.CASCADE, related_name="supporting_items"
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=300)
    sector = models.CharField(_("sector"), max_length=24)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    entry_level = models.CharField(
        _("entry level"), max_length=12, choices=EntryLevel.choices, default=EntryLevel.VILLAGE
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    help_text = models.TextField(_("help"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["catalogue", "order"]
        verbose_name = _("supporting item")
        verbose_name_plural = _("supporting items")
        constraints = [
            models.UniqueConstraint(
                fields=["catalogue", "code"], name="supporting_item_code_per_catalogue"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


CERTAINTY_HELP = {
    Indicator.Certainty.ANNEX_A: _(
        "One of the 20 coverage indicators in Annex A of Perpres 72/2021, with a 2024 target: "
        "certainly national."
    ),
    Indicator.Certainty.EVIDENCED: _(
        "Found in regional situation-analysis forms and presentations of 2023–2025."
    ),
    Indicator.Certainty.PLAUSIBLE: _(
        "A plausible addition to reach 31 indicators; the official list may differ."
    ),
}

DENOMINATOR_SOURCE_HELP = {
    Indicator.DenominatorSource.DUKCAPIL: _(
        "Population by village, age and sex from the civil registry (Dukcapil)."
    ),
    Indicator.DenominatorSource.PROGRAM_ESTIMATE: _(
        "Programme estimates projected from population figures."
    ),
    Indicator.DenominatorSource.TARGET_GROUP_DATA: _(
        "Counts from the target-group registers entered in the situation analysis."
    ),
    Indicator.DenominatorSource.EPPGBM: _(
        "Cases found and recorded in e-PPGBM, the health ministry's growth-monitoring system."
    ),
    Indicator.DenominatorSource.BKKBN_FAMILY_DATA: _(
        "BKKBN family data (family census, SIGA), verified."
    ),
    Indicator.DenominatorSource.DTSEN: _(
        "The national social and economic register DTSEN (formerly DTKS)."
    ),
    Indicator.DenominatorSource.REGION_MASTER: _(
        "The number of villages (desa/kelurahan) in the region list."
    ),
    Indicator.DenominatorSource.SURVEY: _("Respondents of a survey."),
}


class NationalTarget(models.Model):
    """A national target for a year (stunting prevalence 14% in 2024, 18.8% in 2025 …)."""

    metric = models.SlugField(_("metric"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=6, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=12, default="percent")
    source = models.CharField(_("source"), max_length=300)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["metric", "year"]
        constraints = [
            models.UniqueConstraint(fields=["metric", "year"], name="national_target_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.year}: {self.value}"


class ReportingYear(models.Model):
    """A reporting (fiscal) year: which framework and catalogue version it uses."""

    class Status(models.TextChoices):
        PLANNING = "planning", _("Being prepared")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    framework = models.ForeignKey(ActionFramework, on_delete=models.PROTECT, related_name="years")
    catalogue = models.ForeignKey(
        IndicatorCatalogue, on_delete=models.PROTECT, null=True, blank=True, related_name="years"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CatalogueLoad(models.Model):
    """One run of `aksi catalogue load` that changed something; its fingerprint makes re-runs
    cheap (same files, nothing to do)."""

    loaded_at = models.DateTimeField(auto_now_add=True)
    fingerprint = models.CharField(max_length=64)
    data_dir = models.CharField(max_length=500)
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-loaded_at", "-id"]
        get_latest_by = "loaded_at"

    def __str__(self) -> str:
        return f"catalogue data files {self.fingerprint[:12]}"
