"""Forms of the document registers: they check shape only; the services apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aksi.catalogue.models import Step
from aksi.documents import selectors
from aksi.documents.models import (
    KIND_SUBTYPES,
    NUMBERED_KINDS,
    Document,
    DocumentKind,
    DocumentStatus,
    DocumentSubtype,
)
from aksi.documents.services import FIRST_YEAR, last_year
from aksi.regions.models import Region
from aksi.regions.sources import CODE_PATTERN, normalize_code

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ACCEPT = ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"
KIND_FIELDS_INCLUDE = (
    "#id_year, #id_kind, #kind-fields select, #kind-fields input, #document-form [name=document]"
)


def year_choices() -> list[tuple[int, str]]:
    # Labels as text: a number label would be shown as "2.025" with the thousand separator.
    return [(year, str(year)) for year in range(last_year(), FIRST_YEAR - 1, -1)]


def subtype_choices(kind: str) -> list[Any]:
    """The types of one kind, or every type grouped by kind when the kind is not chosen yet."""
    labels = dict(DocumentSubtype.choices)
    if kind in KIND_SUBTYPES:
        return [("", _("— choose —"))] + [(s, labels[s]) for s in KIND_SUBTYPES[kind]]
    groups: list[Any] = [("", _("— choose —"))]
    for value, label in DocumentKind.choices:
        groups.append((label, [(s, labels[s]) for s in KIND_SUBTYPES[value]]))
    return groups


class DocumentForm(forms.Form):
    region = forms.ChoiceField(label=gettext_lazy("Region"))
    year = forms.TypedChoiceField(label=gettext_lazy("Reporting year"), coerce=int)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of document"))
    subtype = forms.ChoiceField(label=gettext_lazy("Document type"))
    number = forms.CharField(
        label=gettext_lazy("Number"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("As written on the document, e.g. 12 Tahun 2024."),
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    document_date = forms.DateField(
        label=gettext_lazy("Date of the document"),
        widget=DATE_WIDGET,
        help_text=gettext_lazy("The date it was signed or published."),
    )
    step = forms.ChoiceField(
        label=gettext_lazy("Step"),
        required=False,
        help_text=gettext_lazy("The step the document belongs to, e.g. the minutes of step 1."),
    )
    channel = forms.CharField(
        label=gettext_lazy("Channel"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("Where it was published: website, newspaper, radio, Instagram…"),
    )
    audience = forms.CharField(
        label=gettext_lazy("Audience"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("For whom: the public, village heads, posyandu cadres…"),
    )
    link = forms.URLField(
        label=gettext_lazy("Link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=gettext_lazy(
            "The web address where the document can be read, if it is published online."
        ),
    )
    file = forms.FileField(label=gettext_lazy("File"), required=False)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, user: Any, document: Document | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.document = document
        groups = selectors.writable_regions(user=user)
        region_choices: list[Any] = [
            (group.label, [(r.code, f"{r.name} ({r.code})") for r in group.regions])
            for group in groups
        ]
        if document is not None and not any(
            r.code == document.region_id for g in groups for r in g.regions
        ):
            region_choices.insert(0, (document.region_id, str(document.region)))
        self.fields["region"].choices = region_choices
        self.fields["year"].choices = year_choices()
        self.fields["kind"].choices = [("", _("— choose —")), *DocumentKind.choices]
        kind = self._current("kind")
        year = self._current("year")
        self.fields["subtype"].choices = subtype_choices(kind)
        steps = selectors.steps_for_year(year=int(year)) if str(year).isdigit() else []
        self.steps = {str(step.pk): step for step in steps}
        self.fields["step"].choices = [("", _("— none —"))] + [
            (str(step.pk), f"{step.code} — {step.name}") for step in steps
        ]
        self.fields["number"].required = kind in NUMBERED_KINDS
        self.is_publication = kind == DocumentKind.PUBLICATION
        limit = filesizeformat(settings.AKSI_DOCUMENT_MAX_BYTES)
        self.fields["file"].help_text = _(
            "PDF, Word (.docx), Excel (.xlsx), JPG or PNG, at most %(limit)s."
        ) % {"limit": limit}
        if document is not None and document.file:
            self.fields["file"].help_text += " " + _(
                "Leave empty to keep the current file; a new file replaces it (the old one "
                "stays in the history)."
            )
        self.fields["file"].widget.attrs["accept"] = ACCEPT
        # The type, number, step and publication fields follow the kind and the year (htmx);
        # without JavaScript the types of every kind are offered, and the service decides.
        for name in ("kind", "year"):
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": reverse("documents:kind_fields"),
                    "hx-trigger": "change",
                    "hx-target": "#kind-fields",
                    "hx-swap": "outerHTML",
                    "hx-include": KIND_FIELDS_INCLUDE,
                    # A later change (the kind after the year) aborts the earlier request.
                    "hx-sync": "closest form:replace",
                }
            )

    def _current(self, name: str) -> str:
        """The value of a field as the form will show it: posted, else initial."""
        if self.is_bound:
            return str(self.data.get(self.add_prefix(name), "") or "")
        value = self.initial.get(name, self.fields[name].initial)
        return "" if value is None else str(value)

    def clean_region(self) -> Region:
        code = self.cleaned_data["region"]
        region = selectors.writable_region_get(user=self.user, code=code)
        if region is None and self.document is not None and code == self.document.region_id:
            region = self.document.region
        if region is None:
            raise ValidationError(_("You do not keep the documents of this region."))
        return region

    def clean_step(self) -> Step | None:
        value = self.cleaned_data.get("step") or ""
        return self.steps.get(value) if value else None

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "region": data["region"],
            "year": data["year"],
            "kind": data["kind"],
            "subtype": data["subtype"],
            "title": data["title"],
            "document_date": data["document_date"],
            "number": data["number"],
            "step": data["step"],
            "channel": data["channel"],
            "audience": data["audience"],
            "link": data["link"],
            "note": data["note"],
            "file": data["file"] or None,
        }


def document_initial(document: Document) -> dict[str, Any]:
    return {
        "region": document.region_id,
        "year": document.year,
        "kind": document.kind,
        "subtype": document.subtype,
        "number": document.number,
        "title": document.title,
        "document_date": document.document_date,
        "step": str(document.step_id) if document.step_id else "",
        "channel": document.channel,
        "audience": document.audience,
        "link": document.link,
        "note": document.note,
        "version": document.version,
    }


class RevokeForm(forms.Form):
    revoked_on = forms.DateField(label=gettext_lazy("Revoked on"), widget=DATE_WIDGET)
    note = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=500,
        help_text=gettext_lazy("E.g. the regulation that revokes or replaces it."),
    )


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for removal"),
        max_length=500,
        help_text=gettext_lazy("E.g. uploaded twice, or filed for the wrong region."),
    )


class DocumentFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    year = forms.TypedChoiceField(
        label=gettext_lazy("Year"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind of document"), required=False)
    region = forms.CharField(label=gettext_lazy("Region"), required=False, max_length=13)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *year_choices()]
        self.fields["kind"].choices = [("", _("All kinds")), *DocumentKind.choices]
        self.fields["status"].choices = [("", _("Any status")), *DocumentStatus.choices]

    def clean_region(self) -> str:
        code = normalize_code(self.cleaned_data["region"])
        if code and not CODE_PATTERN.match(code):
            raise ValidationError(_("Enter a Kemendagri region code such as 35.19 or 3519."))
        return code

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_bound else {}
        return {
            "region_code": data.get("region") or None,
            "year": data.get("year") or None,
            "kind": data.get("kind") or None,
            "status": data.get("status") or None,
            "q": (data.get("q") or "").strip() or None,
        }
