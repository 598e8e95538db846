"""Forms of the assessment pages: they check shape only; the services apply the rules."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aksi.assessment.models import AssessmentRound, Component, ItemSource
from aksi.assessment.services.rounds import FIRST_YEAR
from aksi.regions.models import Region

_PAIR = re.compile(r"^\s*([A-Za-z0-9+\-]{1,3})\s*[=:]\s*([0-9]+(?:[.,][0-9]+)?)\s*$")


def year_choices() -> list[tuple[int, str]]:
    # Labels as text: a number label would be shown as "2.026" with the thousand separator.
    last = timezone.localdate().year + 1
    return [(year, str(year)) for year in range(last, FIRST_YEAR - 2, -1)]


def scale_text(scale: list[dict[str, Any]]) -> str:
    """[{"grade": "A", "value": 100}, …] → "A=100; B=75" (decimals with a comma)."""
    return "; ".join(f"{e['grade']}={str(e['value']).replace('.', ',')}" for e in scale)


def parse_scale(text: str) -> list[dict[str, Any]]:
    """ "A=100; B=75; C=50; D=25" → the stored form; a pair that does not read is named."""
    pairs = [part for part in re.split(r"[;\n]", text) if part.strip()]
    if not pairs:
        raise ValidationError(_("Enter the grades and their values, e.g. A=100; B=75; C=50; D=25."))
    scale = []
    for part in pairs:
        match = _PAIR.match(part)
        if match is None:
            raise ValidationError(
                _(
                    "“%(part)s” is not a grade with its value: write letter=value pairs "
                    "separated by semicolons, e.g. A=100; B=75; C=50; D=25."
                )
                % {"part": part.strip()}
            )
        scale.append({"grade": match[1].upper(), "value": Decimal(match[2].replace(",", "."))})
    return scale


class DecimalText(forms.Field):
    """A number typed the Indonesian way (12,5) or the plain way (12.5)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "size": 6})

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        cleaned = str(value).strip().replace(" ", "")
        if re.fullmatch(r"[0-9]{1,6}(?:[.,][0-9]{1,4})?", cleaned) is None:
            raise ValidationError(_("Enter a number, e.g. 1 or 1,5."))
        return Decimal(cleaned.replace(",", "."))


class RoundCreateForm(forms.Form):
    province = forms.ModelChoiceField(
        label=gettext_lazy("Province"), queryset=Region.objects.none(), empty_label=None
    )
    conducted_year = forms.TypedChoiceField(
        label=gettext_lazy("Year of the assessment"), coerce=int
    )
    assessed_year = forms.TypedChoiceField(
        label=gettext_lazy("Year assessed"),
        coerce=int,
        help_text=gettext_lazy("Usually the year before the assessment."),
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Left empty, the title is made from the province and the year."),
    )

    def __init__(self, *args: Any, provinces: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces
        self.fields["province"].label_from_instance = lambda r: f"{r.name} ({r.code})"
        years = year_choices()
        self.fields["conducted_year"].choices = years
        self.fields["assessed_year"].choices = years
        year = timezone.localdate().year
        self.fields["conducted_year"].initial = year
        self.fields["assessed_year"].initial = year - 1


class RoundSettingsForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    conducted_year = forms.TypedChoiceField(
        label=gettext_lazy("Year of the assessment"), coerce=int
    )
    assessed_year = forms.TypedChoiceField(label=gettext_lazy("Year assessed"), coerce=int)
    technical_weight = forms.IntegerField(
        label=gettext_lazy("Weight of the technical component (%)"),
        min_value=0,
        max_value=100,
    )
    panel_weight = forms.IntegerField(
        label=gettext_lazy("Weight of the panel component (%)"),
        min_value=0,
        max_value=100,
        help_text=gettext_lazy("The two weights add up to 100."),
    )
    grade_scale = forms.CharField(
        label=gettext_lazy("Grade scale"),
        max_length=200,
        help_text=gettext_lazy("Each grade and its value, separated by semicolons."),
    )
    blank_value = DecimalText(
        label=gettext_lazy("Value of a blank grade"),
        help_text=gettext_lazy("A cell left blank by a scorer counts this much (usually 0)."),
    )
    drop_extremes = forms.BooleanField(
        label=gettext_lazy(
            "Panel score: leave out the highest and the lowest panelist when there are three "
            "or more"
        ),
        required=False,
    )
    participants = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Regencies/cities assessed"),
        queryset=Region.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, round: AssessmentRound, districts: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "title": round.title,
                "conducted_year": round.conducted_year,
                "assessed_year": round.assessed_year,
                "technical_weight": round.technical_weight,
                "panel_weight": round.panel_weight,
                "grade_scale": scale_text(round.grade_scale),
                "blank_value": str(round.blank_value.normalize()).replace(".", ","),
                "drop_extremes": round.drop_extremes,
                "participants": list(round.participants.values_list("code", flat=True)),
            },
        )
        super().__init__(*args, **kwargs)
        years = year_choices()
        self.fields["conducted_year"].choices = years
        self.fields["assessed_year"].choices = years
        self.fields["participants"].queryset = districts
        self.fields["participants"].label_from_instance = lambda r: f"{r.name} ({r.code})"

    def clean_grade_scale(self) -> list[dict[str, Any]]:
        return parse_scale(self.cleaned_data["grade_scale"])

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "conducted_year": data["conducted_year"],
            "assessed_year": data["assessed_year"],
            "technical_weight": data["technical_weight"],
            "panel_weight": data["panel_weight"],
            "grade_scale": data["grade_scale"],
            "blank_value": data["blank_value"],
            "drop_extremes": data["drop_extremes"],
            "participants": list(data["participants"]),
        }


class RubricItemForm(forms.Form):
    component = forms.ChoiceField(label=gettext_lazy("Component"), choices=Component.choices)
    code = forms.CharField(label=gettext_lazy("Code"), max_length=10)
    text = forms.CharField(label=gettext_lazy("Criterion"), max_length=500)
    guidance = forms.CharField(
        label=gettext_lazy("How to grade"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    weight = DecimalText(label=gettext_lazy("Weight"))
    order = forms.IntegerField(label=gettext_lazy("Order"), min_value=0, max_value=999)
    source = forms.ChoiceField(label=gettext_lazy("Value from"), choices=ItemSource.choices)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            # An item stays in its component; move it by removing and adding it again.
            del self.fields["component"]
        else:
            self.fields["order"].required = False

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["guidance"] = data.get("guidance") or ""
        return data


class PanelistForm(forms.Form):
    user = forms.ChoiceField(label=gettext_lazy("Panelist"))

    def __init__(self, *args: Any, candidates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {str(u.pk): u for u in candidates}
        self.fields["user"].choices = [
            (str(u.pk), f"{u.display_name} ({u.get_username()})") for u in candidates
        ]

    def chosen(self) -> Any:
        return self.candidates[self.cleaned_data["user"]]


class ReasonForm(forms.Form):
    """The reason for a correction (reopening, withdrawing a publication): kept in the audit."""

    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Recorded in the round's history, e.g. which grade was wrong."),
    )

    def __init__(self, *args: Any, required_message: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if required_message:
            self.fields["reason"].error_messages["required"] = required_message
