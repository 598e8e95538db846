from __future__ import annotations

from typing import Any

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.analytics.tests.conftest import SaveValue, in_english
from aksi.regions.models import Region
from aksi.review.services import submission_submit


def test_a_verifier_sees_the_reports_waiting_for_them(
    client: Any, operator: User, save_value: SaveValue
) -> None:
    save_value("35.19.01.2001", 40, 50)
    submission_submit(actor=operator, region=Region.objects.get(code="35.19.01"), period="2025")
    verifier = user_with_role("ver_madiun", Role.VERIFIER, "35.19")
    client.force_login(verifier)
    in_english(client)
    page = client.get("/analytics/35.19/")
    actions = page.context["actions"]
    assert actions.to_verify_count == 1
    assert actions.to_verify[0].region_id == "35.19.01"
    text = page.content.decode()
    assert 'id="needs-action"' in text
    assert "/review/" in text


def test_a_kecamatan_operator_sees_their_overdue_report(client: Any, db: None) -> None:
    kecamatan = user_with_role("op_kec", Role.OPERATOR, "35.19.01")
    client.force_login(kecamatan)
    page = client.get("/analytics/35.19.01/")
    mine = page.context["actions"].my_reports
    assert [r.region.code for r in mine] == ["35.19.01"]
    assert mine[0].state == "not_submitted"
    assert mine[0].days_late > 0  # the 2025 deadline has passed
    assert "/entry/2025/35.19.01/" in page.content.decode()


def test_nothing_to_do_shows_no_action_box(client: Any, outsider: User) -> None:
    viewer = user_with_role("viewer_jatim", Role.VIEWER, "35")
    client.force_login(viewer)
    page = client.get("/analytics/35/")
    assert not page.context["actions"].any
    assert 'id="needs-action"' not in page.content.decode()
