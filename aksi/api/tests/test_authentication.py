"""Tokens, Basic and session: who an API call acts as, and 401s that say nothing more."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.api.models import AccessToken, token_digest
from aksi.api.services import access_token_create, access_token_revoke
from aksi.core.models import AuditEvent, AuditEventType

from .conftest import basic_client

ME = "/api/v1/me"


def test_a_token_acts_as_its_user_and_is_stored_only_as_a_digest(
    kebonsari_operator: User,
) -> None:
    token, secret = access_token_create(user=kebonsari_operator, name="dashboard", days=30)
    assert token.digest == token_digest(secret)
    assert secret not in token.digest
    assert AccessToken.objects.filter(digest__contains=secret).count() == 0
    response = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(ME)
    assert response.status_code == 200
    assert response.json()["entry_regions"] == ["35.19.01"]
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.ACCESS_TOKEN_CREATED, actor=kebonsari_operator
    ).exists()


def test_dhis2_style_api_token_header_is_accepted(kebonsari_operator: User) -> None:
    _token, secret = access_token_create(user=kebonsari_operator, name="dhis2", days=30)
    response = Client(HTTP_AUTHORIZATION=f"ApiToken {secret}").get("/api/me")
    assert response.status_code == 200
    assert response.json()["username"] == "op_kebonsari"


def test_revoked_and_expired_tokens_answer_401(kebonsari_operator: User) -> None:
    token, secret = access_token_create(user=kebonsari_operator, name="old", days=1)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=2)):
        assert client.get(ME).status_code == 401
    access_token_revoke(token=token, actor=kebonsari_operator)
    assert client.get(ME).status_code == 401
    assert AuditEvent.objects.filter(event_type=AuditEventType.ACCESS_TOKEN_REVOKED).exists()


def test_a_deactivated_users_token_stops_working(kebonsari_operator: User) -> None:
    _token, secret = access_token_create(user=kebonsari_operator, name="x", days=30)
    kebonsari_operator.is_active = False
    kebonsari_operator.save()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(ME).status_code == 401


def test_basic_auth_works_and_failures_do_not_tell_whether_the_account_exists(
    kebonsari_operator: User,
) -> None:
    assert basic_client("op_kebonsari").get(ME).status_code == 200
    wrong_password = basic_client("op_kebonsari", "wrong").get(ME)
    no_such_user = basic_client("nobody_here", "wrong").get(ME)
    assert wrong_password.status_code == no_such_user.status_code == 401
    assert wrong_password.content == no_such_user.content
    assert wrong_password["WWW-Authenticate"].startswith("Basic")
    # (Another address: the lockout after repeated failures counts per address too.)
    dhis2_wrong = basic_client("op_kebonsari", "wrong").get(
        "/api/dataElements", REMOTE_ADDR="10.0.0.2"
    )
    dhis2_none = basic_client("nobody_here", "wrong").get(
        "/api/dataElements", REMOTE_ADDR="10.0.0.3"
    )
    assert dhis2_wrong.status_code == dhis2_none.status_code == 401
    assert dhis2_wrong.content == dhis2_none.content


def test_admins_who_must_use_two_factor_cannot_use_basic_auth(db: None, settings: Any) -> None:
    settings.AKSI_TWO_FACTOR_REQUIRED = True
    user_with_role("admin_pusat", Role.CENTRAL_ADMIN, None)
    assert basic_client("admin_pusat").get(ME).status_code == 401


def test_a_user_who_must_change_the_password_is_refused(kebonsari_operator: User) -> None:
    kebonsari_operator.must_change_password = True
    kebonsari_operator.save()
    assert basic_client("op_kebonsari").get(ME).status_code == 401


def test_the_browser_session_reads_but_writes_only_with_the_csrf_token(
    kebonsari_operator: User,
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(kebonsari_operator)
    assert client.get(ME).status_code == 200
    response = client.post("/api/v1/values", {"values": []}, content_type="application/json")
    assert response.status_code == 401


def test_the_token_page_shows_a_new_token_once_and_revokes_it(
    client: Client, kebonsari_operator: User
) -> None:
    client.force_login(kebonsari_operator)
    response = client.post(reverse("api:tokens"), {"name": "Dasbor Dinkes", "days": 30})
    secret = response.context["secret"]
    assert secret.startswith("aksi_pat_")
    assert secret in response.content.decode()
    listing = client.get(reverse("api:tokens")).content.decode()
    assert "Dasbor Dinkes" in listing
    assert secret not in listing
    token = AccessToken.objects.get(user=kebonsari_operator)
    client.post(reverse("api:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_revokes_another_users_token(client: Client, kebonsari_operator: User) -> None:
    token, _secret = access_token_create(user=kebonsari_operator, name="x", days=30)
    other = user_with_role("op_other", Role.OPERATOR, "35.19.02")
    client.force_login(other)
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_token_name_and_validity_are_checked(client: Client, kebonsari_operator: User) -> None:
    client.force_login(kebonsari_operator)
    response = client.post(reverse("api:tokens"), {"name": "x", "days": 5000})
    assert response.context["secret"] is None
    assert not AccessToken.objects.exists()


def test_calls_beyond_the_rate_limit_answer_429(kebonsari_operator: User, settings: Any) -> None:
    from django.core.cache import cache

    from aksi.api.v1 import api

    cache.clear()
    throttle = api.throttle[0]
    old_rate = throttle.rate
    throttle.rate = "3/m"
    throttle.num_requests, throttle.duration = throttle.parse_rate(throttle.rate)
    try:
        _token, secret = access_token_create(user=kebonsari_operator, name="x", days=30)
        client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        codes = [client.get(ME).status_code for _ in range(4)]
    finally:
        throttle.rate = old_rate
        throttle.num_requests, throttle.duration = throttle.parse_rate(old_rate)
        cache.clear()
    assert codes == [200, 200, 200, 429]
