"""Reading the document registers, scoped to the reader.

A reader sees the documents of the regions below their assignments (as everywhere in Aksi) and
also those of the regions above: the Perbup of the kab/kota and the Pergub of the province bind
a kecamatan, so its officers read them. Siblings stay out of sight (Kecamatan Selong does not
read Kecamatan Sakra's minutes), and so does everything in another province.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy

from aksi.accounts.scopes import Scope, entry_scope, view_scope
from aksi.catalogue import selectors as catalogue_selectors
from aksi.catalogue.models import Step
from aksi.core.models import AuditEvent
from aksi.documents.models import (
    DOCUMENT_LEVELS,
    Document,
    DocumentKind,
    DocumentStatus,
    DocumentSubtype,
)
from aksi.regions.models import Level, Region, ancestor_codes
from aksi.regions.selectors import active_regions, subtree_q
from aksi.regions.sources import CODE_PATTERN


def _visible_q(scope: Scope) -> Q:
    if scope.national:
        return Q()
    if not scope.roots:
        return Q(pk__in=[])  # an empty Q() would match everything
    above = sorted({code for root in scope.roots for code in ancestor_codes(root)})
    visible = scope.q("region__")
    if above:
        visible |= Q(region_id__in=above)
    return visible


def document_region_visible(*, user: Any, code: str) -> bool:
    """May the user read documents of this region (its own, or as a region above theirs)?"""
    scope = view_scope(user)
    if scope.covers(code):
        return True
    return any(root.startswith(f"{code}.") for root in scope.roots)


def documents_visible(*, user: Any) -> QuerySet[Document]:
    """Every present document the user may read, with what a register row shows."""
    return (
        Document.objects.present()
        .filter(_visible_q(view_scope(user)))
        .select_related("region", "step", "uploaded_by")
    )


def document_list(
    *,
    user: Any,
    region_code: str | None = None,
    year: int | None = None,
    kind: str | None = None,
    subtype: str | None = None,
    status: str | None = None,
    q: str | None = None,
) -> QuerySet[Document]:
    """The register as the user may read it, narrowed by the filters; newest document first.

    `region_code` takes the region and everything below it; `q` searches title, number, file
    name and note.
    """
    documents = documents_visible(user=user)
    if region_code:
        if not CODE_PATTERN.match(region_code):
            return documents.none()
        documents = documents.filter(subtree_q(region_code, prefix="region__"))
    if year:
        documents = documents.filter(year=year)
    if kind:
        documents = documents.filter(kind=kind)
    if subtype:
        documents = documents.filter(subtype=subtype)
    if status:
        documents = documents.filter(status=status)
    if q:
        documents = documents.filter(
            Q(title__icontains=q)
            | Q(number__icontains=q)
            | Q(file_name__icontains=q)
            | Q(note__icontains=q)
        )
    return documents.order_by("-document_date", "-id")


def document_get(*, user: Any, pk: int) -> Document:
    """One present document the user may read, or 404 (never 403: an id reveals nothing)."""
    document = documents_visible(user=user).select_related("updated_by").filter(pk=pk).first()
    if document is None:
        raise Http404("No such document.")
    return document


def document_history(*, user: Any, document: Document) -> QuerySet[AuditEvent]:
    """The audit events of one document, newest first.

    Whoever may read the document reads its history (who added, changed, revoked it): the
    caller has already fetched the document through document_get, which enforces the scope.
    """
    return (
        AuditEvent.objects.filter(
            target_type=document._meta.label_lower, target_id=str(document.pk)
        )
        .select_related("actor")
        .order_by("-occurred_at", "-id")
    )


@dataclass(frozen=True)
class RegionGroup:
    label: str
    regions: list[Region]


def writable_regions(*, user: Any) -> list[RegionGroup]:
    """Where the user may file documents, grouped under each kab/kota (for a select)."""
    scope = entry_scope(user)
    if not scope.roots:
        return []
    condition = Q()
    for root in scope.roots:
        condition |= subtree_q(root)
    regions = list(
        active_regions()
        .filter(condition, level__in=DOCUMENT_LEVELS)
        .only("code", "name", "level", "kind", "parent_id")
        .order_by("code")
    )
    groups: dict[str, RegionGroup] = {}
    names = {r.code: r.name for r in regions}
    for region in regions:
        # A kecamatan goes under its kab/kota; provinces and kab/kota head their own group.
        head = region.code if region.level != Level.SUBDISTRICT else region.parent_id or ""
        if head not in groups:
            groups[head] = RegionGroup(label=names.get(head, head), regions=[])
        groups[head].regions.append(region)
    return list(groups.values())


def document_may_add(*, user: Any) -> bool:
    """Does the user keep a register anywhere? (No query: the scope is cached on the user.)"""
    # A desa-level assignment files nothing: desa keep no register here.
    return any(root.count(".") < 3 for root in entry_scope(user).roots)


def writable_region_get(*, user: Any, code: str) -> Region | None:
    if not entry_scope(user).covers(code):
        return None
    return active_regions().filter(code=code, level__in=DOCUMENT_LEVELS).first()


def steps_for_year(*, year: int) -> list[Step]:
    """The steps of the framework in force in a year, in their order."""
    return list(
        Step.objects.filter(framework__first_year__lte=year)
        .filter(Q(framework__last_year__isnull=True) | Q(framework__last_year__gte=year))
        .select_related("framework", "action")
        .order_by("framework__first_year", "order")
    )


def document_default_year() -> int:
    """The open reporting year (the catalogue's default), else this year."""
    years = catalogue_selectors.reporting_year_list()
    return catalogue_selectors.reporting_year_default(years=years) or timezone.localdate().year


def document_filter_regions(*, user: Any) -> list[Region]:
    """Regions to filter the register by: those with documents the user reads, and the regions
    above them that the user may also read (choosing a kab/kota shows its kecamatan too)."""
    codes = set(
        documents_visible(user=user).order_by().values_list("region_id", flat=True).distinct()
    )
    codes |= {
        code
        for region_code in list(codes)
        for code in ancestor_codes(region_code)
        if document_region_visible(user=user, code=code)
    }
    return list(
        Region.objects.filter(code__in=codes).only("code", "name", "level").order_by("code")
    )


# The history shows field names and values as the officer reads them, not as stored.
EXTRA_LABELS = {
    "reason": gettext_lazy("reason"),
    "replaced_file": gettext_lazy("replaced file (kept)"),
}
CHOICE_FIELDS = {"kind": DocumentKind, "subtype": DocumentSubtype, "status": DocumentStatus}
DATE_FIELDS = {"document_date", "revoked_on"}


def _field_label(key: str) -> str:
    if key in EXTRA_LABELS:
        return str(EXTRA_LABELS[key])
    try:
        return str(Document._meta.get_field(key).verbose_name)
    except FieldDoesNotExist:
        return key


def _value_label(key: str, value: Any) -> Any:
    if value in ("", None):
        return value
    if key in CHOICE_FIELDS:
        try:
            return str(CHOICE_FIELDS[key](value).label)
        except ValueError:
            return value
    if key in DATE_FIELDS:
        try:
            return formats.date_format(dt.date.fromisoformat(str(value)), "j F Y")
        except ValueError:
            return value
    if key == "file_size" and isinstance(value, int):
        return filesizeformat(value)
    if key == "year":
        return str(value)
    return value


def document_event_data(data: Any) -> Any:
    """An audit event's data with readable field names and values (choice labels, dates)."""
    if not isinstance(data, dict):
        return data
    labelled: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("before", "after") and isinstance(value, dict):
            labelled[key] = {_field_label(k): _value_label(k, v) for k, v in value.items()}
        else:
            labelled[_field_label(key)] = _value_label(key, value)
    return labelled
