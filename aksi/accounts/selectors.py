from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from aksi.accounts.models import AppointmentDecree, Role, RoleAssignment, User
from aksi.accounts.scopes import managed_scope
from aksi.regions.models import Region
from aksi.regions.sources import normalize_code
from aksi.reporting.models import ReportingUnit


def assignments_for_home(*, user: User) -> QuerySet[RoleAssignment]:
    return user.assignments.current().select_related("region", "unit").order_by("role")


def users_managed(
    *, user: User, region_code: str = "", role: str = "", q: str = "", active: str = ""
) -> QuerySet[User]:
    """Accounts holding a role in a region the admin administers, with their assignments."""
    scope = managed_scope(user)
    if scope.is_empty:
        return User.objects.none()
    in_scope = RoleAssignment.objects.filter(scope.q("region__"))
    if scope.national:
        in_scope = RoleAssignment.objects.all()
    if region_code:
        code = normalize_code(region_code)
        in_scope = in_scope.filter(Q(region_id=code) | Q(region_id__startswith=f"{code}."))
    if role:
        in_scope = in_scope.filter(role=role)
    users = User.objects.filter(pk__in=in_scope.values("user_id"))
    if scope.national and not (region_code or role):
        users = User.objects.all()
    if q:
        users = users.filter(
            Q(username__icontains=q) | Q(full_name__icontains=q) | Q(email__icontains=q)
        )
    if active in ("yes", "no"):
        users = users.filter(is_active=active == "yes")
    assignments = RoleAssignment.objects.select_related("region", "unit").order_by("-valid_to")
    return users.prefetch_related(Prefetch("assignments", queryset=assignments)).order_by(
        "username"
    )


def user_managed_get(*, user: User, pk: int) -> User:
    try:
        return users_managed(user=user).get(pk=pk)
    except User.DoesNotExist:
        raise Http404 from None


def regions_managed_get(*, user: User, code: str) -> Region | None:
    """A region the admin may assign roles in, or None when the code is unknown or outside."""
    region = Region.objects.filter(code=normalize_code(code), valid_to__isnull=True).first()
    if region is None or not managed_scope(user).covers(region.code):
        return None
    return region


def units_managed(*, user: User) -> QuerySet[ReportingUnit]:
    scope = managed_scope(user)
    return ReportingUnit.objects.filter(scope.q("region__")).select_related("region")


def decrees_managed(*, user: User) -> QuerySet[AppointmentDecree]:
    scope = managed_scope(user)
    return (
        AppointmentDecree.objects.filter(scope.q("region__"))
        .select_related("region")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=RoleAssignment.objects.select_related("user").order_by("role"),
            )
        )
    )


DECREE_WARNING_DAYS = 30


def decrees_needing_attention(*, user: User) -> list[AppointmentDecree]:
    """SKs in the admin's regions that expire within 30 days or expired in the last 30,
    with roles still attached: the admin is warned before and after they lapse."""
    from datetime import timedelta

    from django.utils import timezone

    if managed_scope(user).is_empty:
        return []
    today = timezone.localdate()
    window = timedelta(days=DECREE_WARNING_DAYS)
    return list(
        decrees_managed(user=user)
        .filter(valid_to__gte=today - window, valid_to__lte=today + window)
        .filter(assignments__isnull=False)
        .distinct()
        .order_by("valid_to")
    )


def assignable_roles(*, user: User) -> list[tuple[str, str]]:
    from aksi.accounts.rules import REGIONAL_ROLES, is_central_admin

    allowed = set(Role.values) if is_central_admin(user) else set(REGIONAL_ROLES)
    return [(value, label) for value, label in Role.choices if value in allowed]
