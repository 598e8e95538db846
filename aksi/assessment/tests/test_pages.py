"""The pages, by role: the province admin runs the round, scorers get their grid and save per
cell (htmx), results and the score sheet are for the province until published, then for all."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.assessment import services
from aksi.assessment.models import AssessmentRound, RoundStatus, Score

from .factories import item, region


def _client(user: User | None) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def _scored_and_closed(
    round: AssessmentRound, admin: User, panelists: list[User], technical: User
) -> None:
    services.score_save(
        actor=technical, round=round, participant=region("35.19"), item=item(round, "T2"), grade="A"
    )
    services.score_save(
        actor=panelists[0],
        round=round,
        participant=region("35.19"),
        item=item(round, "1.1"),
        grade="B",
    )
    services.round_close(actor=admin, round=round)


def test_the_admin_creates_a_round_from_the_list(province_admin: User) -> None:
    client = _client(province_admin)
    listing = client.get(reverse("assessment:list"))
    assert listing.status_code == 200
    assert reverse("assessment:create") in listing.content.decode()
    response = client.post(
        reverse("assessment:create"),
        {"province": "35", "conducted_year": "2025", "assessed_year": "2024", "title": ""},
    )
    round = AssessmentRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:detail", args=[round.pk])
    assert round.title == "Performance assessment of the regencies/cities of Jawa Timur, 2025"
    detail = client.get(response["Location"]).content.decode()
    assert "Open scoring" in detail
    assert "Add a rubric item" in detail
    assert "lokasi prioritas" in detail


def test_nobody_else_sees_the_create_page(district_admin: User, technical: User) -> None:
    for user in (district_admin, technical):
        client = _client(user)
        assert (
            reverse("assessment:create")
            not in client.get(reverse("assessment:list")).content.decode()
        )
        assert client.get(reverse("assessment:create")).status_code == 403
    assert _client(None).get(reverse("assessment:list")).status_code == 302  # to the login


def test_weights_not_adding_up_are_named_on_the_settings_page(
    draft_round: AssessmentRound, province_admin: User
) -> None:
    client = _client(province_admin)
    url = reverse("assessment:edit", args=[draft_round.pk])
    assert client.get(url).status_code == 200
    form = {
        "title": draft_round.title,
        "conducted_year": "2025",
        "assessed_year": "2024",
        "technical_weight": "70",
        "panel_weight": "40",
        "grade_scale": "A=100; B=75; C=50; D=25",
        "blank_value": "0",
        "participants": ["35.19", "35.77"],
    }
    body = client.post(url, form).content.decode()
    assert "add up to 110; they must add up to 100" in body
    form |= {"panel_weight": "30", "grade_scale": "A=100; B 75"}
    body = client.post(url, form).content.decode()
    assert "“B 75” is not a grade with its value" in body
    form |= {"grade_scale": "A=100; B=62,5; C=25", "blank_value": "2,5"}
    response = client.post(url, form)
    assert response.status_code == 302
    draft_round.refresh_from_db()
    assert (draft_round.technical_weight, draft_round.panel_weight) == (70, 30)
    assert [g["value"] for g in draft_round.grade_scale] == [100, "62.5", 25]
    assert str(draft_round.blank_value) == "2.50"
    assert sorted(draft_round.participants.values_list("code", flat=True)) == ["35.19", "35.77"]


def test_the_rubric_editor_adds_changes_and_removes_items(
    draft_round: AssessmentRound, province_admin: User
) -> None:
    client = _client(province_admin)
    response = client.post(
        reverse("assessment:item_add", args=[draft_round.pk]),
        {
            "component": "panel",
            "code": "3.1",
            "text": "Video inovasi",
            "weight": "1,5",
            "source": "graded",
        },
    )
    assert response.status_code == 302
    added = item(draft_round, "3.1")
    assert str(added.weight) == "1.50"
    response = client.post(
        reverse("assessment:item_edit", args=[draft_round.pk, added.pk]),
        {
            "code": "3.1",
            "text": "Video inovasi daerah",
            "weight": "0",
            "order": "20",
            "source": "graded",
        },
    )
    assert (
        "The weight of an item is a number above 0 and at most 1000." in response.content.decode()
    )
    client.post(reverse("assessment:item_delete", args=[draft_round.pk, added.pk]))
    assert not draft_round.items.filter(code="3.1").exists()


def test_panelists_are_assigned_from_the_holders_of_the_role(
    draft_round: AssessmentRound, province_admin: User, panelists: list[User]
) -> None:
    client = _client(province_admin)
    body = client.get(reverse("assessment:detail", args=[draft_round.pk])).content.decode()
    assert "Panelis_1 (panelis_1)" in body
    client.post(
        reverse("assessment:panelist_add", args=[draft_round.pk]), {"user": panelists[0].pk}
    )
    assert list(draft_round.panelists.values_list("user_id", flat=True)) == [panelists[0].pk]
    client.post(reverse("assessment:panelist_remove", args=[draft_round.pk, panelists[0].pk]))
    assert not draft_round.panelists.exists()


def test_a_panelist_scores_a_cell_with_htmx(
    open_round: AssessmentRound, panelists: list[User]
) -> None:
    client = _client(panelists[0])
    grid = client.get(reverse("assessment:scoring", args=[open_round.pk]))
    body = grid.content.decode()
    assert grid.status_code == 200
    assert body.count('<tr><th scope="row">') == 4  # four kab/kota
    panel_item = item(open_round, "1.1")
    key = f"35-19-{panel_item.pk}"
    assert f'id="g-{key}"' in body
    url = reverse("assessment:score_cell", args=[open_round.pk, "35.19", panel_item.pk])
    saved = client.post(
        url, {"grade": "B", "version": "0", "note": ""}, headers={"HX-Request": "true"}
    )
    assert saved.status_code == 200
    assert "saved" in saved.content.decode()
    assert f'id="version-{key}" value="1" hx-swap-oob="true"' in saved.content.decode()
    assert Score.objects.get().grade == "B"
    # A stale tab (still at version 0) gets a conflict showing the saved grade.
    stale = client.post(url, {"grade": "D", "version": "0"}, headers={"HX-Request": "true"})
    assert "Grade B was saved meanwhile" in stale.content.decode()
    bad = client.post(url, {"grade": "E", "version": "1"}, headers={"HX-Request": "true"})
    assert "“E” is not a grade of this round" in bad.content.decode()
    assert Score.objects.get().grade == "B"


def test_a_kab_kota_gets_no_grid_and_no_cell(
    open_round: AssessmentRound, district_admin: User, technical: User
) -> None:
    client = _client(district_admin)
    assert client.get(reverse("assessment:scoring", args=[open_round.pk])).status_code == 404
    url = reverse(
        "assessment:score_cell", args=[open_round.pk, "35.19", item(open_round, "1.1").pk]
    )
    assert client.post(url, {"grade": "A"}).status_code == 404
    # The technical team gets the technical grid, and is refused a panel cell.
    team = _client(technical)
    assert (
        team.get(
            reverse("assessment:scoring", args=[open_round.pk]) + "?component=panel"
        ).status_code
        == 403
    )
    refused = team.post(url, {"grade": "A", "version": "0"})
    assert refused.status_code == 403
    assert not Score.objects.exists()


def test_results_are_the_provinces_until_published_then_everyones(
    open_round: AssessmentRound,
    province_admin: User,
    panelists: list[User],
    technical: User,
    district_admin: User,
) -> None:
    _scored_and_closed(open_round, province_admin, panelists, technical)
    results_url = reverse("assessment:results", args=[open_round.pk])
    sheet_url = reverse("assessment:sheet", args=[open_round.pk, "35.19"])
    admin = _client(province_admin)
    body = admin.get(results_url).content.decode()
    assert "Provisional results" in body
    assert "Publish the results" in body
    assert _client(district_admin).get(results_url).status_code == 404
    assert _client(panelists[0]).get(results_url).status_code == 403
    admin.post(reverse("assessment:transition", args=[open_round.pk, "publish"]))
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.PUBLISHED
    kab = _client(district_admin)
    published = kab.get(results_url).content.decode()
    assert "Results and ranking" in published
    # Madiun: technical (A on T2 → 100 of 8 equal items = 12,5), panel B on 1.1 of 5 → 15.
    assert re.search(r"Kabupaten Madiun.*?12\.5.*?15", published, re.S)
    sheet = kab.get(sheet_url).content.decode()
    assert "scorer 1" in sheet
    assert "Teknis_Jatim" not in sheet
    assert "Teknis_Jatim" in admin.get(sheet_url).content.decode()


def test_numbers_are_shown_the_indonesian_way(
    open_round: AssessmentRound, province_admin: User, panelists: list[User], technical: User
) -> None:
    _scored_and_closed(open_round, province_admin, panelists, technical)
    client = _client(province_admin)
    client.cookies["django_language"] = "id"
    body = client.get(reverse("assessment:results", args=[open_round.pk])).content.decode()
    assert "12,5" in body
    assert "12.5" not in body


def test_transitions_from_the_page_report_refusals(
    draft_round: AssessmentRound, province_admin: User, other_admin: User
) -> None:
    client = _client(province_admin)
    response = client.post(
        reverse("assessment:transition", args=[draft_round.pk, "open"]), follow=True
    )
    assert "Assign at least one panelist" in response.content.decode()
    draft_round.refresh_from_db()
    assert draft_round.status == RoundStatus.DRAFT
    assert (
        _client(other_admin)
        .post(reverse("assessment:transition", args=[draft_round.pk, "open"]))
        .status_code
        == 404
    )


@pytest.mark.parametrize("role", [Role.REGION_ADMIN, Role.PANELIST, Role.VIEWER])
def test_the_menu_shows_the_assessment_to_signed_in_users(db: None, role: str) -> None:
    user = user_with_role("someone", role, "35")
    body = _client(user).get("/").content.decode()
    assert f'href="{reverse("assessment:list")}"' in body


def test_the_round_list_has_a_query_budget(
    province_admin: User, jatim: object, django_assert_max_num_queries: object
) -> None:
    from .factories import make_round

    for year in range(2019, 2027):
        make_round(province_admin, jatim, [region("35.19"), region("35.77")], conducted_year=year)
    client = _client(province_admin)
    # session, user, assignments; provinces of the filter, "may create?", the rounds with their
    # province and participant count; the session saved again (3 with its savepoint)
    with django_assert_max_num_queries(9):  # type: ignore[operator]
        response = client.get(reverse("assessment:list"))
    assert response.content.decode().count("/assessment/") >= 8


def test_the_grid_and_the_results_have_query_budgets(
    province_admin: User,
    jatim: object,
    technical: User,
    panelists: list[User],
    django_assert_max_num_queries: object,
) -> None:
    from aksi.regions.models import Region

    from .factories import make_round

    districts = list(Region.objects.filter(parent_id="35", level="district").order_by("code"))
    round = make_round(province_admin, jatim, districts)  # all 38 kab/kota
    services.round_panelist_add(actor=province_admin, round=round, user=panelists[0])
    services.round_open_scoring(actor=province_admin, round=round)
    for district in districts:
        services.score_save(
            actor=panelists[0],
            round=round,
            participant=district,
            item=item(round, "1.1"),
            grade="B",
        )
    services.round_close(actor=province_admin, round=round)
    panelist = _client(panelists[0])
    # session, user, assignments, the round, panelist check (x2: grid and template), items,
    # scores, participants; the session saved again (3)
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        grid = panelist.get(reverse("assessment:scoring", args=[round.pk]) + "?component=panel")
    assert grid.content.decode().count('<tr><th scope="row">') == 38
    # Prevalence of every kab/kota from both sources, both years (outcome beside the score).
    from .factories import eppgbm_count, survey_figure

    for district in districts:
        village = Region.objects.filter(district_code=district.code, level="village").first()
        for year, value in ((2023, "21.0"), (2024, "20.0")):
            survey_figure(district.code, "ski", year, value)
            eppgbm_count(village.code, f"{year}08", 100, 15)  # type: ignore[union-attr]
    admin = _client(province_admin)
    # session, user, assignments, the round, results with regions, rubric items; the outcome:
    # kab/kota and their survey figures, e-PPGBM periods, two periods × (sums, kab/kota);
    # session (3)
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        results = admin.get(reverse("assessment:results", args=[round.pk]))
    body = results.content.decode()
    assert body.count("/results/35.") == 38
    assert body.count("SKI 2024") == 38
    assert body.count("N = 100") == 76
