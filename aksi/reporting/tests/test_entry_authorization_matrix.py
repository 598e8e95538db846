"""Every role × the data writes (a cell save, submitting a kecamatan, verifying it), inside and
outside the actor's scope: another desa of the same kecamatan, a sibling kab/kota, the parent
level. Inside succeeds; outside is refused (403/404) and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import Role
from aksi.accounts.tests.factories import user_with_role
from aksi.catalogue.models import Indicator
from aksi.regions.models import Region
from aksi.reporting.models import CoverageValue
from aksi.review.models import Submission

ACTORS = [
    (Role.OPERATOR, "35.19.01.2001"),  # a desa operator
    (Role.OPERATOR, "35.19.01"),
    (Role.OPERATOR, "35.19"),
    (Role.VERIFIER, "35.19"),
    (Role.REGION_ADMIN, "35.19"),
    (Role.VIEWER, "35.19"),
    (Role.PANELIST, "35"),
    (Role.PROVINCIAL_REVIEWER, "35"),
    (Role.CENTRAL_MONITOR, None),
    ("anonymous", None),
]
CELLS = {
    "own desa": ("BL-01", "35.19.01.2001"),
    "other desa, same kecamatan": ("BL-01", "35.19.01.2002"),
    "sibling kota": ("BL-01", "35.77.01.1001"),
    "parent level (a kab/kota indicator)": ("RT-04", "35.19"),
}


def _covers(root: str | None, code: str) -> bool:
    return root is not None and (code == root or code.startswith(f"{root}."))


@pytest.mark.parametrize(("role", "region"), ACTORS)
@pytest.mark.parametrize("where", list(CELLS))
def test_a_cell_is_saved_inside_the_entry_scope_and_refused_outside(
    client: Client, db: None, role: str, region: str | None, where: str
) -> None:
    code, target = CELLS[where]
    if role != "anonymous":
        client.force_login(user_with_role("actor", role, region))
    indicator = Indicator.objects.get(catalogue__year=2025, code=code)
    url = reverse("reporting:cell", args=["2025", target, indicator.pk])
    response = client.post(url, {"numerator": "1", "denominator": "2", "version": ""})
    may = role in (Role.OPERATOR, Role.VERIFIER, Role.REGION_ADMIN) and _covers(region, target)
    saved = CoverageValue.objects.filter(indicator=indicator, region_id=target).exists()
    if may:
        assert saved, f"{role}@{region} should save {where}"
    else:
        assert not saved, f"{role}@{region} must not save {where}"
        expected = (302,) if role == "anonymous" else (403, 404)
        assert response.status_code in expected


@pytest.mark.parametrize(("role", "region"), ACTORS)
def test_submit_and_verify_follow_the_levels(
    client: Client, db: None, role: str, region: str | None
) -> None:
    actor = None if role == "anonymous" else user_with_role("actor", role, region)
    if actor is not None:
        client.force_login(actor)
    client.post(reverse("review:submit", args=["2025", "35.19.01"]), {"note": "ok"})
    submitted = Submission.objects.filter(region_id="35.19.01").first()
    may_submit = role in (Role.OPERATOR, Role.REGION_ADMIN) and _covers(region, "35.19.01")
    assert (submitted is not None) == may_submit, f"{role}@{region}"
    if submitted is None:
        operator = user_with_role("op_submit", Role.OPERATOR, "35.19.01")
        from aksi.review.services import submission_submit

        submitted = submission_submit(
            actor=operator, region=Region.objects.get(code="35.19.01"), period="2025"
        )
    response: Any = client.post(reverse("review:verify", args=[submitted.pk]), {"note": ""})
    submitted.refresh_from_db()
    # The level above verifies: a role over the kab/kota (or higher), never the kecamatan itself.
    may_verify = role in (Role.VERIFIER, Role.REGION_ADMIN, Role.PROVINCIAL_REVIEWER) and (
        _covers(region, "35.19") and region != "35.19.01"
    )
    assert (submitted.status == Submission.Status.VERIFIED) == may_verify, f"{role}@{region}"
    if not may_verify:
        assert response.status_code in ((302,) if role == "anonymous" else (302, 403, 404))
