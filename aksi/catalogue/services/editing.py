"""Changes made in the app by central admins: copy a year, edit a draft, publish."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from aksi.catalogue.models import (
    ActionFramework,
    Indicator,
    IndicatorCatalogue,
    ReportingYear,
    SupportingItem,
)
from aksi.catalogue.services._common import jsonable, require_manager
from aksi.core.models import AuditEventType
from aksi.core.services import audit_event_record
from aksi.reporting.models import Sector


def _field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _copy_name(source: IndicatorCatalogue, year: int) -> str:
    if str(source.year) in source.name:
        return source.name.replace(str(source.year), str(year))
    return f"{source.name} {year}"


def _framework_for(year: int, source: IndicatorCatalogue) -> ActionFramework:
    in_force = (
        ActionFramework.objects.filter(first_year__lte=year)
        .filter(Q(last_year__isnull=True) | Q(last_year__gte=year))
        .order_by("-first_year")
        .first()
    )
    if in_force is not None:
        return in_force
    source_year = ReportingYear.objects.select_related("framework").filter(year=source.year).first()
    if source_year is None:
        raise _field_error(
            "year",
            _("No action framework is in force in %(year)s.") % {"year": year},
            "no_framework",
        )
    return source_year.framework


def _year_state(reporting_year: ReportingYear | None) -> dict[str, Any] | None:
    if reporting_year is None:
        return None
    return {
        "year": reporting_year.year,
        "status": reporting_year.status,
        "framework": reporting_year.framework.code,
        "catalogue": reporting_year.catalogue.year if reporting_year.catalogue else None,
    }


@transaction.atomic(durable=True)
def catalogue_copy(
    *, source: IndicatorCatalogue, year: int, actor: Any, name: str = ""
) -> IndicatorCatalogue:
    """Start the catalogue of a later year as a draft copy of `source`.

    Indicators and their pillar links are duplicated, so editing the copy never touches the
    source year. The reporting year is created (status planning) or pointed at the copy.
    """
    require_manager(actor)
    source = IndicatorCatalogue.objects.get(pk=source.pk)
    if year <= source.year:
        raise _field_error(
            "year",
            _("Choose a year after %(year)s, the year of the catalogue you copy.")
            % {"year": source.year},
            "not_later",
        )
    if IndicatorCatalogue.objects.filter(year=year).exists():
        raise _field_error(
            "year",
            _("There is already a catalogue for %(year)s; change that one instead.")
            % {"year": year},
            "taken",
        )
    reporting_year = (
        # Lock the year row only: PostgreSQL refuses FOR UPDATE on the nullable catalogue join.
        ReportingYear.objects.select_for_update(of=("self",))
        .select_related("framework", "catalogue")
        .filter(year=year)
        .first()
    )
    if reporting_year is not None and reporting_year.status == ReportingYear.Status.CLOSED:
        raise _field_error(
            "year", _("Reporting year %(year)s is closed.") % {"year": year}, "closed"
        )
    if (
        reporting_year is not None
        and reporting_year.status == ReportingYear.Status.OPEN
        and reporting_year.catalogue_id is not None
    ):
        raise _field_error(
            "year",
            _(
                "Reporting year %(year)s is open and already uses catalogue %(name)s; a "
                "running year cannot switch catalogues."
            )
            % {"year": year, "name": reporting_year.catalogue},
            "running",
        )
    year_before = _year_state(reporting_year)

    copy = IndicatorCatalogue.objects.create(
        year=year,
        name=(name.strip() or _copy_name(source, year))[:200],
        status=IndicatorCatalogue.Status.DRAFT,
        origin=IndicatorCatalogue.Origin.COPY,
        source=source.source,
        copied_from=source,
        as_shipped=False,
    )
    originals = list(Indicator.objects.filter(catalogue=source).order_by("order", "code"))
    skip = {"id", "catalogue"}
    duplicates = [
        Indicator(
            catalogue=copy,
            **{
                f.attname: getattr(o, f.attname)
                for f in Indicator._meta.concrete_fields
                if f.name not in skip
            },
        )
        for o in originals
    ]
    Indicator.objects.bulk_create(duplicates)
    new_id = {o.pk: d.pk for o, d in zip(originals, duplicates, strict=True)}
    through = Indicator.pillars.through
    through.objects.bulk_create(
        through(indicator_id=new_id[indicator_id], pillar_id=pillar_id)
        for indicator_id, pillar_id in through.objects.filter(
            indicator__catalogue=source
        ).values_list("indicator_id", "pillar_id")
    )
    items = list(SupportingItem.objects.filter(catalogue=source).order_by("order", "code"))
    SupportingItem.objects.bulk_create(
        SupportingItem(
            catalogue=copy,
            **{
                f.attname: getattr(item, f.attname)
                for f in SupportingItem._meta.concrete_fields
                if f.name not in skip
            },
        )
        for item in items
    )

    if reporting_year is None:
        reporting_year = ReportingYear.objects.create(
            year=year,
            framework=_framework_for(year, source),
            catalogue=copy,
            status=ReportingYear.Status.PLANNING,
        )
    else:
        reporting_year.catalogue = copy
        reporting_year.save(update_fields=["catalogue"])
    audit_event_record(
        event_type=AuditEventType.CATALOGUE_COPIED,
        actor=actor,
        target=copy,
        data={
            "source": {"id": source.pk, "year": source.year, "name": source.name},
            "year": year,
            "name": copy.name,
            "indicators": len(duplicates),
            "supporting_items": len(items),
            "reporting_year": {"before": year_before, "after": _year_state(reporting_year)},
        },
    )
    return copy


# Fields an admin may change on an indicator of a draft catalogue. The code is the concept
# and stays; a change that breaks comparability is a new code (DOMAIN §5.1).
EDITABLE_FIELDS = (
    "name",
    "target_group",
    "target_group_label",
    "intervention_type",
    "indicator_class",
    "sectors",
    "certainty",
    "national_target",
    "target_year",
    "target_note",
    "direction",
    "numerator_definition",
    "denominator_definition",
    "denominator_source",
    "entry_level",
    "is_binary",
    "help_text",
    "pillars",
)


@transaction.atomic(durable=True)
def indicator_update(*, indicator: Indicator, actor: Any, **fields: Any) -> Indicator:
    """Change an indicator of a draft catalogue; published catalogues are fixed."""
    require_manager(actor)
    unknown = sorted(set(fields) - set(EDITABLE_FIELDS))
    if unknown:
        raise TypeError(f"indicator_update() cannot change {', '.join(unknown)}")
    catalogue = IndicatorCatalogue.objects.select_for_update().get(pk=indicator.catalogue_id)
    if catalogue.status != IndicatorCatalogue.Status.DRAFT:
        raise ValidationError(
            _(
                "%(name)s is published and can no longer be changed. Copy it to a new year "
                "and change the copy."
            )
            % {"name": catalogue.name},
            code="published",
        )
    indicator = Indicator.objects.select_related("target_group").get(pk=indicator.pk)
    pillars = fields.pop("pillars", None)
    if "sectors" in fields:
        fields["sectors"] = list(fields["sectors"])
        unknown_sectors = [s for s in fields["sectors"] if s not in Sector.values]
        if unknown_sectors:
            raise _field_error(
                "sectors",
                _("Unknown sector: %(sector)s.") % {"sector": unknown_sectors[0]},
                "invalid_choice",
            )
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in fields.items():
        old = getattr(indicator, name)
        if old != value:
            before[name], after[name] = old, value
            setattr(indicator, name, value)
    if before:
        indicator.full_clean(exclude=["catalogue", "code", "order"])
        update_fields = list(before)
        indicator.save(update_fields=update_fields)
    if pillars is not None:
        current = list(indicator.pillars.all())
        if {p.pk for p in current} != {p.pk for p in pillars}:
            before["pillars"], after["pillars"] = current, list(pillars)
            indicator.pillars.set(pillars)
    if not before:
        return indicator
    if catalogue.as_shipped:
        catalogue.as_shipped = False
        catalogue.save(update_fields=["as_shipped", "updated_at"])
    audit_event_record(
        event_type=AuditEventType.INDICATOR_UPDATED,
        actor=actor,
        target=indicator,
        data={
            "catalogue": catalogue.year,
            "code": indicator.code,
            "before": {k: jsonable(v) for k, v in before.items()},
            "after": {k: jsonable(v) for k, v in after.items()},
        },
    )
    return indicator


@transaction.atomic(durable=True)
def catalogue_publish(*, catalogue: IndicatorCatalogue, actor: Any) -> IndicatorCatalogue:
    """Publish a draft catalogue: from then on it is read-only and public."""
    require_manager(actor)
    catalogue = IndicatorCatalogue.objects.select_for_update().get(pk=catalogue.pk)
    if catalogue.status == IndicatorCatalogue.Status.PUBLISHED:
        raise ValidationError(
            _("%(name)s is already published.") % {"name": catalogue.name},
            code="already_published",
        )
    if not catalogue.indicators.exists():
        raise ValidationError(
            _("%(name)s has no indicators; there is nothing to publish.")
            % {"name": catalogue.name},
            code="empty",
        )
    before = {"status": catalogue.status}
    catalogue.status = IndicatorCatalogue.Status.PUBLISHED
    catalogue.published_at = timezone.now()
    catalogue.save(update_fields=["status", "published_at", "updated_at"])
    audit_event_record(
        event_type=AuditEventType.CATALOGUE_PUBLISHED,
        actor=actor,
        target=catalogue,
        data={
            "year": catalogue.year,
            "before": before,
            "after": {
                "status": catalogue.status,
                "published_at": jsonable(catalogue.published_at),
            },
        },
    )
    return catalogue
