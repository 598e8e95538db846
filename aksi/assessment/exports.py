"""The ranking of a round as an Excel workbook (openpyxl).

Numbers are stored as numbers with the canonical format code "0.0#": Excel and LibreOffice
show them with the reader's separators, so an Indonesian installation reads 87,5 and 87,25.
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

SCORE_FORMAT = "0.0#"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def results_workbook(*, round: AssessmentRound, results: list[AssessmentResult]) -> bytes:
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
    sheet.append(header)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for result in results:
        sheet.append(
            [
                result.rank,
                result.region_id,
                result.region.name,
                float(result.technical),
                result.technical_rank,
                float(result.panel),
                result.panel_rank,
                float(result.total),
            ]
        )
        row = sheet.max_row
        for column in (4, 6, 8):
            sheet.cell(row, column).number_format = SCORE_FORMAT
    for column, width in enumerate((10, 10, 28, 14, 12, 14, 12, 14), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
