"""Every role × the administration writes added with data collection and the API: the
kecamatan entry switch and duty generation of a kab/kota, webhook registration, and the upload
checks of source files and prevalence files. Inside the actor's administered region the write
happens; outside (a sibling kab/kota, the parent province) or without the role it is refused —
403/404, or the form names the region — and nothing is saved."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import Role
from aksi.accounts.tests.factories import user_with_role
from aksi.api.models import Webhook
from aksi.reporting.models import ReportingDuty, SubdistrictEntry

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
TARGETS = {"inside": "35.19", "sibling": "35.18", "parent": "35"}


def _client(role: str, region: str | None) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(user_with_role("actor", role, region))
    return client


def _administers(role: str, region: str | None, target: str) -> bool:
    if role == Role.CENTRAL_ADMIN:
        return True
    if role != Role.REGION_ADMIN or region is None:
        return False
    return target == region or target.startswith(f"{region}.")


@pytest.mark.parametrize(("role", "region"), ACTORS)
@pytest.mark.parametrize("where", ["inside", "sibling"])
def test_the_kecamatan_entry_switch(db: None, role: str, region: str | None, where: str) -> None:
    target = TARGETS[where]
    client = _client(role, region)
    response = client.post(reverse("reporting:setup", args=[target, 2025]), {"mode": "district"})
    saved = SubdistrictEntry.objects.filter(district_id=target, mode="district").exists()
    assert saved == _administers(role, region, target)
    if not saved:
        assert response.status_code in (302, 403, 404)


@pytest.mark.parametrize(("role", "region"), ACTORS)
def test_generating_reporting_duties(db: None, role: str, region: str | None) -> None:
    client = _client(role, region)
    client.post(reverse("reporting:setup", args=["35.19", 2025]), {"action": "generate"})
    assert ReportingDuty.objects.exists() == _administers(role, region, "35.19")


@pytest.mark.parametrize(("role", "region"), ACTORS)
@pytest.mark.parametrize("where", ["inside", "sibling", "parent"])
def test_registering_a_webhook(
    db: None, settings: object, role: str, region: str | None, where: str
) -> None:
    settings.AKSI_WEBHOOK_ALLOW_PRIVATE = True  # type: ignore[attr-defined]
    target = TARGETS[where]
    client = _client(role, region)
    response = client.post(
        reverse("api:webhooks"),
        {
            "url": "http://127.0.0.1:9/hook",
            "region_code": target,
            "events": ["submission.verified"],
        },
    )
    saved = Webhook.objects.filter(region_id=target).exists()
    assert saved == _administers(role, region, target)
    if not saved and role != "anonymous" and response.status_code == 200:
        assert response.context["form"].errors  # the form names the region


EPPGBM = "kode_desa,periode,balita_dipantau\n35.19.01.2001,2025,5\n"


@pytest.mark.parametrize(("role", "region"), ACTORS)
def test_checking_a_source_file(db: None, role: str, region: str | None) -> None:
    client = _client(role, region)
    upload = SimpleUploadedFile("e.csv", EPPGBM.encode(), content_type="text/csv")
    response = client.post(reverse("sources:upload"), {"layout": "eppgbm", "file": upload})
    desa = "35.19.01.2001"
    enters = role in (Role.OPERATOR, Role.VERIFIER, Role.REGION_ADMIN) and _administers(
        Role.CENTRAL_ADMIN if region is None else Role.REGION_ADMIN, region, desa
    )
    if role == "anonymous":
        assert response.status_code == 302
    elif enters:
        assert response.context["report"].ok  # checked against its own entry scope
    elif role == Role.CENTRAL_ADMIN:
        # The central team opens the page (Dukcapil files are national); this desa is outside
        # its entry scope, so the check refuses it and nothing can be applied.
        assert not response.context["report"].ok
    else:
        assert response.status_code == 403


PREVALENCE = "kode_wilayah,periode,balita_diukur,pendek,sangat_pendek\n35.19.01.2001,2025,10,1,0\n"


@pytest.mark.parametrize(("role", "region"), ACTORS)
def test_checking_a_prevalence_file(db: None, role: str, region: str | None) -> None:
    client = _client(role, region)
    upload = SimpleUploadedFile("p.csv", PREVALENCE.encode(), content_type="text/csv")
    response = client.post(reverse("prevalence:import"), {"kind": "administrative", "file": upload})
    may = role == Role.CENTRAL_ADMIN or (role == Role.REGION_ADMIN)
    if role == "anonymous":
        assert response.status_code == 302
    elif not may:
        assert response.status_code == 403
    else:
        assert response.status_code == 200
