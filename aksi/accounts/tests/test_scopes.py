from __future__ import annotations

from aksi.accounts.models import Role, RoleAssignment, User
from aksi.accounts.scopes import entry_scope, view_scope
from aksi.regions.models import Region


def _codes(user: User, level: str = "district") -> set[str]:
    regions = Region.objects.filter(view_scope(user).q(), level=level)
    return set(regions.values_list("code", flat=True))


def test_a_central_admin_sees_the_whole_country(central_admin: User) -> None:
    assert view_scope(central_admin).national
    assert len(_codes(central_admin)) == 514


def test_a_provincial_reviewer_sees_only_its_province(prov_verifier: User) -> None:
    codes = _codes(prov_verifier)
    assert codes
    assert all(code.startswith("35.") for code in codes)
    assert entry_scope(prov_verifier).is_empty  # reviewing is not entering


def test_an_operator_enters_only_in_its_own_regency(district_operator: User) -> None:
    scope = entry_scope(district_operator)
    assert scope.covers("35.19.01.2001")
    assert not scope.covers("35.77")  # the sibling Kota Madiun
    assert not scope.covers("35")  # the parent level


def test_the_outsider_sees_nothing_of_jawa_timur(outsider: User) -> None:
    assert not view_scope(outsider).covers("35")
    assert not _codes(outsider) & {"35.19", "35.77"}


def test_a_user_without_roles_sees_no_region(db: None) -> None:
    nobody = User.objects.create_user(username="nobody", password="x")
    scope = view_scope(nobody)
    assert scope.is_empty
    assert not Region.objects.filter(scope.q()).exists()


def test_expired_assignments_give_no_scope(district_operator: User) -> None:
    RoleAssignment.objects.filter(user=district_operator).update(valid_to="2020-12-31")
    fresh = User.objects.get(pk=district_operator.pk)
    assert view_scope(fresh).is_empty


def test_nested_assignments_collapse_to_the_widest_root(district_operator: User) -> None:
    RoleAssignment.objects.create(
        user=district_operator, role=Role.VIEWER, region=Region.objects.get(code="35")
    )
    fresh = User.objects.get(pk=district_operator.pk)
    assert view_scope(fresh).roots == ("35",)
