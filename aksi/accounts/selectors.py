from __future__ import annotations

from django.db.models import QuerySet

from aksi.accounts.models import RoleAssignment, User


def assignments_for_home(*, user: User) -> QuerySet[RoleAssignment]:
    return user.assignments.current().select_related("region", "unit").order_by("role")
