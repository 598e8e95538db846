"""Who reads which audit events: the centre everything, a regional admin its regions only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import Role, RoleAssignment, User
from aksi.core import audit_selectors as selectors
from aksi.core.models import AuditEvent, AuditEventType
from aksi.core.services import audit_event_record
from aksi.regions.models import Region


@pytest.fixture
def madiun_admin(db: None) -> User:
    user = User.objects.create_user(username="admin_madiun", password="x", full_name="Admin Madiun")
    RoleAssignment.objects.create(
        user=user, role=Role.REGION_ADMIN, region=Region.objects.get(code="35.19")
    )
    return user


@pytest.fixture
def events(central_admin: User) -> dict[str, AuditEvent]:
    codes = {"district": "35.19", "subdistrict": "35.19.01", "sibling": "35.77", "aceh": "11"}
    return {
        name: audit_event_record(
            event_type=AuditEventType.DECREE_REGISTERED,
            actor=central_admin,
            region_code=code,
            data={"number": name},
        )
        for name, code in codes.items()
    }


def _ids(queryset: object) -> set[int]:
    return set(queryset.values_list("pk", flat=True))  # type: ignore[attr-defined]


def test_it_shows_a_regional_admin_its_regency_and_what_lies_below(
    madiun_admin: User, events: dict[str, AuditEvent]
) -> None:
    visible = _ids(selectors.audit_events_for_admin(user=madiun_admin))
    assert events["district"].pk in visible
    assert events["subdistrict"].pk in visible
    assert events["sibling"].pk not in visible  # Kota Madiun, 35.77
    assert events["aceh"].pk not in visible


def test_it_does_not_mistake_a_longer_code_for_a_child(madiun_admin: User) -> None:
    # 35.190 is not below 35.19; only "35.19." prefixes are.
    stray = audit_event_record(event_type=AuditEventType.USER_CREATED, region_code="35.190")
    assert stray.pk not in _ids(selectors.audit_events_for_admin(user=madiun_admin))


def test_it_shows_a_regional_admin_the_logins_of_its_own_users_only(
    madiun_admin: User, district_operator: User, outsider: User
) -> None:
    mine = audit_event_record(
        event_type=AuditEventType.LOGIN, actor=district_operator, target=district_operator
    )
    theirs = audit_event_record(event_type=AuditEventType.LOGIN, actor=outsider, target=outsider)
    visible = _ids(selectors.audit_events_for_admin(user=madiun_admin))
    assert mine.pk in visible
    assert theirs.pk not in visible


def test_it_keeps_region_events_of_a_shared_user_in_their_own_region(
    madiun_admin: User, district_operator: User
) -> None:
    # The operator of Madiun also gets a role in Aceh: that event belongs to Aceh's admins.
    aceh = audit_event_record(
        event_type=AuditEventType.ASSIGNMENT_CREATED, target=district_operator, region_code="11"
    )
    assert aceh.pk not in _ids(selectors.audit_events_for_admin(user=madiun_admin))


def test_it_shows_the_central_admin_everything(
    central_admin: User, events: dict[str, AuditEvent], outsider: User
) -> None:
    login = audit_event_record(event_type=AuditEventType.LOGIN, actor=outsider, target=outsider)
    visible = _ids(selectors.audit_events_for_admin(user=central_admin))
    assert {e.pk for e in events.values()} | {login.pk} <= visible
    assert visible == set(AuditEvent.objects.values_list("pk", flat=True))


def test_it_shows_a_superuser_everything(events: dict[str, AuditEvent]) -> None:
    root = User.objects.create_superuser(username="root", password="x")
    assert {e.pk for e in events.values()} <= _ids(selectors.audit_events_for_admin(user=root))


@pytest.mark.parametrize("name", ["outsider", "district_operator", "prov_verifier"])
def test_it_gives_users_who_administer_nothing_no_events(
    name: str, request: pytest.FixtureRequest, events: dict[str, AuditEvent]
) -> None:
    user = request.getfixturevalue(name)
    assert not selectors.audit_events_for_admin(user=user).exists()
    assert not selectors.audit_events_for_user(user=user, subject=user).exists()


def test_an_ended_admin_role_reads_nothing(
    madiun_admin: User, events: dict[str, AuditEvent]
) -> None:
    RoleAssignment.objects.filter(user=madiun_admin).update(valid_to="2020-12-31")
    fresh = User.objects.get(pk=madiun_admin.pk)
    assert not selectors.audit_events_for_admin(user=fresh).exists()


@pytest.mark.parametrize(
    ("url_name", "kwargs"),
    [
        ("audit:log", {}),
        ("audit:export", {}),
        ("audit:user", {"pk": 1}),
        ("audit:object", {"label": "accounts.user", "pk": "1"}),
    ],
)
def test_it_refuses_the_pages_to_the_outsider(
    client: Client, outsider: User, url_name: str, kwargs: dict[str, object]
) -> None:
    client.force_login(outsider)
    assert client.get(reverse(url_name, kwargs=kwargs)).status_code == 403


def test_it_sends_anonymous_visitors_to_the_login_page(client: Client, db: None) -> None:
    response = client.get(reverse("audit:log"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_regional_page_lists_only_events_in_scope(
    client: Client, madiun_admin: User, events: dict[str, AuditEvent]
) -> None:
    client.force_login(madiun_admin)
    response = client.get(reverse("audit:log"))
    assert response.status_code == 200
    shown = {e.pk for e in response.context["page"].object_list}
    assert {events["district"].pk, events["subdistrict"].pk} <= shown
    assert not {events["sibling"].pk, events["aceh"].pk} & shown
