from __future__ import annotations

from typing import Any

import pytest

from aksi.accounts.models import User
from aksi.analytics.tests.conftest import in_english

PAGES = ["/analytics/35.19/", "/analytics/35.19/scorecard/", "/analytics/35.19/export/coverage.csv"]


@pytest.mark.parametrize("url", [*PAGES, "/analytics/35.19/report.pdf", "/analytics/"])
def test_it_sends_anonymous_visitors_to_the_login(client: Any, db: None, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("url", PAGES)
def test_it_refuses_a_region_outside_the_view_scope(client: Any, outsider: User, url: str) -> None:
    client.force_login(outsider)  # an operator in Aceh
    assert client.get(url).status_code == 403


def test_a_regional_user_cannot_open_the_national_dashboard(
    client: Any, district_operator: User
) -> None:
    client.force_login(district_operator)
    assert client.get("/analytics/scorecard/").status_code == 403
    assert client.get("/analytics/export/regions.csv").status_code == 403


def test_a_regional_user_lands_on_the_dashboard_of_their_region(
    client: Any, district_operator: User, prov_verifier: User
) -> None:
    client.force_login(district_operator)
    response = client.get("/analytics/?year=2025")
    assert response.status_code == 302
    assert response["Location"] == "/analytics/35.19/?year=2025"
    client.force_login(prov_verifier)
    assert client.get("/analytics/").headers["Location"] == "/analytics/35/"
    # Within their scope they go down to any desa, but not up or sideways.
    assert client.get("/analytics/35.19.01.2001/").status_code == 200
    assert client.get("/analytics/36/").status_code == 403


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("/analytics/99.99/", "99.99"),
        ("/analytics/35.19/?year=2031", "2031"),
        ("/analytics/35.19/scorecard/?period=2025Q7", "2025Q7"),
        ("/analytics/35.19/export/coverage.xlsx?period=S3", "S3"),
        ("/analytics/35.19/report.pdf?year=abc", "abc"),
    ],
)
def test_an_unknown_region_or_period_is_a_404_with_a_way_back(
    client: Any, central_admin: User, url: str, named: str
) -> None:
    client.force_login(central_admin)
    in_english(client)
    response = client.get(url)
    assert response.status_code == 404
    text = response.content.decode()
    assert named in text
    assert 'href="/analytics/"' in text  # back to the dashboard
    assert 'href="/regions/"' in text


def test_a_plain_digit_code_redirects_to_the_dotted_one(client: Any, central_admin: User) -> None:
    client.force_login(central_admin)
    response = client.get("/analytics/3519/?year=2025")
    assert response.status_code == 302
    assert response["Location"] == "/analytics/35.19/?year=2025"


def test_a_user_with_several_regions_chooses_one(client: Any, db: None) -> None:
    from aksi.accounts.models import Role, RoleAssignment
    from aksi.accounts.tests.factories import user_with_role
    from aksi.regions.models import Region

    user = user_with_role("two_hats", Role.VIEWER, "35.19")
    RoleAssignment.objects.create(user=user, role=Role.VIEWER, region=Region.objects.get(code="52"))
    client.force_login(user)
    page = client.get("/analytics/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'href="/analytics/35.19/"' in text
    assert 'href="/analytics/52/"' in text
