"""Every role × where it files a document, through the page: inside the actor's region (or
below it) the document is filed; in a sibling, the parent or without a writing role it is
refused — 403, or the form names the region — and nothing is saved."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from aksi.accounts.models import Role
from aksi.accounts.tests.factories import user_with_role
from aksi.documents.models import Document

from .factories import pdf_upload

ACTORS = [
    (Role.OPERATOR, "35.19"),
    (Role.OPERATOR, "35.19.01"),
    (Role.VERIFIER, "35.19"),
    (Role.REGION_ADMIN, "35.19"),
    (Role.REGION_ADMIN, "35"),
    (Role.VIEWER, "35.19"),
    (Role.PANELIST, "35"),
    (Role.PROVINCIAL_REVIEWER, "35"),
    (Role.CENTRAL_MONITOR, None),
    (Role.CENTRAL_ADMIN, None),
]
WRITERS = {Role.OPERATOR, Role.VERIFIER, Role.REGION_ADMIN}
TARGETS = ["35.19", "35.19.01", "35.18", "35"]


def _writes(role: str, region: str | None, target: str) -> bool:
    if role not in WRITERS or region is None:
        return False
    return target == region or target.startswith(f"{region}.")


@pytest.mark.parametrize(("role", "region"), ACTORS)
@pytest.mark.parametrize("target", TARGETS)
def test_filing_a_document(db: None, role: str, region: str | None, target: str) -> None:
    client = Client()
    client.force_login(user_with_role("actor", role, region))
    response = client.post(
        reverse("documents:create"),
        {
            "region": target,
            "year": "2025",
            "kind": "regulation",
            "subtype": "task_force_decree",  # issued at every level
            "number": "188/1/2025",
            "title": "SK TPPS",
            "document_date": "2025-01-20",
            "file": pdf_upload(),
        },
    )
    filed = Document.objects.filter(region_id=target).exists()
    assert filed == _writes(role, region, target)
    if not filed:
        assert response.status_code in (200, 403)
        if response.status_code == 200:  # a writer elsewhere: the form names the region
            assert 'id="id_region_errors"' in response.content.decode()
