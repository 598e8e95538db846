"""The Excel export opens, carries the ranking as numbers in a format Indonesian Excel shows as
87,5, and is refused to whoever may not read the results."""

from __future__ import annotations

import io

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from aksi.accounts.models import User
from aksi.assessment import services
from aksi.assessment.models import AssessmentRound

from .factories import grade, item


def test_the_export_has_the_ranking_with_scores_as_numbers(
    simple_round: AssessmentRound, province_admin: User, technical: User, panelists: list[User]
) -> None:
    grade(technical, simple_round, "35.19", item(simple_round, "T1"), "A")
    grade(technical, simple_round, "35.19", item(simple_round, "T2"), "B")
    grade(panelists[0], simple_round, "35.19", item(simple_round, "P1"), "A")
    grade(technical, simple_round, "35.77", item(simple_round, "T1"), "B")
    services.round_close(actor=province_admin, round=simple_round)
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(province_admin)

    response = client.get(reverse("assessment:export", args=[simple_round.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "penilaian-kinerja-35-2025.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "Rank")
    assert rows[header][:8] == (
        "Rank",
        "Code",
        "Regency/city",
        "Technical score",
        "Technical rank",
        "Panel score",
        "Panel rank",
        "Total score",
    )
    assert len(rows[header]) == 19  # then the outcome (test_outcome_beside_score)
    ranking = rows[header + 1 :]
    assert [r[1] for r in ranking] == ["35.19", "35.77", "35.17", "35.18"]
    # Madiun: technical (2×100 + 75) / 3 = 91.67; panel (100 + 0) / 4 = 25; 55 + 10 = 65.
    assert ranking[0][:8] == (1, "35.19", "Kabupaten Madiun", 91.67, 1, 25, 1, 65)
    assert ranking[2][0] == ranking[3][0] == 3  # nothing scored: a shared rank
    first_data_row = header + 2
    assert sheet.cell(first_data_row, 4).number_format == "0.0#"
    assert sheet.cell(first_data_row, 8).number_format == "0.0#"
    assert rows[0][0] == simple_round.title


def test_the_export_is_refused_before_publication_to_a_kab_kota(
    open_round: AssessmentRound, province_admin: User, district_admin: User, panelists: list[User]
) -> None:
    services.round_close(actor=province_admin, round=open_round)
    url = reverse("assessment:export", args=[open_round.pk])
    kab = Client()
    kab.force_login(district_admin)
    assert kab.get(url).status_code == 404
    panelist = Client()
    panelist.force_login(panelists[0])
    assert panelist.get(url).status_code == 403
    services.round_publish(actor=province_admin, round=open_round)
    assert kab.get(url).status_code == 200
