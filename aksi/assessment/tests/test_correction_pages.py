"""The corrections on the round page: each button only for who may use it and only in the state
it starts from; a missing reason is named beside the open form (200, nothing changed); done, the
page says the results are out of date and why the round was reopened."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from aksi.accounts.models import User
from aksi.assessment import services
from aksi.assessment.models import AssessmentRound, RoundStatus

from .factories import grade, item


def _client(user: User) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


def _closed(round: AssessmentRound, admin: User, panelist: User) -> AssessmentRound:
    grade(panelist, round, "35.19", item(round, "1.1"), "B")
    return services.round_close(actor=admin, round=round)


def _detail(user: User, round: AssessmentRound) -> str:
    return _client(user).get(reverse("assessment:detail", args=[round.pk])).content.decode()


def test_the_buttons_follow_the_state_and_the_user(
    draft_round: AssessmentRound,
    province_admin: User,
    technical: User,
    central: User,
    panelists: list[User],
) -> None:
    reopen = reverse("assessment:reopen", args=[draft_round.pk])
    unpublish = reverse("assessment:unpublish", args=[draft_round.pk])
    delete = reverse("assessment:delete", args=[draft_round.pk])
    page = _detail(province_admin, draft_round)
    assert delete in page
    assert reopen not in page
    assert unpublish not in page
    assert delete not in _detail(technical, draft_round)

    services.round_panelist_add(actor=province_admin, round=draft_round, user=panelists[0])
    services.round_open_scoring(actor=province_admin, round=draft_round)
    page = _detail(province_admin, draft_round)
    assert delete not in page
    assert reopen not in page

    _closed(draft_round, province_admin, panelists[0])
    page = _detail(province_admin, draft_round)
    assert reopen in page
    assert unpublish not in page
    assert reopen not in _detail(technical, draft_round)
    assert reopen not in _detail(panelists[0], draft_round)

    services.round_publish(actor=province_admin, round=draft_round)
    page = _detail(province_admin, draft_round)
    assert reopen not in page
    assert unpublish not in page
    page = _detail(central, draft_round)
    assert unpublish in page
    assert reopen not in page


def test_a_round_is_reopened_from_its_page_with_a_reason(
    open_round: AssessmentRound, province_admin: User, panelists: list[User]
) -> None:
    _closed(open_round, province_admin, panelists[0])
    client = _client(province_admin)
    url = reverse("assessment:reopen", args=[open_round.pk])
    refused = client.post(url, {"reason": " "})
    body = refused.content.decode()
    assert refused.status_code == 200
    assert "Give the reason for reopening the round." in body
    assert '<details open id="reopen">' in body
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.CLOSED

    done = client.post(url, {"reason": "Nilai 1.1 salah input"}, follow=True)
    body = done.content.decode()
    assert done.redirect_chain[-1][0] == reverse("assessment:detail", args=[open_round.pk])
    assert "The round is open for scoring again." in body
    assert 'id="results-stale"' in body
    assert "Reopened for scoring on" in body
    assert "Nilai 1.1 salah input" in body
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.SCORING
    results = client.get(reverse("assessment:results", args=[open_round.pk])).content.decode()
    assert "These results are out of date" in results


def test_others_cannot_reopen_from_the_page(
    open_round: AssessmentRound,
    province_admin: User,
    technical: User,
    district_admin: User,
    panelists: list[User],
) -> None:
    _closed(open_round, province_admin, panelists[0])
    url = reverse("assessment:reopen", args=[open_round.pk])
    assert _client(technical).post(url, {"reason": "x"}).status_code == 403
    assert _client(district_admin).post(url, {"reason": "x"}).status_code == 404  # unseen
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.CLOSED


def test_the_centre_withdraws_a_publication_from_the_page(
    open_round: AssessmentRound,
    province_admin: User,
    central: User,
    district_admin: User,
    panelists: list[User],
) -> None:
    _closed(open_round, province_admin, panelists[0])
    services.round_publish(actor=province_admin, round=open_round)
    url = reverse("assessment:unpublish", args=[open_round.pk])
    results = reverse("assessment:results", args=[open_round.pk])
    assert _client(district_admin).get(results).status_code == 200
    refused = _client(province_admin).post(url, {"reason": "salah terbit"})
    assert refused.status_code == 403
    client = _client(central)
    blank = client.post(url, {"reason": ""})
    assert "Give the reason for withdrawing the published results." in blank.content.decode()
    done = client.post(url, {"reason": "Diterbitkan sebelum rapat pleno"}, follow=True)
    assert "The results are withdrawn from publication" in done.content.decode()
    assert "Withdrawn from publication on" in done.content.decode()
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.CLOSED
    assert _client(district_admin).get(results).status_code == 404


def test_a_draft_is_deleted_from_its_page(
    draft_round: AssessmentRound, province_admin: User, technical: User
) -> None:
    url = reverse("assessment:delete", args=[draft_round.pk])
    assert _client(technical).post(url).status_code == 403
    response = _client(province_admin).post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("assessment:list")
    assert f"The draft “{draft_round.title}” was deleted." in response.content.decode()
    assert not AssessmentRound.objects.exists()


def test_deleting_a_round_being_scored_is_refused_on_the_page(
    open_round: AssessmentRound, province_admin: User
) -> None:
    response = _client(province_admin).post(
        reverse("assessment:delete", args=[open_round.pk]), follow=True
    )
    assert "Only a draft can be deleted" in response.content.decode()
    assert AssessmentRound.objects.filter(pk=open_round.pk).exists()
