"""The audit trail pages: the log with filters, its CSV export, and per-user/per-object history."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from aksi.accounts.rules import is_user_admin
from aksi.core import audit_selectors as selectors
from aksi.core.models import AuditEvent, AuditEventType
from aksi.regions.sources import CODE_PATTERN, normalize_code

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    event_type = forms.ChoiceField(
        label=gettext_lazy("Event"),
        required=False,
        choices=[("", gettext_lazy("All events")), *AuditEventType.choices],
    )
    region = forms.CharField(
        label=gettext_lazy("Region code"),
        required=False,
        max_length=13,
        widget=forms.TextInput(attrs={"placeholder": "35.19", "size": 12}),
    )
    actor = forms.CharField(
        label=gettext_lazy("Done by (username)"), required=False, max_length=150
    )
    date_from = forms.DateField(
        label=gettext_lazy("From date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=gettext_lazy("To date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    q = forms.CharField(label=gettext_lazy("Target contains"), required=False, max_length=100)

    def clean_region(self) -> str:
        code = normalize_code(self.cleaned_data["region"])
        if code and not CODE_PATTERN.match(code):
            raise ValidationError(_("Enter a Kemendagri region code such as 35.19 or 3519."))
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "region_code": data["region"] or None,
            "event_type": data["event_type"] or None,
            "actor": data["actor"].strip() or None,
            "date_from": data["date_from"],
            "date_to": data["date_to"],
            "q": data["q"].strip() or None,
        }

    def error_lines(self) -> list[str]:
        """One line per problem, naming the filter: "From date: Enter a valid date."."""
        lines = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            lines.extend(f"{label}: {error}" if label else str(error) for error in errors)
        return lines


def _require_admin(request: HttpRequest) -> None:
    if not is_user_admin(request.user):
        raise PermissionDenied


def _page(request: HttpRequest, events: QuerySet[AuditEvent]) -> Page:
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.summary = selectors.audit_data_summary(event.data)  # type: ignore[attr-defined]
    return page


def _filter_form(request: HttpRequest) -> AuditFilterForm:
    return AuditFilterForm(request.GET or None)


@login_required
@require_GET
def log(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = _filter_form(request)
    context: dict[str, Any] = {"form": form, "page": None, "filtered": False}
    if form.is_bound and not form.is_valid():
        # Rows filtered on the valid half of the filters would mislead; show the errors only.
        return render(request, "core/audit/log.html", context)
    filters = form.filters() if form.is_bound else {}
    context["filtered"] = any(filters.values())
    query = request.GET.copy()
    query.pop("page", None)
    context["export_query"] = query.urlencode()
    events = selectors.audit_events_for_admin(user=request.user, **filters)
    context["page"] = _page(request, events)
    return render(request, "core/audit/log.html", context)


class _Echo:
    """A file-like object whose write() returns the line, for the csv writer of a stream."""

    def write(self, value: str) -> str:
        return value


CSV_HEADER = [
    "id",
    "occurred_at",
    "event_type",
    "event",
    "actor_username",
    "actor_label",
    "target_type",
    "target_id",
    "target_label",
    "region_code",
    "data",
]


def _cell(text: str) -> str:
    # Names are typed by people; keep a spreadsheet from reading one as a formula.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_lines(events: QuerySet[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    for event in events.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                event.pk,
                timezone.localtime(event.occurred_at).isoformat(timespec="seconds"),
                event.event_type,
                event.get_event_type_display(),
                event.actor.get_username() if event.actor else "",
                _cell(event.actor_label),
                event.target_type,
                event.target_id,
                _cell(event.target_label),
                event.region_code,
                json.dumps(event.data, ensure_ascii=False, sort_keys=True, default=str),
            ]
        )


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        return HttpResponseBadRequest(
            "\n".join(form.error_lines()), content_type="text/plain; charset=utf-8"
        )
    filters = form.filters() if form.is_bound else {}
    events = selectors.audit_events_for_admin(user=request.user, **filters)
    response = StreamingHttpResponse(_csv_lines(events), content_type="text/csv; charset=utf-8")
    filename = f"aksi-audit-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def user_history(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    subject = selectors.audit_subject_get(user=request.user, pk=pk)
    events = selectors.audit_events_for_user(user=request.user, subject=subject)
    context = {"subject": subject, "page": _page(request, events)}
    return render(request, "core/audit/user.html", context)


@login_required
@require_GET
def object_history(request: HttpRequest, label: str, pk: str) -> HttpResponse:
    _require_admin(request)
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404(label) from None
    events = selectors.audit_events_for_target(
        user=request.user, target_type=model._meta.label_lower, target_id=pk
    )
    page = _page(request, events)
    # The name comes from the newest event the reader may see, never from the object itself,
    # so an id outside the reader's regions reveals nothing.
    newest = events.values_list("target_label", flat=True).first()
    context = {
        "model_name": model._meta.verbose_name,
        "target_label": newest or "",
        "target_id": pk,
        "page": page,
    }
    return render(request, "core/audit/object.html", context)
