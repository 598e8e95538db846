"""The dashboard tables as export tables (columns + rows), shared by the CSV and XLSX
downloads so both always carry the same data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from aksi.analytics.exports import INT, PERCENT, POINTS, TEXT, Banded, Column, Table
from aksi.analytics.legend import legend
from aksi.analytics.scorecard import Scorecard, ScoreRow, village_rows
from aksi.analytics.selectors import Dashboard, Filters
from aksi.catalogue.models import Indicator
from aksi.regions.models import Region


def _as_of(moment: Any, region: Region | None) -> dict[str, Any]:
    from aksi.analytics.templatetags.analytics_tags import as_of

    return {"as_of": moment, "as_of_label": as_of(moment, region)}


def region_label(region: Region | None) -> str:
    return region.name if region is not None else _("Indonesia")


def _period_label(filters: Filters) -> str:
    return filters.period


def coverage_table(dashboard: Dashboard) -> Table:
    bands = legend()
    columns = [
        Column("indicator_code", _("Code"), TEXT, 9),
        Column("indicator_name", _("Indicator"), TEXT, 50),
        Column("intervention_type", _("Intervention"), TEXT, 11),
        Column("numerator", _("Numerator"), INT),
        Column("denominator", _("Denominator"), INT),
        Column("coverage_percent", _("Coverage"), PERCENT, 10),
        Column("national_target_percent", _("National target"), PERCENT, 10),
        Column("band", _("Against target"), TEXT, 30),
        Column("regions_reported", _("Reported"), INT, 10),
        Column("regions_expected", _("Expected"), INT, 10),
        Column("completeness_percent", _("Completeness"), PERCENT, 12),
    ]

    def rows() -> Iterator[list[Any]]:
        for row in dashboard.coverage:
            indicator = row.indicator
            band = bands.band_for(indicator=indicator, coverage=row.coverage)
            target = indicator.national_target
            yield [
                indicator.code,
                indicator.name,
                indicator.intervention_type,
                row.numerator,
                row.denominator,
                Banded(row.coverage, band),
                float(target) if target is not None else None,
                band.key,
                row.reported,
                row.expected,
                row.completeness,
            ]

    title = _("Coverage %(region)s %(period)s") % {
        "region": region_label(dashboard.region),
        "period": _period_label(dashboard.filters),
    }
    as_of = _as_of(dashboard.data_as_of, dashboard.region)
    return Table(title=title, columns=columns, rows=rows(), **as_of)


def children_table(dashboard: Dashboard) -> Table:
    ranking = dashboard.ranking_indicator
    columns = [
        Column("rank", _("Rank"), INT, 6),
        Column("region_code", _("Code"), TEXT, 14),
        Column("region_name", _("Region"), TEXT, 30),
        Column("cells_filled", _("Cells filled"), INT),
        Column("cells_expected", _("Cells expected"), INT),
        Column("filled_percent", _("Filled"), PERCENT, 9),
        Column("reports_expected", _("Reports expected"), INT),
        Column("reports_on_time", _("On time"), INT, 9),
        Column("reports_late", _("Late"), INT, 9),
        Column("reports_missing", _("Missing"), INT, 9),
    ]
    if ranking is not None:
        columns += [
            Column(f"{ranking.code}_numerator", f"{ranking.code} {_('Numerator')}", INT),
            Column(f"{ranking.code}_denominator", f"{ranking.code} {_('Denominator')}", INT),
            Column(f"{ranking.code}_coverage_percent", f"{ranking.code} {_('Coverage')}", PERCENT),
        ]
    bands = legend()

    def rows() -> Iterator[list[Any]]:
        for row in dashboard.children:
            reports = row.reports
            values: list[Any] = [
                row.rank,
                row.region.code,
                row.region.name,
                row.filled,
                row.expected,
                row.filled_percent,
                reports.expected if reports else None,
                reports.on_time if reports else None,
                reports.late if reports else None,
                reports.missing if reports else None,
            ]
            if ranking is not None:
                band = bands.band_for(indicator=ranking, coverage=row.coverage)
                values += [
                    row.numerator if row.denominator else None,
                    row.denominator or None,
                    Banded(row.coverage, band),
                ]
            yield values

    title = _("Regions of %(region)s %(period)s") % {
        "region": region_label(dashboard.region),
        "period": _period_label(dashboard.filters),
    }
    as_of = _as_of(dashboard.data_as_of, dashboard.region)
    return Table(title=title, columns=columns, rows=rows(), **as_of)


def _scorecard_columns(indicators: list[Indicator], previous: str) -> list[Column]:
    columns = [
        Column("region_code", _("Code"), TEXT, 14),
        Column("region_name", _("Region"), TEXT, 30),
    ]
    for indicator in indicators:
        columns += [
            Column(f"{indicator.code}_coverage_percent", indicator.code, PERCENT, 9),
            Column(
                f"{indicator.code}_change_points",
                _("%(code)s change since %(period)s")
                % {"code": indicator.code, "period": previous},
                POINTS,
                9,
            ),
        ]
    return columns


def _score_values(row: ScoreRow) -> list[Any]:
    values: list[Any] = [row.region.code if row.region else "", region_label(row.region)]
    for cell in row.cells:
        values += [Banded(cell.coverage, cell.band), cell.change]
    return values


def _legend_notes(previous: str) -> list[str]:
    bands = legend()
    notes = [_("Colours: %(bands)s.") % {"bands": "; ".join(b.label for b in bands.all_bands)}]
    notes.append(
        _("Change: percentage points since %(period)s (empty: no value in one of the periods).")
        % {"period": previous}
    )
    return notes


def scorecard_table(scorecard: Scorecard) -> Table:
    previous = scorecard.previous_period

    def rows() -> Iterator[list[Any]]:
        yield _score_values(scorecard.total)
        for row in scorecard.rows:
            yield _score_values(row)

    title = _("Scorecard %(region)s %(period)s") % {
        "region": region_label(scorecard.region),
        "period": scorecard.filters.period,
    }
    return Table(
        title=title,
        columns=_scorecard_columns(scorecard.indicators, previous),
        rows=rows(),
        **_as_of(scorecard.data_as_of, scorecard.region),
        notes=_legend_notes(previous),
    )


def village_scorecard_table(
    *, region: Region | None, filters: Filters, indicators: list[Indicator], as_of: Any
) -> Table:
    """Every desa under the region: a generator, read while the response streams."""
    previous = filters.previous_period
    rows = (
        _score_values(row)
        for row in village_rows(region=region, filters=filters, indicators=indicators)
    )
    title = _("Scorecard of all villages, %(region)s %(period)s") % {
        "region": region_label(region),
        "period": filters.period,
    }
    return Table(
        title=title,
        columns=_scorecard_columns(indicators, previous),
        rows=rows,
        **_as_of(as_of, region),
        notes=_legend_notes(previous),
    )
