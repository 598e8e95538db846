from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.formats import get_format, number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from aksi.accounts.scopes import entry_scope, managed_scope
from aksi.catalogue.models import Indicator, ReportingYear, TargetGroup
from aksi.lib.numbers import coverage_percent
from aksi.regions.models import Level, Region
from aksi.regions.selectors import active_regions
from aksi.reporting import denominators, duties
from aksi.reporting.models import (
    CoverageValue,
    CoverageValueChange,
    ReportingUnit,
    TargetGroupCount,
    UnitKind,
    ValueStatus,
)


def entry_subdistricts(*, user: object) -> QuerySet[Region]:
    """Kecamatan the user may enter data for (their desa rows)."""
    scope = entry_scope(user)
    return active_regions().filter(scope.q(), level=Level.SUBDISTRICT).select_related("parent")


def entry_subdistrict_get(*, user: object, code: str) -> Region:
    region = entry_subdistricts(user=user).filter(code=code).first()
    if region is None:
        raise Http404(code)
    return region


def user_units(*, user: object) -> list[ReportingUnit]:
    unit_ids = entry_scope(user).unit_ids
    return list(ReportingUnit.objects.filter(pk__in=unit_ids)) if unit_ids else []


def entry_indicators(
    *, user: object, year: int, subdistrict: Region | None = None, period: str = ""
) -> list[Indicator]:
    """Village-level indicators of the year the user's units are responsible for.

    With `subdistrict` and `period`, a sector unit that has reporting duties there gets the
    indicators of its duties open in the period (an admin may have edited them); otherwise,
    the indicators of its sector.
    """
    reporting_year = ReportingYear.objects.filter(year=year).select_related("catalogue").first()
    if reporting_year is None or reporting_year.catalogue is None:
        return []
    indicators = list(
        reporting_year.catalogue.indicators.filter(entry_level=Indicator.EntryLevel.VILLAGE)
        .select_related("target_group")
        .order_by("order")
    )
    units = user_units(user=user)
    # A kecamatan office compiles the whole ansit; sector units enter their own indicators.
    if any(u.kind == UnitKind.SUBDISTRICT_OFFICE for u in units):
        return indicators
    if units and subdistrict is not None and period:
        assigned = duties.unit_indicator_ids(
            unit_ids=[u.pk for u in units], subdistrict=subdistrict, period=period
        )
        if assigned is not None:
            return [i for i in indicators if i.pk in assigned]
    sectors = {unit.sector for unit in units}
    if sectors:
        indicators = [i for i in indicators if sectors & set(i.sectors)]
    return indicators


@dataclass
class GridRow:
    village: Region
    cells: list[tuple[Indicator, CoverageValue | None]]


def entry_grid(*, subdistrict: Region, indicators: list[Indicator], period: str) -> list[GridRow]:
    """One row per desa with the saved values, in two queries (the Excel template's data)."""
    villages = list(active_regions().filter(parent=subdistrict).order_by("code"))
    values = CoverageValue.objects.filter(
        region__in=villages, period=period, indicator__in=indicators
    )
    by_key = {(v.region_id, v.indicator_id): v for v in values}
    return [
        GridRow(village, [(i, by_key.get((village.code, i.pk))) for i in indicators])
        for village in villages
    ]


@dataclass(slots=True)
class GridCell:
    """What the entry grid shows of one cell, ready to place (templatetags/coverage_grid.py):
    element ids, save URL, the numbers as the inputs hold them, the denominator's help and the
    coverage as shown, all worked out once here rather than per cell in a template."""

    key: str  # the cell's element ids: n-KEY, d-KEY, version-KEY, state-KEY
    row: str  # the desa's row header: v-ROW
    column: str  # the indicator's column header: h-COLUMN
    url: str  # where the pair is saved (reporting:cell)
    binary: bool  # a yes/no indicator: one select instead of numerator and denominator
    version: str  # of the saved value, "" when none is saved
    numerator: str  # unlocalised ("1234"), as typed back into an input; "" when empty
    denominator: str
    count: str  # the target-group count offered as the denominator (placeholder), or ""
    denominator_title: str  # the denominator input's help, naming the count when there is one
    coverage: str  # as shown ("85,0"), or ""


@dataclass
class EntryRow:
    """A desa's row of the entry grid page."""

    village: Region
    key: str  # the desa's part of the element ids ("3519012001")
    cells: list[GridCell]


def element_key(code: str) -> str:
    """A region or indicator code as it appears in the grid's element ids (35.19.01.2001 →
    3519012001, BL-01 → bl-01)."""
    return slugify(code)


class _CellTexts:
    """What the cells of one grid share, worked out once: the active language's texts and
    number format, and the save URLs of a desa."""

    def __init__(self, period: str) -> None:
        self.period = period
        self.denominator = _("Denominator")
        self.count_title = _(
            "Denominator; left empty it takes the target-group data: %(n)s (%(period)s)"
        )
        self.decimal_separator = str(get_format("DECIMAL_SEPARATOR"))
        self._titles: dict[tuple[int, str], str] = {}

    def url_head(self, village_code: str) -> str:
        """The save URL of a desa's cells up to the indicator id, its last path segment."""
        return reverse("reporting:cell", args=[self.period, village_code, 0]).removesuffix("0/")

    def denominator_title(self, count: int, period: str) -> str:
        """The denominator's help naming the count offered (many cells offer the same one)."""
        title = self._titles.get((count, period))
        if title is None:
            # The count localised as a template shows a number (1.234).
            title = self.count_title % {"n": number_format(count), "period": period}
            self._titles[count, period] = title
        return title

    def percent(self, value: float) -> str:
        # coverage_percent has rounded to one decimal: shown as {{ value|floatformat:1 }} would.
        if value < 1000:
            return f"{value:.1f}".replace(".", self.decimal_separator)
        return number_format(value, 1)


# A value as the grid reads it: numerator, denominator, status, version (None: not saved).
_Saved = tuple[int | None, int | None, str, int | None]
_VALUE = str(ValueStatus.VALUE.value)


def _cell(
    texts: _CellTexts,
    url: str,
    row: str,
    column: str,
    indicator: Indicator,
    saved: _Saved | None,
    count: TargetGroupCount | None,
) -> GridCell:
    binary = indicator.is_binary
    numerator = denominator = None
    version = coverage = ""
    if saved is not None:
        numerator, denominator, status, number = saved
        version = "" if number is None else str(number)
        # CoverageValue.coverage, from the plain values.
        if status == _VALUE and not binary:
            percent = coverage_percent(numerator, denominator)
            coverage = "" if percent is None else texts.percent(percent)
    title = texts.denominator
    offered = ""
    if count is not None and count.count is not None and not binary:
        offered = str(count.count)
        title = texts.denominator_title(count.count, count.period)
    return GridCell(
        f"{row}-{column}",
        row,
        column,
        url,
        binary,
        version,
        "" if numerator is None else str(numerator),
        "" if denominator is None else str(denominator),
        offered,
        title,
        coverage,
    )


def grid_cell(
    *,
    village: Region,
    indicator: Indicator,
    period: str,
    value: CoverageValue | None,
    count: TargetGroupCount | None,
) -> GridCell:
    """One cell of the entry grid as entry_grid_cells makes it (for the answer to a save)."""
    saved = None
    if value is not None:
        version = value.version if value.pk is not None else None
        saved = (value.numerator, value.denominator, value.status, version)
    return _cell(
        _CellTexts(period),
        reverse("reporting:cell", args=[period, village.code, indicator.pk]),
        element_key(village.code),
        element_key(indicator.code),
        indicator,
        saved,
        count,
    )


def entry_grid_cells(
    *, subdistrict: Region, indicators: list[Indicator], period: str
) -> list[EntryRow]:
    """The entry grid page: one row per desa with what each cell shows, the target-group
    counts offered as denominators, in three queries. The values are read as plain tuples:
    a kecamatan has up to 1,300 of them."""
    villages = list(active_regions().filter(parent=subdistrict).order_by("code"))
    if not villages or not indicators:
        return [EntryRow(village, element_key(village.code), []) for village in villages]
    saved: dict[tuple[str, int], _Saved] = {
        (region, indicator): (numerator, denominator, status, version)
        for region, indicator, numerator, denominator, status, version in (
            CoverageValue.objects.filter(
                region__in=villages, period=period, indicator__in=indicators
            ).values_list(
                "region_id", "indicator_id", "numerator", "denominator", "status", "version"
            )
        )
    }
    counts = denominators.counts_for(
        region_codes=[v.code for v in villages],
        target_group_ids={i.target_group_id for i in indicators if not i.is_binary},
        period=period,
    )
    texts = _CellTexts(period)
    columns = [(i, element_key(i.code), f"{i.pk}/") for i in indicators]
    rows = []
    for village in villages:
        code, row = village.code, element_key(village.code)
        head = texts.url_head(code)
        cells = [
            _cell(
                texts,
                head + tail,
                row,
                column,
                indicator,
                saved.get((code, indicator.pk)),
                counts.get((code, indicator.target_group_id)),
            )
            for indicator, column, tail in columns
        ]
        rows.append(EntryRow(village, row, cells))
    return rows


@dataclass
class VillageRow:
    indicator: Indicator
    value: CoverageValue | None
    changes: list[CoverageValueChange]


def village_history(
    *, village: Region, period: str, indicators: list[Indicator]
) -> list[VillageRow]:
    """Each indicator's value of one desa with its change history, in two queries."""
    values = {
        v.indicator_id: v
        for v in CoverageValue.objects.filter(
            region=village, period=period, indicator__in=indicators
        ).select_related("updated_by")
    }
    changes: dict[int, list[CoverageValueChange]] = {}
    for change in CoverageValueChange.objects.filter(value__in=values.values()).select_related(
        "actor", "value"
    ):
        changes.setdefault(change.value.indicator_id, []).append(change)
    return [VillageRow(i, values.get(i.pk), changes.get(i.pk, [])) for i in indicators]


def entry_target_groups(*, year: int) -> list[TargetGroup]:
    """The data-sasaran columns: target groups of the year's village-level indicators, and
    their ancestors defined by age (baduta above its infants), so rules can compare them."""
    groups = {g.pk: g for g in TargetGroup.objects.all()}
    used = set(
        Indicator.objects.filter(
            catalogue__years__year=year,
            entry_level=Indicator.EntryLevel.VILLAGE,
            is_binary=False,
        ).values_list("target_group_id", flat=True)
    )
    wanted = set(used)
    for pk in used:
        parent_id = groups[pk].parent_id
        while parent_id is not None:
            parent = groups[parent_id]
            if parent.age_max_months is not None:
                wanted.add(parent.pk)
            parent_id = parent.parent_id
    return sorted((groups[pk] for pk in wanted), key=lambda g: (g.order, g.code))


@dataclass
class CountGridRow:
    village: Region
    cells: list[tuple[TargetGroup, TargetGroupCount | None]]


def target_group_grid(
    *, subdistrict: Region, target_groups: list[TargetGroup], period: str
) -> list[CountGridRow]:
    """One row per desa with its saved target-group counts, in two queries."""
    villages = list(active_regions().filter(parent=subdistrict).order_by("code"))
    counts = TargetGroupCount.objects.filter(
        region__in=villages, period=period, target_group__in=target_groups
    )
    by_key = {(c.region_id, c.target_group_id): c for c in counts}
    return [
        CountGridRow(village, [(g, by_key.get((village.code, g.pk))) for g in target_groups])
        for village in villages
    ]


def setup_district_get(*, user: object, code: str) -> Region:
    """A kab/kota the user administers (its reporting setup), else 404."""
    region = active_regions().filter(code=code, level=Level.DISTRICT).first()
    if region is None or not managed_scope(user).covers(region.code):
        raise Http404(code)
    return region


def setup_districts(*, user: object) -> QuerySet[Region]:
    """Kab/kota whose reporting setup the user administers."""
    return active_regions().filter(managed_scope(user).q(), level=Level.DISTRICT)


def district_subdistricts(*, district: Region) -> list[Region]:
    """The active kecamatan of a kab/kota the caller already scoped (setup_district_get)."""
    return list(active_regions().filter(parent=district, level=Level.SUBDISTRICT).order_by("code"))
