"""DOMAIN §8.4: beside each score, the kab/kota's stunting prevalence in the year assessed and
the year before from the survey and from e-PPGBM, never mixed, "—" with the reason where there
is no figure (never 0), and the "outcome mismatch" flag when a score of at least the threshold
came with prevalence that did not fall — naming the source. Prevalence never enters the score.

The Jawa Timur round assesses 2024. Madiun (35.19) and Kota Madiun (35.77) get full marks (100),
Jombang (35.17) and Nganjuk (35.18) nothing (0):

| | survey 2023 → 2024 | e-PPGBM Aug 2023 → Aug 2024 |
|---|---|---|
| Madiun | SKI 20.0 → SSGI 21.5 (rose) | 15.0 → 12.0 (fell) |
| Kota Madiun | SKI 25.0 → SSGI 22.0 (fell) | 15.0 → 16.0 (rose) |
| Jombang | SKI 30.0 → none | none → 20.0 |
| Nganjuk | none | 10 children measured: low N |
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from aksi.accounts.models import User
from aksi.assessment import selectors, services
from aksi.assessment.models import AssessmentResult, AssessmentRound
from aksi.assessment.selectors.outcomes import (
    PrevalenceChange,
    PrevalenceFigure,
    _compared_periods,
)

from .factories import eppgbm_count, full_marks, survey_figure


@pytest.fixture
def prevalence(db: None) -> None:
    survey_figure("35.19", "ski", 2023, "20.0")
    survey_figure("35.19", "ssgi", 2024, "21.5", sample_size=412)
    survey_figure("35.77", "ski", 2023, "25.0")
    survey_figure("35.77", "ssgi", 2024, "22.0")
    survey_figure("35.17", "ski", 2023, "30.0")
    survey_figure("35.19", "ssgi", 2022, "40.0")  # two years back: not shown
    eppgbm_count("35.19.01.2001", "202308", 200, 20, 10)  # 15.0%
    eppgbm_count("35.19.01.2001", "202402", 200, 40)  # February: not the period compared
    eppgbm_count("35.19.01.2001", "202408", 200, 16, 8)  # 12.0%
    eppgbm_count("35.77.01.1001", "202308", 100, 10, 5)  # 15.0%
    eppgbm_count("35.77.01.1001", "202408", 100, 12, 4)  # 16.0%
    eppgbm_count("35.17.01.2001", "202408", 100, 20)  # 20.0%, nothing a year before
    eppgbm_count("35.18.01.2001", "202308", 10, 2)  # low N
    eppgbm_count("35.18.01.2001", "202408", 10, 3)  # low N


@pytest.fixture
def closed_round(
    simple_round: AssessmentRound, province_admin: User, technical: User, panelists: list[User]
) -> AssessmentRound:
    for code in ("35.19", "35.77"):
        full_marks(simple_round, code, technical, panelists[0])
    return services.round_close(actor=province_admin, round=simple_round)


def _outcomes(round: AssessmentRound) -> tuple[selectors.RoundOutcomes, dict[str, Any]]:
    results = list(round.results.select_related("region", "round__province"))
    outcomes = selectors.round_outcomes(round=round, results=results)
    return outcomes, {r.region_id: outcomes.by_result[r.pk] for r in results}


def _client(user: User, language: str = "en") -> Client:
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(user)
    return client


def test_each_source_is_read_apart_for_the_year_assessed_and_the_year_before(
    prevalence: None, closed_round: AssessmentRound
) -> None:
    outcomes, by_region = _outcomes(closed_round)
    assert (outcomes.previous_year, outcomes.year) == (2023, 2024)
    assert outcomes.periods == ("202308", "202408")  # August with August, not February
    madiun = by_region["35.19"]
    assert madiun.total == Decimal("100.00")
    assert (madiun.survey.previous.value, madiun.survey.current.value) == (
        Decimal("20.0"),
        Decimal("21.5"),
    )
    assert madiun.survey.previous.source_label == "SKI 2023"
    assert madiun.survey.current.source_label == "SSGI 2024"
    assert madiun.survey.current.sample_size == 412
    assert madiun.survey.change == Decimal("1.5")
    assert madiun.survey.fell is False
    assert (madiun.eppgbm.previous.value, madiun.eppgbm.current.value) == (
        Decimal("15.0"),
        Decimal("12.0"),
    )
    assert (madiun.eppgbm.previous.measured, madiun.eppgbm.current.measured) == (200, 200)
    assert madiun.eppgbm.change == Decimal("-3.0")
    assert madiun.eppgbm.fell is True


def test_the_flag_names_the_source_in_which_prevalence_did_not_fall(
    prevalence: None, closed_round: AssessmentRound
) -> None:
    _outcomes_, by_region = _outcomes(closed_round)
    assert by_region["35.19"].mismatch_sources == ["survey"]
    assert by_region["35.77"].mismatch_sources == ["eppgbm"]
    assert by_region["35.77"].mismatch_labels == ["e-PPGBM"]
    # Jombang's prevalence did not fall either way, but its score is 0: no flag.
    assert by_region["35.17"].total == 0
    assert not by_region["35.17"].mismatch
    assert not by_region["35.17"].not_judged


def test_missing_figures_say_why_and_are_never_zero(
    prevalence: None, closed_round: AssessmentRound
) -> None:
    _outcomes_, by_region = _outcomes(closed_round)
    jombang, nganjuk = by_region["35.17"], by_region["35.18"]
    assert jombang.survey.current.value is None
    assert jombang.survey.current.missing == "no survey figure for 2024"
    assert jombang.survey.change is None
    assert jombang.survey.fell is None
    assert jombang.eppgbm.previous.value is None
    assert jombang.eppgbm.previous.missing == "no counts from this regency/city for August 2023"
    assert jombang.eppgbm.current.value == Decimal("20.0")
    assert nganjuk.survey.previous.missing == "no survey figure for 2023"
    # Ten children measured: the figure is shown, flagged low N and not judged.
    assert nganjuk.eppgbm.current.value == Decimal("30.0")
    assert nganjuk.eppgbm.current.low_n
    assert nganjuk.eppgbm.change == Decimal("10.0")
    assert nganjuk.eppgbm.fell is None


def test_the_threshold_is_a_setting(
    prevalence: None, closed_round: AssessmentRound, settings: Any
) -> None:
    settings.AKSI_OUTCOME_MISMATCH_SCORE = 101  # above any score: the flag is off everywhere
    _outcomes_, by_region = _outcomes(closed_round)
    assert not any(o.mismatch for o in by_region.values())
    settings.AKSI_OUTCOME_MISMATCH_SCORE = 0  # every score counts as high
    outcomes, by_region = _outcomes(closed_round)
    assert outcomes.threshold == 0
    assert by_region["35.19"].mismatch_sources == ["survey"]
    # Nothing to compare in either source (one year missing, low N): not judged, not flagged.
    assert by_region["35.17"].not_judged
    assert not by_region["35.17"].mismatch
    assert by_region["35.18"].not_judged
    assert not by_region["35.18"].mismatch


def test_prevalence_never_enters_the_score(
    simple_round: AssessmentRound,
    province_admin: User,
    technical: User,
    panelists: list[User],
    prevalence: None,
) -> None:
    full_marks(simple_round, "35.19", technical, panelists[0])
    before = {
        r.region_id: r.total
        for r in services.results_compute(actor=province_admin, round=simple_round)
    }
    survey_figure("35.19", "ski", 2024, "35.0")
    eppgbm_count("35.19.01.2002", "202408", 500, 200)
    after = {
        r.region_id: r.total
        for r in services.results_compute(actor=province_admin, round=simple_round)
    }
    assert before == after
    assert after["35.19"] == Decimal("100.00")


def test_an_unchanged_figure_has_not_fallen() -> None:
    same = PrevalenceChange(
        "survey",
        PrevalenceFigure(year=2023, source="survey", value=Decimal("21.5"), survey="ski"),
        PrevalenceFigure(year=2024, source="survey", value=Decimal("21.5"), survey="ssgi"),
    )
    assert same.change == 0
    assert same.fell is False


def test_two_surveys_of_one_year_give_the_one_the_prevalence_page_shows_as_latest(
    prevalence: None, closed_round: AssessmentRound
) -> None:
    survey_figure("35.77", "ski", 2024, "19.0")  # beside SSGI 2024 (22.0)
    _outcomes_, by_region = _outcomes(closed_round)
    assert by_region["35.77"].survey.current.source_label == "SSGI 2024"
    assert by_region["35.77"].survey.current.value == Decimal("22.0")


@pytest.mark.parametrize(
    ("periods", "compared"),
    [
        (["202502", "202408", "202402", "202308", "2023"], ("202308", "202408")),
        (["2024S2", "2024", "2023"], ("2023", "2024S2")),  # no 2023S2: the latest of 2023
        (["202308"], ("202308", "")),
        (["202502"], ("", "")),
        ([], ("", "")),
    ],
)
def test_the_e_ppgbm_periods_compared_are_like_for_like(
    periods: list[str], compared: tuple[str, str]
) -> None:
    assert _compared_periods(periods, 2024) == compared


def test_without_any_e_ppgbm_count_the_province_is_named(closed_round: AssessmentRound) -> None:
    outcomes, by_region = _outcomes(closed_round)
    assert outcomes.periods == ("", "")
    figure = by_region["35.19"].eppgbm.current
    assert figure.value is None
    assert figure.missing == "no e-PPGBM counts in Jawa Timur for 2024"


# --- the results page -------------------------------------------------------------------------


def _row(body: str, code: str) -> str:
    start = body.index(f'data-region="{code}"')
    return body[start : body.index("</tr>", start)]


def test_the_results_page_shows_the_outcome_beside_the_score(
    prevalence: None, closed_round: AssessmentRound, province_admin: User
) -> None:
    response = _client(province_admin).get(reverse("assessment:results", args=[closed_round.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="outcome-missing"' not in body  # both sources have figures
    outcome = body[body.index('id="outcome"') :]
    assert "August 2023" in outcome
    assert "August 2024" in outcome
    madiun = _row(outcome, "35.19")
    assert "20.0%" in madiun
    assert "SKI 2023" in madiun
    assert "21.5%" in madiun
    assert "SSGI 2024" in madiun
    assert "(n=412)" in madiun
    assert "+1.5" in madiun
    assert "\u22123.0" in madiun
    assert "N = 200" in madiun
    assert "outcome mismatch" in madiun
    assert "did not fall: survey (SSGI/SKI)" in madiun
    kota = _row(outcome, "35.77")
    assert "did not fall: e-PPGBM" in kota
    jombang = _row(outcome, "35.17")
    assert "no survey figure for 2024" in jombang
    assert "no counts from this regency/city for August 2023" in jombang
    assert "outcome mismatch" not in jombang
    assert ">0.0%" not in jombang  # a missing figure is never a 0
    nganjuk = _row(outcome, "35.18")
    assert "low N" in nganjuk
    assert "low N: not judged" in nganjuk
    assert "total ≥ 90" in outcome
    assert "never enters it" in body


def test_the_flag_is_off_below_the_threshold_on_the_page(
    prevalence: None, closed_round: AssessmentRound, province_admin: User, settings: Any
) -> None:
    settings.AKSI_OUTCOME_MISMATCH_SCORE = 101
    body = (
        _client(province_admin)
        .get(reverse("assessment:results", args=[closed_round.pk]))
        .content.decode()
    )
    assert "mismatch-flag" not in body
    assert "total ≥ 101" in body


def test_the_outcome_is_in_the_indonesian_number_format(
    prevalence: None, closed_round: AssessmentRound, province_admin: User
) -> None:
    body = (
        _client(province_admin, "id")
        .get(reverse("assessment:results", args=[closed_round.pk]))
        .content.decode()
    )
    madiun = _row(body[body.index('id="outcome"') :], "35.19")
    assert "21,5%" in madiun
    assert "+1,5" in madiun
    assert "Agustus 2024" in body


# --- the Excel export ---------------------------------------------------------------------------


def test_the_export_has_the_outcome_columns(
    prevalence: None, closed_round: AssessmentRound, province_admin: User
) -> None:
    response = _client(province_admin).get(reverse("assessment:export", args=[closed_round.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, row in enumerate(rows) if row[0] == "Rank")
    assert rows[header_at][8:] == (
        "Survey 2023 (%)",
        "Survey 2024 (%)",
        "Survey: change (points)",
        "Survey: figures used",
        "e-PPGBM August 2023 (%)",
        "N measured August 2023",
        "e-PPGBM August 2024 (%)",
        "N measured August 2024",
        "e-PPGBM: change (points)",
        "e-PPGBM: notes",
        "Outcome mismatch (total ≥ 90)",
    )
    by_code = {row[1]: row for row in rows[header_at + 1 :]}
    assert by_code["35.19"][8:] == (
        20,
        21.5,
        1.5,
        "SKI 2023; SSGI 2024",
        15,
        200,
        12,
        200,
        -3,
        None,  # no note: both figures there
        "yes: did not fall in survey (SSGI/SKI)",
    )
    assert by_code["35.77"][18] == "yes: did not fall in e-PPGBM"
    jombang = by_code["35.17"]
    assert jombang[8:12] == (30, "—", "—", "SKI 2023; no survey figure for 2024")
    assert jombang[12:14] == ("—", "—")
    assert jombang[17] == "no counts from this regency/city for August 2023"
    assert jombang[18] == "no"
    assert by_code["35.18"][17] == "low N: the change is not judged"
    first = header_at + 2
    madiun_row = first + [row[1] for row in rows[header_at + 1 :]].index("35.19")
    assert sheet.cell(madiun_row, 9).number_format == "0.0"
    assert sheet.cell(madiun_row, 11).number_format == "+0.0;-0.0;0.0"
    assert sheet.cell(madiun_row, 14).number_format == "#,##0"
    facts = {row[0]: row[1] for row in rows[:header_at]}
    assert facts["Outcome mismatch from a total score of"] == 90


def test_every_result_of_a_page_gets_its_outcome(
    prevalence: None, closed_round: AssessmentRound
) -> None:
    results = list(
        AssessmentResult.objects.filter(round=closed_round).select_related("round__province")
    )
    outcomes = selectors.result_outcomes(results=results)
    assert set(outcomes) == {r.pk for r in results}


def test_a_source_with_no_figure_at_all_is_said_once_above_the_table(
    closed_round: AssessmentRound, province_admin: User
) -> None:
    body = (
        _client(province_admin)
        .get(reverse("assessment:results", args=[closed_round.pk]))
        .content.decode()
    )
    notes = body[body.index('id="outcome-missing"') : body.index('id="outcome"')]
    assert "No survey figure of a regency/city of Jawa Timur for 2023 or 2024" in notes
    assert "No e-PPGBM counts of the regencies/cities of Jawa Timur for 2023 or 2024" in notes
    madiun = _row(body[body.index('id="outcome"') :], "35.19")
    assert madiun.count('class="num fig-missing"') == 4
    assert 'title="no e-PPGBM counts in Jawa Timur for 2024"' in madiun
