from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from aksi.accounts import services
from aksi.accounts.models import AppointmentDecree, Role, User
from aksi.accounts.tests.factories import pdf_upload, region_admin
from aksi.regions.models import Region


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def _register(actor: User, **extra: Any) -> AppointmentDecree:
    today = timezone.localdate()
    fields: dict[str, Any] = {
        "region": Region.objects.get(code="35.19.01"),
        "number": "188/12/404.301/2025",
        "decree_date": today - dt.timedelta(days=10),
        "signed_by": "Camat Kebonsari",
        "valid_from": today - dt.timedelta(days=10),
        "valid_to": today + dt.timedelta(days=355),
        "file": pdf_upload(),
    }
    fields.update(extra)
    return services.decree_register(actor=actor, **fields)


def test_assignments_from_an_sk_carry_it_and_lapse_when_it_expires(db: None, media: None) -> None:
    admin = region_admin()
    decree = _register(admin)
    account = services.user_create(
        actor=admin,
        username="op.kebonsari",
        full_name="Operator",
        role=Role.OPERATOR,
        region=decree.region,
        decree=decree,
    )
    assignment = account.user.assignments.get()
    assert assignment.decree == decree
    assert account.user.assignments.current().exists()

    AppointmentDecree.objects.filter(pk=decree.pk).update(
        valid_to=timezone.localdate() - dt.timedelta(days=1)
    )
    assert not account.user.assignments.current().exists()


def test_it_refuses_a_file_that_is_not_a_pdf(db: None, media: None) -> None:
    with pytest.raises(ValidationError) as error:
        _register(region_admin(), file=pdf_upload("sk.pdf", b"PK\x03\x04 a zip"))
    assert "file" in error.value.error_dict
    assert not AppointmentDecree.objects.exists()


def test_it_refuses_a_file_over_the_size_limit(db: None, media: None, settings: Any) -> None:
    settings.AKSI_DECREE_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        _register(region_admin(), file=pdf_upload(content=b"%PDF-" + b"0" * 200))
    assert "file" in error.value.error_dict


def test_it_refuses_an_expired_sk_and_an_sk_outside_the_admins_region(
    db: None, media: None
) -> None:
    admin = region_admin()
    with pytest.raises(ValidationError) as error:
        _register(admin, valid_to=timezone.localdate() - dt.timedelta(days=1))
    assert "valid_to" in error.value.error_dict
    with pytest.raises(PermissionDenied):
        _register(admin, region=Region.objects.get(code="35.77.01"))
    assert not AppointmentDecree.objects.exists()


def test_an_expired_sk_cannot_back_a_new_role(db: None, media: None) -> None:
    admin = region_admin()
    decree = _register(admin)
    AppointmentDecree.objects.filter(pk=decree.pk).update(
        valid_to=timezone.localdate() - dt.timedelta(days=1)
    )
    decree.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.user_create(
            actor=admin,
            username="late",
            full_name="Late",
            role=Role.OPERATOR,
            region=decree.region,
            decree=decree,
        )
    assert "decree" in error.value.error_dict
    assert not User.objects.filter(username="late").exists()


def test_the_admin_is_warned_of_an_sk_about_to_expire_and_of_one_just_expired(
    client: Any, db: None, media: None
) -> None:
    admin = region_admin()
    soon = _register(admin, valid_to=timezone.localdate() + dt.timedelta(days=10))
    services.user_create(
        actor=admin,
        username="op.soon",
        full_name="Soon",
        role=Role.OPERATOR,
        region=soon.region,
        decree=soon,
    )
    client.force_login(admin)
    response = client.get("/")
    assert [d.pk for d in response.context["decree_warnings"]] == [soon.pk]
    assert soon.number in response.content.decode()
    # An admin of another regency is not warned about it.
    client.force_login(region_admin("35.77", "admin_kota"))
    assert client.get("/").context["decree_warnings"] == []
