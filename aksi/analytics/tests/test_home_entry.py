from __future__ import annotations

from typing import Any

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role


def test_the_home_page_leads_to_the_dashboard_and_lists_what_needs_action(
    client: Any, db: None, django_assert_max_num_queries: Any
) -> None:
    kecamatan = user_with_role("op_kec", Role.OPERATOR, "35.19.01")
    client.force_login(kecamatan)
    # 15 for the home page as it was, 4 for the action list: review queue, submit roots, step,
    # submissions
    with django_assert_max_num_queries(20):
        page = client.get("/")
    text = page.content.decode()
    assert 'id="open-dashboard"' in text
    assert 'href="/analytics/"' in text
    assert 'href="/analytics/35.19.01/"' in text  # the progress row opens the dashboard
    assert 'id="home-actions"' in text
    assert "/entry/2025/35.19.01/" in text  # the overdue report, to the entry form


def test_a_central_admin_reaches_the_national_dashboard_from_home(
    client: Any, central_admin: User
) -> None:
    client.force_login(central_admin)
    text = client.get("/").content.decode()
    assert 'href="/analytics/"' in text
    assert client.get("/analytics/").status_code == 200
