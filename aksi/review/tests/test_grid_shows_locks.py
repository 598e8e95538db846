from __future__ import annotations

from django.test import Client

from aksi.accounts.models import Role
from aksi.accounts.tests.factories import user_with_role
from aksi.regions.models import Region
from aksi.review.services import submission_submit


def test_the_grid_shows_the_inputs_of_a_submitted_report_disabled(client: Client, db: None) -> None:
    operator = user_with_role("op_locked_grid", Role.OPERATOR, "35.19.01")
    client.force_login(operator)
    assert " disabled" not in client.get("/entry/2025/35.19.01/").content.decode()
    submission_submit(actor=operator, region=Region.objects.get(code="35.19.01"), period="2025")
    body = client.get("/entry/2025/35.19.01/").content.decode()
    assert 'name="numerator" id="n-3519012001-rp-01" disabled' in body
