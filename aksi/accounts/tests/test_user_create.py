from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from aksi.accounts import services
from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import region_admin
from aksi.core.models import AuditEvent, AuditEventType
from aksi.regions.models import Region


def _create(actor: User, code: str | None = "35.19.01", **extra: object) -> services.NewAccount:
    fields = {
        "username": "siti.kebonsari",
        "full_name": "Siti Aminah",
        "email": "siti@example.org",
        "role": Role.OPERATOR,
        "region": Region.objects.get(code=code) if code else None,
    }
    fields.update(extra)
    return services.user_create(actor=actor, **fields)  # type: ignore[arg-type]


def test_it_creates_a_personal_account_with_a_one_time_password(db: None) -> None:
    admin = region_admin()
    account = _create(admin)
    user = User.objects.get(username="siti.kebonsari")
    assert account.one_time_password
    assert user.check_password(account.one_time_password)
    assert user.must_change_password
    assert list(user.assignments.values_list("role", "region_id")) == [(Role.OPERATOR, "35.19.01")]
    events = AuditEvent.objects.filter(target_id=str(user.pk)).values_list("event_type", flat=True)
    assert set(events) == {AuditEventType.USER_CREATED, AuditEventType.ASSIGNMENT_CREATED}


def test_it_invites_by_email_without_a_password(
    db: None, django_capture_on_commit_callbacks: object
) -> None:
    admin = region_admin()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        account = _create(admin, invite=True)
    assert account.one_time_password is None
    assert not account.user.has_usable_password()
    assert len(mail.outbox) == 1
    assert "/password/set/" in mail.outbox[0].body
    assert "siti.kebonsari" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("code", "reason"),
    [("35.77", "sibling regency"), ("35", "parent province"), ("11.01", "other province")],
)
def test_it_refuses_a_role_outside_the_admins_subtree(db: None, code: str, reason: str) -> None:
    admin = region_admin()
    with pytest.raises(PermissionDenied):
        _create(admin, code=code)
    assert not User.objects.filter(username="siti.kebonsari").exists(), reason


def test_it_refuses_a_duplicate_email_and_names_the_field(db: None) -> None:
    admin = region_admin()
    _create(admin)
    with pytest.raises(ValidationError) as error:
        _create(admin, username="siti2", email="SITI@example.org")
    assert "email" in error.value.error_dict
    assert User.objects.filter(email__iexact="siti@example.org").count() == 1


def test_only_the_centre_gives_central_roles(db: None, central_admin: User) -> None:
    admin = region_admin()
    with pytest.raises(PermissionDenied):
        _create(admin, code=None, role=Role.CENTRAL_MONITOR)
    account = _create(central_admin, code=None, role=Role.CENTRAL_MONITOR)
    assert account.user.assignments.get().region is None


def test_it_ends_a_role_but_keeps_it_in_the_history(db: None) -> None:
    admin = region_admin()
    user = _create(admin).user
    assignment = user.assignments.get()
    services.assignment_end(actor=admin, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.valid_to == timezone.localdate() - dt.timedelta(days=1)
    assert not user.assignments.current().exists()
    assert user.assignments.count() == 1
    assert AuditEvent.objects.filter(event_type=AuditEventType.ASSIGNMENT_ENDED).exists()


def test_it_deactivates_and_resets_with_audit(db: None) -> None:
    admin = region_admin()
    user = _create(admin).user
    services.user_set_active(actor=admin, user=user, active=False)
    user.refresh_from_db()
    assert not user.is_active
    password = services.user_password_reset(actor=admin, user=user)
    user.refresh_from_db()
    assert user.check_password(password)
    assert user.must_change_password
    types = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {AuditEventType.USER_DEACTIVATED, AuditEventType.PASSWORD_RESET} <= types


def test_another_regions_admin_cannot_touch_the_account(db: None) -> None:
    user = _create(region_admin()).user
    stranger = region_admin("35.77", "admin_kota_madiun")
    with pytest.raises(PermissionDenied):
        services.user_password_reset(actor=stranger, user=user)
    with pytest.raises(PermissionDenied):
        services.user_set_active(actor=stranger, user=user, active=False)
