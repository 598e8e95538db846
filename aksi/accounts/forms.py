"""Forms only validate shape; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aksi.accounts import selectors
from aksi.accounts.models import AppointmentDecree, User
from aksi.regions.models import Region
from aksi.reporting.models import ReportingUnit


class RegionCodeField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 16)
        kwargs.setdefault(
            "help_text", _("Kemendagri code, with or without dots: 52.03.07 or 520307.")
        )
        super().__init__(**kwargs)


class AssignmentFields(forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    region_code = RegionCodeField(label=_("Region code"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Reporting unit"), queryset=ReportingUnit.objects.none(), required=False
    )
    decree = forms.ModelChoiceField(
        label=_("Appointment decree (SK)"),
        queryset=AppointmentDecree.objects.none(),
        required=False,
    )
    valid_from = forms.DateField(label=_("Valid from"), required=False)
    valid_to = forms.DateField(label=_("Valid until"), required=False)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["role"].choices = selectors.assignable_roles(user=actor)
        self.fields["unit"].queryset = selectors.units_managed(user=actor)
        self.fields["decree"].queryset = selectors.decrees_managed(user=actor)
        for name in ("valid_from", "valid_to"):
            self.fields[name].widget = forms.DateInput(attrs={"type": "date"})

    def clean_region_code(self) -> Region | None:
        code = self.cleaned_data["region_code"].strip()
        if not code:
            return None
        region = selectors.regions_managed_get(user=self.actor, code=code)
        if region is None:
            raise forms.ValidationError(
                _("%(code)s is not a region you administer (or not a region code at all).")
                % {"code": code}
            )
        return region


class UserCreateForm(AssignmentFields):
    field_order = ["full_name", "username", "email", "invite"]

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    username = forms.SlugField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits, dots, dashes; e.g. siti.selong. Personal, never shared."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    invite = forms.BooleanField(
        label=_("Send an invitation by e-mail instead of a one-time password"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Usernames like "siti.selong": a slug plus dots.
        self.fields["username"] = forms.RegexField(
            label=_("Username"),
            max_length=150,
            regex=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
            help_text=self.fields["username"].help_text,
            error_messages={
                "invalid": _("Use only letters, digits, dots, dashes and underscores.")
            },
        )


class DecreeForm(forms.Form):
    region_code = RegionCodeField(label=_("Subdistrict or regency/city code"))
    number = forms.CharField(label=_("Decree number"), max_length=100)
    decree_date = forms.DateField(
        label=_("Decree date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    signed_by = forms.CharField(
        label=_("Signed by"), max_length=150, help_text=_("e.g. Camat Selong, name and position")
    )
    valid_from = forms.DateField(
        label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    file = forms.FileField(label=_("Decree file (PDF)"))

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["file"].widget.attrs["accept"] = "application/pdf,.pdf"

    def clean_region_code(self) -> Region:
        code = self.cleaned_data["region_code"].strip()
        region = selectors.regions_managed_get(user=self.actor, code=code)
        if region is None:
            raise forms.ValidationError(
                _("%(code)s is not a region you administer (or not a region code at all).")
                % {"code": code}
            )
        return region
