from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aksi.catalogue.models import Indicator, SupportingItem, TargetGroup
from aksi.regions.models import Region
from aksi.reporting.models import EntryMode, ValidationRule


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ValidationRuleForm(forms.Form):
    """Shape only; the expressions are checked against the catalogue by the service."""

    code = forms.SlugField(label=_("Code"), max_length=40)
    left = forms.CharField(label=_("Left side"), max_length=300)
    operator = forms.ChoiceField(label=_("Operator"), choices=ValidationRule.Operator.choices)
    right = forms.CharField(label=_("Right side"), max_length=300)
    severity = forms.ChoiceField(label=_("Severity"), choices=ValidationRule.Severity.choices)
    message = forms.CharField(label=_("Message shown to operators"), max_length=300)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class SubdistrictEntryForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Who enters the data of the subdistricts"),
        choices=EntryMode.choices,
        widget=forms.RadioSelect,
    )
    pilot = forms.MultipleChoiceField(
        label=_("Pilot subdistricts"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, subdistricts: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pilot"].choices = [(r.code, f"{r.code} {r.name}") for r in subdistricts]


class DutyForm(forms.Form):
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DateInput)
    valid_to = forms.DateField(label=_("Valid until"), required=False, widget=DateInput)
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators"),
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"),
        queryset=TargetGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    supporting_items = forms.ModelMultipleChoiceField(
        label=_("Supporting data"),
        queryset=SupportingItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        indicators = self.fields["indicators"]
        assert isinstance(indicators, forms.ModelMultipleChoiceField)
        indicators.queryset = Indicator.objects.filter(
            catalogue__years__year=year, entry_level=Indicator.EntryLevel.VILLAGE
        ).order_by("order")
        indicators.label_from_instance = lambda i: f"{i.code} {i.name}"  # type: ignore[method-assign]
        groups = self.fields["target_groups"]
        assert isinstance(groups, forms.ModelMultipleChoiceField)
        groups.queryset = TargetGroup.objects.order_by("order", "code")
        items = self.fields["supporting_items"]
        assert isinstance(items, forms.ModelMultipleChoiceField)
        items.queryset = SupportingItem.objects.filter(catalogue__years__year=year).order_by(
            "order"
        )
        items.label_from_instance = lambda i: f"{i.code} {i.name}"  # type: ignore[method-assign]
