"""GET /api/v1/assessment-results: published rounds for any caller; a round not yet published
only for its province's team and national roles; filtered by region, years; paginated; beside
each score the prevalence of both sources apart and the outcome-mismatch flag."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils.dateparse import parse_datetime

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.assessment import services
from aksi.assessment.models import AssessmentRound
from aksi.assessment.tests.factories import (
    eppgbm_count,
    grade,
    item,
    make_round,
    simple_rubric,
    survey_figure,
)
from aksi.regions.models import Region

from .conftest import token_client


def _round(admin: User, province: str, codes: list[str], year: int) -> AssessmentRound:
    round = make_round(
        admin,
        Region.objects.get(code=province),
        list(Region.objects.filter(code__in=codes)),
        conducted_year=year,
    )
    simple_rubric(round, admin)
    panelist = user_with_role(f"panelis_{province}_{year}", Role.PANELIST, province)
    services.round_panelist_add(actor=admin, round=round, user=panelist)
    services.round_open_scoring(actor=admin, round=round)
    grade(admin, round, codes[0], item(round, "T1"), "A")
    grade(panelist, round, codes[0], item(round, "P2"), "B")
    return round


@pytest.fixture
def jatim_admin(db: None) -> User:
    return user_with_role("admin_jatim", Role.REGION_ADMIN, "35")


@pytest.fixture
def rounds(jatim_admin: User) -> dict[str, AssessmentRound]:
    """Jawa Timur 2025 published, Jawa Timur 2026 still scoring, Bali 2025 published."""
    published = _round(jatim_admin, "35", ["35.19", "35.77"], 2025)
    services.round_close(actor=jatim_admin, round=published)
    services.round_publish(actor=jatim_admin, round=published)
    scoring = _round(jatim_admin, "35", ["35.19", "35.77"], 2026)
    services.results_compute(actor=jatim_admin, round=scoring)
    bali_admin = user_with_role("admin_bali", Role.REGION_ADMIN, "51")
    bali = _round(bali_admin, "51", ["51.01", "51.71"], 2025)
    services.round_close(actor=bali_admin, round=bali)
    services.round_publish(actor=bali_admin, round=bali)
    return {"published": published, "scoring": scoring, "bali": bali}


def _missing(year: int, why: str) -> dict[str, Any]:
    return {
        "year": year,
        "prevalence": None,
        "survey": None,
        "period": None,
        "measured": None,
        "sample_size": None,
        "low_n": False,
        "missing": why,
    }


def _rounds(body: dict[str, Any]) -> set[int]:
    return {r["round_id"] for r in body["items"]}


def test_published_results_are_read_by_any_caller(
    api: Client, rounds: dict[str, AssessmentRound], django_assert_max_num_queries: Any
) -> None:
    # auth: token with its user, its last use, assignments; the count, the page joined with
    # rounds, provinces and regions; per province on the page (two): e-PPGBM periods (none
    # here, so no counts to read), kab/kota and their survey figures
    with django_assert_max_num_queries(11):
        response = api.get("/api/v1/assessment-results")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert _rounds(body) == {rounds["published"].pk, rounds["bali"].pk}
    first = next(r for r in body["items"] if r["region"] == "35.19")
    published = rounds["published"]
    published.refresh_from_db()
    published_at = parse_datetime(first.pop("published_at"))
    assert published_at is not None
    assert published.published_at is not None
    assert abs(published_at - published.published_at) < dt.timedelta(milliseconds=1)
    assert parse_datetime(first.pop("computed_at")) is not None
    assert first == {
        "round_id": published.pk,
        "round_title": published.title,
        "round_status": "published",
        "conducted_year": 2025,
        "assessed_year": 2024,
        "province": "35",
        "region": "35.19",
        "region_name": "Kabupaten Madiun",
        # technical (2×100)/3 = 66.67; panel (3×75)/4 = 56.25; 0.6 × 200/3 + 0.4 × 56.25 = 62.5
        "technical": 66.67,
        "panel": 56.25,
        "total": 62.5,
        "technical_weight": 60,
        "panel_weight": 40,
        "rank": 1,
        "technical_rank": 1,
        "panel_rank": 1,
        "results_stale": False,
        # No prevalence figure imported: null with the reason, never 0.
        "prevalence_survey": {
            "previous": _missing(2023, "no survey figure for 2023"),
            "current": _missing(2024, "no survey figure for 2024"),
            "change": None,
            "fell": None,
        },
        "prevalence_eppgbm": {
            "previous": _missing(2023, "no e-PPGBM counts in Jawa Timur for 2023"),
            "current": _missing(2024, "no e-PPGBM counts in Jawa Timur for 2024"),
            "change": None,
            "fell": None,
        },
        "outcome_mismatch": False,
        "outcome_mismatch_sources": [],
        "outcome_mismatch_score": 90.0,
    }


def test_an_unpublished_round_is_for_the_provinces_team_and_national_roles(
    rounds: dict[str, AssessmentRound], jatim_admin: User
) -> None:
    team = token_client(user_with_role("teknis_jatim", Role.PROVINCIAL_REVIEWER, "35"))
    monitor = token_client(user_with_role("monitor", Role.CENTRAL_MONITOR, None))
    kab = token_client(user_with_role("admin_madiun", Role.REGION_ADMIN, "35.19"))
    panelist = token_client(User.objects.get(username="panelis_35_2026"))
    bali_team = token_client(user_with_role("teknis_bali", Role.PROVINCIAL_REVIEWER, "51"))
    scoring = rounds["scoring"].pk
    for client in (token_client(jatim_admin), team, monitor):
        body = client.get("/api/v1/assessment-results").json()
        assert scoring in _rounds(body)
        assert {r["round_status"] for r in body["items"] if r["round_id"] == scoring} == {"scoring"}
    for client in (kab, panelist, bali_team):
        assert scoring not in _rounds(client.get("/api/v1/assessment-results").json())


def test_results_filter_by_region_and_years(
    api: Client, rounds: dict[str, AssessmentRound]
) -> None:
    bali = api.get("/api/v1/assessment-results?region=51").json()
    assert {r["region"] for r in bali["items"]} == {"51.01", "51.71"}
    kota_madiun = api.get("/api/v1/assessment-results?region=35.77").json()
    assert [r["region"] for r in kota_madiun["items"]] == ["35.77"]
    assert api.get("/api/v1/assessment-results?assessed_year=2024").json()["count"] == 4
    assert api.get("/api/v1/assessment-results?conducted_year=2026").json()["count"] == 0
    assert api.get("/api/v1/assessment-results?conducted_year=2025&region=35").json()["count"] == 2
    page = api.get("/api/v1/assessment-results?limit=1&offset=1").json()
    assert page["count"] == 4
    assert len(page["items"]) == 1


def test_bad_filters_get_the_common_error_body(api: Client, db: None) -> None:
    unknown = api.get("/api/v1/assessment-results?region=99.99")
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "No region has the code 99.99."}
    malformed = api.get("/api/v1/assessment-results?assessed_year=abc")
    assert malformed.status_code == 422
    assert malformed.json()["errors"][0]["field"].endswith("assessed_year")
    assert Client().get("/api/v1/assessment-results").status_code == 401


def test_each_result_carries_prevalence_from_both_sources_and_the_mismatch_flag(
    api: Client, jatim_admin: User, settings: Any
) -> None:
    """Madiun scores 62.5 (see above); with the flag from 60 up, a survey figure that rose is a
    mismatch naming the survey, while e-PPGBM, which fell, is not."""
    settings.AKSI_OUTCOME_MISMATCH_SCORE = 60
    round = _round(jatim_admin, "35", ["35.19", "35.77"], 2025)
    services.round_close(actor=jatim_admin, round=round)
    services.round_publish(actor=jatim_admin, round=round)
    survey_figure("35.19", "ski", 2023, "20.0")
    survey_figure("35.19", "ssgi", 2024, "21.5")
    eppgbm_count("35.19.01.2001", "202308", 200, 20, 10)  # 15.0%
    eppgbm_count("35.19.01.2001", "202408", 200, 16, 8)  # 12.0%
    eppgbm_count("35.77.01.1001", "202408", 20, 4)  # 20.0% of 20 children: low N

    items = {r["region"]: r for r in api.get("/api/v1/assessment-results").json()["items"]}
    madiun = items["35.19"]
    assert madiun["total"] == 62.5
    assert madiun["prevalence_survey"] == {
        "previous": {
            "year": 2023,
            "prevalence": 20.0,
            "survey": "ski",
            "period": None,
            "measured": None,
            "sample_size": None,
            "low_n": False,
            "missing": None,
        },
        "current": {
            "year": 2024,
            "prevalence": 21.5,
            "survey": "ssgi",
            "period": None,
            "measured": None,
            "sample_size": None,
            "low_n": False,
            "missing": None,
        },
        "change": 1.5,
        "fell": False,
    }
    eppgbm = madiun["prevalence_eppgbm"]
    assert (eppgbm["previous"]["prevalence"], eppgbm["previous"]["measured"]) == (15.0, 200)
    assert (eppgbm["current"]["period"], eppgbm["current"]["prevalence"]) == ("202408", 12.0)
    assert (eppgbm["change"], eppgbm["fell"]) == (-3.0, True)
    assert madiun["outcome_mismatch"] is True
    assert madiun["outcome_mismatch_sources"] == ["survey"]
    assert madiun["outcome_mismatch_score"] == 60.0
    kota = items["35.77"]  # total 0: below the threshold, never flagged
    assert kota["outcome_mismatch"] is False
    assert kota["prevalence_eppgbm"]["current"]["low_n"] is True
    assert kota["prevalence_eppgbm"]["previous"] == _missing(
        2023, "no counts from this regency/city for August 2023"
    ) | {"period": "202308"}  # the period compared, in which 35.77 has no count
    assert kota["prevalence_survey"]["current"]["prevalence"] is None


def test_a_reopened_round_shows_its_results_out_of_date_to_the_province(
    rounds: dict[str, AssessmentRound], jatim_admin: User
) -> None:
    published = rounds["published"]
    central = user_with_role("pusat", Role.CENTRAL_ADMIN, None)
    services.round_unpublish(actor=central, round=published, reason="salah terbit")
    services.round_reopen(actor=jatim_admin, round=published, reason="koreksi nilai")
    body = token_client(jatim_admin).get("/api/v1/assessment-results?conducted_year=2025").json()
    mine = [r for r in body["items"] if r["round_id"] == published.pk]
    assert {(r["round_status"], r["results_stale"]) for r in mine} == {("scoring", True)}
    public = token_client(user_with_role("admin_madiun", Role.REGION_ADMIN, "35.19"))
    assert published.pk not in _rounds(public.get("/api/v1/assessment-results").json())
