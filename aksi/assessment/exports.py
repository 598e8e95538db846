"""The ranking of a round as an Excel workbook (openpyxl), with the outcome beside the score.

Numbers are stored as numbers with the canonical format code "0.0#": Excel and LibreOffice
show them with the reader's separators, so an Indonesian installation reads 87,5 and 87,25.
A missing prevalence figure is the text "—" with its reason in the notes column, never a 0 or
an empty cell a formula would read as 0.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from aksi.assessment.models import AssessmentResult, AssessmentRound, RoundStatus
from aksi.assessment.selectors import Outcome, PrevalenceChange, PrevalenceFigure, RoundOutcomes
from aksi.assessment.templatetags.assessment_tags import score

SCORE_FORMAT = "0.0#"
PREVALENCE_FORMAT = "0.0"
CHANGE_FORMAT = "+0.0;-0.0;0.0"
COUNT_FORMAT = "#,##0"
MISSING = "—"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _value(figure: PrevalenceFigure) -> float | str:
    return float(figure.value) if figure.value is not None else MISSING


def _survey_note(change: PrevalenceChange) -> str:
    notes = [f.source_label if f.value is not None else f.missing for f in change.figures]
    return "; ".join(notes)


def _eppgbm_note(change: PrevalenceChange) -> str:
    notes = [f.missing for f in change.figures if f.value is None]
    if any(f.low_n for f in change.figures):
        notes.append(_("low N: the change is not judged"))
    return "; ".join(notes)


def _flag(outcome: Outcome) -> str:
    if outcome.mismatch:
        return _("yes: did not fall in %(sources)s") % {
            "sources": ", ".join(outcome.mismatch_labels)
        }
    if outcome.not_judged:
        return _("not judged: no figures for both years")
    return _("no")


def _outcome_header(outcomes: RoundOutcomes) -> list[str]:
    previous, year = outcomes.previous_year, outcomes.year
    first, second = outcomes.period_labels
    first, second = first or str(previous), second or str(year)
    return [
        _("Survey %(year)s (%%)") % {"year": previous},
        _("Survey %(year)s (%%)") % {"year": year},
        _("Survey: change (points)"),
        _("Survey: figures used"),
        _("e-PPGBM %(period)s (%%)") % {"period": first},
        _("N measured %(period)s") % {"period": first},
        _("e-PPGBM %(period)s (%%)") % {"period": second},
        _("N measured %(period)s") % {"period": second},
        _("e-PPGBM: change (points)"),
        _("e-PPGBM: notes"),
        _("Outcome mismatch (total ≥ %(score)s)") % {"score": score(outcomes.threshold)},
    ]


def _outcome_cells(outcome: Outcome) -> list[Any]:
    survey, eppgbm = outcome.survey, outcome.eppgbm

    def change(of: PrevalenceChange) -> float | str:
        return float(of.change) if of.change is not None else MISSING

    def measured(figure: PrevalenceFigure) -> int | str:
        return figure.measured if figure.measured is not None else MISSING

    return [
        _value(survey.previous),
        _value(survey.current),
        change(survey),
        _survey_note(survey),
        _value(eppgbm.previous),
        measured(eppgbm.previous),
        _value(eppgbm.current),
        measured(eppgbm.current),
        change(eppgbm),
        _eppgbm_note(eppgbm),
        _flag(outcome),
    ]


# Number formats of the outcome columns (9 onwards), by column.
OUTCOME_FORMATS = {
    9: PREVALENCE_FORMAT,
    10: PREVALENCE_FORMAT,
    11: CHANGE_FORMAT,
    13: PREVALENCE_FORMAT,
    14: COUNT_FORMAT,
    15: PREVALENCE_FORMAT,
    16: COUNT_FORMAT,
    17: CHANGE_FORMAT,
}


def results_workbook(
    *,
    round: AssessmentRound,
    results: list[AssessmentResult],
    outcomes: RoundOutcomes | None = None,
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Ranking")[:31]
    sheet.append([round.title])
    sheet["A1"].font = Font(bold=True, size=13)
    status = str(RoundStatus(round.status).label)
    computed = max((r.computed_at for r in results), default=None)
    facts: list[tuple[str, Any]] = [
        (_("Province"), f"{round.province.name} ({round.province_id})"),
        (_("Year of the assessment"), round.conducted_year),
        (_("Year assessed"), round.assessed_year),
        (
            _("Weights"),
            _("technical %(technical)s%%, panel %(panel)s%%")
            % {"technical": round.technical_weight, "panel": round.panel_weight},
        ),
        (_("Status"), status),
        (
            _("Computed"),
            formats.date_format(timezone.localtime(computed), "j F Y H:i") if computed else "—",
        ),
    ]
    if outcomes is not None:
        facts.append((_("Outcome mismatch from a total score of"), float(outcomes.threshold)))
    for label, value in facts:
        sheet.append([label, value])
    sheet.append(
        [
            _(
                "All scores are computed by Aksi from the saved grades (and, for items marked "
                "computed, from the reporting progress of the year assessed); none is typed."
            )
        ]
    )
    if round.results_stale:
        sheet.append(
            [
                _(
                    "Out of date: grades changed or the round was reopened after these results "
                    "were computed."
                )
            ]
        )
    if outcomes is not None:
        sheet.append(
            [
                _(
                    "Stunting prevalence is shown beside the score and never enters it. Survey "
                    "figures (SSGI/SKI) and e-PPGBM counts are kept apart; “—” means there is no "
                    "figure, with the reason in the notes column, never 0."
                )
            ]
        )
    sheet.append([])
    header = [
        _("Rank"),
        _("Code"),
        _("Regency/city"),
        _("Technical score"),
        _("Technical rank"),
        _("Panel score"),
        _("Panel rank"),
        _("Total score"),
    ]
    if outcomes is not None:
        header += _outcome_header(outcomes)
    sheet.append(header)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for result in results:
        cells: list[Any] = [
            result.rank,
            result.region_id,
            result.region.name,
            float(result.technical),
            result.technical_rank,
            float(result.panel),
            result.panel_rank,
            float(result.total),
        ]
        if outcomes is not None:
            cells += _outcome_cells(outcomes.by_result[result.pk])
        sheet.append(cells)
        row = sheet.max_row
        for column in (4, 6, 8):
            sheet.cell(row, column).number_format = SCORE_FORMAT
        for column, number_format in OUTCOME_FORMATS.items():
            if outcomes is not None and not isinstance(sheet.cell(row, column).value, str):
                sheet.cell(row, column).number_format = number_format
    widths = [10, 10, 28, 14, 12, 14, 12, 14]
    if outcomes is not None:
        widths += [12, 12, 12, 30, 14, 12, 14, 12, 12, 36, 30]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
