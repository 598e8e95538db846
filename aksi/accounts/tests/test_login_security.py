from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from aksi.accounts.models import User
from aksi.core.models import AuditEvent, AuditEventType

PASSWORD = "correct horse battery"


def _login(client: Client, username: str, password: str, address: str = "10.0.0.1") -> Any:
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_it_stores_passwords_with_argon2(db: None, settings: Any) -> None:
    from aksi import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    user = User.objects.create_user(username="hashed", password=PASSWORD)
    assert user.password.startswith("argon2")


def test_it_audits_login_failed_login_and_logout(client: Client, district_operator: User) -> None:
    _login(client, "operator_madiun", "wrong password")
    _login(client, "operator_madiun", PASSWORD)
    client.post(reverse("logout"))
    events = list(
        AuditEvent.objects.filter(actor_label="operator_madiun")
        .order_by("id")
        .values_list("event_type", flat=True)
    )
    assert events == [AuditEventType.LOGIN_FAILED, AuditEventType.LOGIN, AuditEventType.LOGOUT]


def test_it_locks_an_account_after_repeated_failures_and_says_for_how_long(
    client: Client, district_operator: User, settings: Any
) -> None:
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "operator_madiun", f"wrong {attempt}", address=f"10.0.1.{attempt}")
    # Even the right password is refused now, from yet another address.
    response = _login(client, "operator_madiun", PASSWORD, address="10.0.2.1")
    assert response.status_code == 429
    body = response.content.decode()
    assert "15" in body  # minutes
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.LOCKED_OUT, actor_label="operator_madiun"
    ).exists()


def test_it_locks_an_address_trying_many_accounts(
    client: Client, district_operator: User, settings: Any
) -> None:
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, f"guess{attempt}", "x", address="10.9.9.9")
    response = _login(client, "operator_madiun", PASSWORD, address="10.9.9.9")
    assert response.status_code == 429


def test_it_forces_a_new_password_after_a_one_time_password(
    client: Client, district_operator: User
) -> None:
    district_operator.must_change_password = True
    district_operator.save()
    client.force_login(district_operator)
    response = client.get(reverse("regions:browse"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("password_change"))

    weak = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert weak.status_code == 200
    assert weak.context["form"].errors

    strong = "kelor-daun-hijau-2025"
    done = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": strong, "new_password2": strong},
    )
    assert done.status_code == 302
    district_operator.refresh_from_db()
    assert not district_operator.must_change_password
    assert district_operator.check_password(strong)
    assert client.get(reverse("regions:browse")).status_code == 200
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.PASSWORD_CHANGED, actor=district_operator
    ).exists()
