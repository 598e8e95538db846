"""Every role × every account-management write, inside and outside the actor's scope.

Inside the scope the write succeeds; outside (a sibling region, the parent level, another
subdistrict of the same regency) it is refused — 403/404, or the form names the region field —
and nothing is saved.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import AppointmentDecree, Role, RoleAssignment, User
from aksi.accounts.tests.factories import pdf_upload, user_with_role

# (role, region of the actor's assignment)
ACTORS = [
    (Role.OPERATOR, "35.19"),
    (Role.VERIFIER, "35.19"),
    (Role.VIEWER, "35.19"),
    (Role.PANELIST, "35"),
    (Role.PROVINCIAL_REVIEWER, "35"),
    (Role.CENTRAL_MONITOR, None),
    (Role.REGION_ADMIN, "35.19"),
    (Role.REGION_ADMIN, "35.19.01"),
    (Role.CENTRAL_ADMIN, None),
    ("anonymous", None),
]
# For each actor region: a target inside, and targets outside of several kinds.
TARGETS = {
    "35.19": {"inside": "35.19.01", "sibling": "35.77.01", "parent": "35"},
    "35.19.01": {"inside": "35.19.01", "sibling": "35.19.02", "parent": "35.19"},
    "35": {"inside": "35.19.01", "sibling": "11.01.01", "parent": None},
    None: {"inside": "35.19.01", "sibling": "11.01.01", "parent": None},
}


def _may_write(role: str, actor_region: str | None, target: str) -> bool:
    if role == Role.CENTRAL_ADMIN:
        return True
    if role != Role.REGION_ADMIN or actor_region is None:
        return False
    return target == actor_region or target.startswith(f"{actor_region}.")


@dataclass
class Outcome:
    response: Any
    saved: bool


def _subject(code: str) -> User:
    """An existing account holding an operator role at `code`."""
    return user_with_role(f"subject_{code.replace('.', '_')}", Role.OPERATOR, code)


def create_user(client: Client, code: str) -> Outcome:
    response = client.post(
        reverse("accounts:user_create"),
        {
            "full_name": "Baru",
            "username": "baru.matrix",
            "role": Role.OPERATOR,
            "region_code": code,
        },
    )
    return Outcome(response, User.objects.filter(username="baru.matrix").exists())


def add_role(client: Client, code: str) -> Outcome:
    subject = _subject(code)
    response = client.post(
        reverse("accounts:user", args=[subject.pk]), {"role": Role.VIEWER, "region_code": code}
    )
    return Outcome(response, subject.assignments.filter(role=Role.VIEWER).exists())


def reset_password(client: Client, code: str) -> Outcome:
    subject = _subject(code)
    before = subject.password
    response = client.post(reverse("accounts:user_action", args=[subject.pk, "reset"]))
    subject.refresh_from_db()
    return Outcome(response, subject.password != before)


def deactivate(client: Client, code: str) -> Outcome:
    subject = _subject(code)
    response = client.post(reverse("accounts:user_action", args=[subject.pk, "deactivate"]))
    subject.refresh_from_db()
    return Outcome(response, not subject.is_active)


def end_role(client: Client, code: str) -> Outcome:
    assignment = RoleAssignment.objects.get(user=_subject(code))
    response = client.post(reverse("accounts:assignment_end", args=[assignment.pk]))
    assignment.refresh_from_db()
    return Outcome(response, assignment.valid_to is not None)


def record_decree(client: Client, code: str) -> Outcome:
    response = client.post(
        reverse("accounts:decree_create"),
        {
            # A province has no SK Penunjukan: aim at one of its regencies outside the actor.
            "region_code": code if "." in code else f"{code}.77",
            "number": "SK-MATRIX",
            "decree_date": "2026-01-05",
            "signed_by": "Camat",
            "valid_from": "2026-01-05",
            "file": pdf_upload(),
        },
    )
    return Outcome(response, AppointmentDecree.objects.filter(number="SK-MATRIX").exists())


def import_sheet(client: Client, code: str) -> Outcome:
    sheet = io.BytesIO(
        f"nama,username,peran,kode_wilayah\nBaru,baru.sheet,operator,{code}\n".encode()
    )
    sheet.name = "akun.csv"
    client.post(reverse("accounts:user_import"), {"file": sheet})
    response = client.post(reverse("accounts:user_import"), {"action": "apply"})
    return Outcome(response, User.objects.filter(username="baru.sheet").exists())


WRITES: list[Callable[[Client, str], Outcome]] = [
    create_user,
    add_role,
    reset_password,
    deactivate,
    end_role,
    record_decree,
    import_sheet,
]


def _cases() -> list[Any]:
    cases = []
    for role, region in ACTORS:
        for where, target in TARGETS[region].items():
            if target is None:
                continue
            for write in WRITES:
                cases.append(
                    pytest.param(
                        role,
                        region,
                        where,
                        target,
                        write,
                        id=f"{role}@{region}-{write.__name__}-{where}",
                    )
                )
    return cases


@pytest.mark.parametrize(("role", "region", "where", "target", "write"), _cases())
def test_writes_succeed_inside_the_scope_and_are_refused_outside(
    client: Client,
    db: None,
    settings: Any,
    tmp_path: Any,
    role: str,
    region: str | None,
    where: str,
    target: str,
    write: Callable[[Client, str], Outcome],
) -> None:
    settings.MEDIA_ROOT = tmp_path
    if role != "anonymous":
        client.force_login(user_with_role("actor", role, region))
    outcome = write(client, target)
    if _may_write(role, region, target):
        assert outcome.saved, f"{role}@{region} should be able to {write.__name__} in {target}"
        assert outcome.response.status_code in (200, 302)
    else:
        assert not outcome.saved, f"{role}@{region} must not {write.__name__} in {target} ({where})"
        status = outcome.response.status_code
        if role == "anonymous":
            assert status == 302
            assert outcome.response["Location"].startswith(reverse("login"))
        else:
            refused_by_form = status == 200 and (
                outcome.response.context.get("form") is not None
                and outcome.response.context["form"].errors
                or getattr(outcome.response.context.get("report"), "applied", True) is False
            )
            assert status in (403, 404) or refused_by_form, status
