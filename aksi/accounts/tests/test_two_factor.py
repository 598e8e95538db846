from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from aksi.accounts import services
from aksi.accounts.models import User
from aksi.accounts.tests.factories import region_admin
from aksi.core.models import AuditEvent, AuditEventType

PASSWORD = "correct horse battery"


@pytest.fixture
def two_factor_on(settings: Any) -> None:
    settings.AKSI_TWO_FACTOR_REQUIRED = True


def _login(client: Client, username: str) -> None:
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302


def test_an_admin_must_set_up_an_authenticator_then_enter_codes(
    client: Client, db: None, two_factor_on: None
) -> None:
    admin = region_admin()
    _login(client, admin.username)
    response = client.get(reverse("accounts:users"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))

    page = client.get(reverse("two_factor_setup"))
    assert page.context["qr"].startswith("data:image/svg+xml")
    device = TOTPDevice.objects.get(user=admin)
    wrong = client.post(reverse("two_factor_setup"), {"token": "000000"})
    assert wrong.context["form"].errors["token"]
    device.refresh_from_db()
    assert not device.confirmed

    # A wrong code slows the next attempt down (throttling); wait it out, then the right one.
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5)):
        client.post(reverse("two_factor_setup"), {"token": f"{totp(device.bin_key):06d}"})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("accounts:users")).status_code == 200
    assert AuditEvent.objects.filter(event_type=AuditEventType.TWO_FACTOR_ENABLED).exists()

    # A later login asks for a code before anything else.
    client.post(reverse("logout"))
    _login(client, admin.username)
    assert client.get(reverse("accounts:users"))["Location"].startswith(
        reverse("two_factor_verify")
    )


def test_an_operator_logs_in_with_a_password_alone(
    client: Client, district_operator: User, two_factor_on: None
) -> None:
    _login(client, district_operator.username)
    assert client.get(reverse("regions:browse")).status_code == 200


def test_an_admin_can_reset_a_lost_authenticator(db: None, two_factor_on: None) -> None:
    user = region_admin("35.19.01", "admin_kebonsari")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    boss = region_admin()
    assert services.user_two_factor_reset(actor=boss, user=user) == 1
    assert not TOTPDevice.objects.filter(user=user).exists()
