"""Forms of the catalogue pages: they check shape and range only; services do the writing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aksi.catalogue.models import Indicator, IndicatorCatalogue, Pillar, TargetGroup
from aksi.reporting.models import Sector

# Non-breaking spaces indent sub-groups inside a <select>, which ignores ordinary spaces.
INDENT = "\u00a0\u00a0\u00a0"


class ServiceErrorsMixin(forms.Form):
    def add_service_error(self, error: ValidationError) -> None:
        """Attach a service's ValidationError to the fields it names."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            if field in self.fields:
                self.add_error(field, messages)
            else:
                self.add_error(None, [f"{field}: {m}" for m in messages])


def _with_all(label: str | Any, choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class IndicatorFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    target_group = forms.ChoiceField(label=_("Target group"), required=False)
    intervention_type = forms.ChoiceField(
        label=_("Intervention type"),
        required=False,
        choices=_with_all(_("Specific and sensitive"), Indicator.InterventionType.choices),
    )
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=_with_all(_("All sectors"), Sector.choices)
    )
    certainty = forms.ChoiceField(
        label=_("Certainty"),
        required=False,
        choices=_with_all(_("All"), Indicator.Certainty.choices),
    )

    def __init__(
        self,
        *args: Any,
        catalogues: list[IndicatorCatalogue],
        groups: list[tuple[TargetGroup, int]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(c.year, str(c.year)) for c in catalogues]
        self.fields["target_group"].choices = _with_all(
            _("All target groups"), [(g.code, INDENT * depth + g.name) for g, depth in groups]
        )

    def filters(self) -> dict[str, str]:
        """The valid filters (an invalid one is dropped and shown as an error)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        keys = ("target_group", "intervention_type", "sector", "certainty")
        return {key: data[key] for key in keys if data.get(key)}


class CatalogueCopyForm(ServiceErrorsMixin):
    source = forms.TypedChoiceField(label=_("Copy from"), coerce=int)
    year = forms.IntegerField(label=_("For the year"), min_value=2000, max_value=2100)
    name = forms.CharField(
        label=_("Name of the new version"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to take the name of the source with the new year."),
    )

    def __init__(self, *args: Any, catalogues: list[IndicatorCatalogue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Versions are chosen by year (unique); the page has them already, so no extra query.
        self.fields["source"].choices = [(c.year, f"{c.year} — {c.name}") for c in catalogues]


class IndicatorForm(ServiceErrorsMixin):
    """The editable fields of an indicator in a draft catalogue (see services.EDITABLE_FIELDS)."""

    name = forms.CharField(
        label=_("Name"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    target_group = forms.ModelChoiceField(
        label=_("Target group"), queryset=TargetGroup.objects.none()
    )
    target_group_label = forms.CharField(
        label=_("Target group (as worded)"),
        max_length=120,
        help_text=_("The target group as the indicator list words it, e.g. “Ibu hamil KEK”."),
    )
    intervention_type = forms.ChoiceField(
        label=_("Intervention type"), choices=Indicator.InterventionType.choices
    )
    indicator_class = forms.ChoiceField(label=_("Class"), choices=Indicator.IndicatorClass.choices)
    sectors = forms.MultipleChoiceField(
        label=_("Responsible sectors"),
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    certainty = forms.ChoiceField(label=_("Certainty"), choices=Indicator.Certainty.choices)
    national_target = forms.DecimalField(
        label=_("National target (%)"),
        max_digits=6,
        decimal_places=2,
        min_value=0,
        required=False,
        localize=True,
    )
    target_year = forms.IntegerField(
        label=_("Target year"), min_value=2000, max_value=2100, required=False
    )
    target_note = forms.CharField(label=_("Note on the target"), max_length=300, required=False)
    direction = forms.ChoiceField(label=_("Direction"), choices=Indicator.Direction.choices)
    numerator_definition = forms.CharField(
        label=_("Numerator"), widget=forms.Textarea(attrs={"rows": 3})
    )
    denominator_definition = forms.CharField(
        label=_("Denominator"), widget=forms.Textarea(attrs={"rows": 3})
    )
    denominator_source = forms.ChoiceField(
        label=_("Denominator source"), choices=Indicator.DenominatorSource.choices
    )
    entry_level = forms.ChoiceField(label=_("Entry level"), choices=Indicator.EntryLevel.choices)
    is_binary = forms.BooleanField(
        label=_("Yes/no per village (each village counts 0 or 1)"), required=False
    )
    pillars = forms.ModelMultipleChoiceField(
        label=_("Pillars and objectives"),
        queryset=Pillar.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    help_text = forms.CharField(
        label=_("Help for data entry"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_group"].queryset = TargetGroup.objects.order_by("order", "code")
        # The decimal mark follows the language: 15,5 in Indonesian, 15.5 in English.
        self.fields["national_target"].help_text = gettext(
            "Leave empty when there is no national target. Write decimals as %(example)s."
        ) % {"example": number_format(Decimal("15.5"), 1)}
        # The five pillars first ("pillar" sorts after "objective"), then the six objectives.
        self.fields["pillars"].queryset = Pillar.objects.order_by("-kind", "number")
        self.fields["pillars"].label_from_instance = lambda p: f"{p.code} {p.short_name or p.name}"

    @classmethod
    def initial_for(cls, indicator: Indicator) -> dict[str, Any]:
        initial = {name: getattr(indicator, name) for name in cls.base_fields if name != "pillars"}
        initial["pillars"] = list(indicator.pillars.all())
        if indicator.national_target is not None:
            # 58 rather than 58,00: the form shows what the officer would type.
            initial["national_target"] = indicator.national_target.normalize()
        return initial
