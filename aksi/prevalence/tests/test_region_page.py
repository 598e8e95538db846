from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from aksi.prevalence.models import AdministrativeCount, SurveyPrevalence

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures() -> None:
    SurveyPrevalence.objects.create(
        region_id="35", source="ssgi", year=2022, prevalence=Decimal("19.2")
    )
    SurveyPrevalence.objects.create(
        region_id="35", source="ski", year=2023, prevalence=Decimal("17.7")
    )
    for i, code in enumerate(["35.19.01.2001", "35.19.01.2002", "35.19.02.2001"]):
        AdministrativeCount.objects.create(
            region_id=code,
            period="202408",
            measured_count=100 + i,
            stunted_count=10,
            severely_stunted_count=2,
        )
    AdministrativeCount.objects.create(
        region_id="35.19.03.2001",
        period="202408",
        measured_count=4,
        stunted_count=1,
        severely_stunted_count=0,
    )


def test_it_needs_a_login(client: object) -> None:
    response = client.get(reverse("prevalence:region", args=["35.19"]))  # type: ignore[attr-defined]
    assert response.status_code == 302


def test_it_shows_both_sources_apart_with_n_and_the_low_n_flag(
    client: object, district_operator: object, figures: None, django_assert_max_num_queries: object
) -> None:
    client.force_login(district_operator)  # type: ignore[attr-defined]
    # session, user, assignments; region; periods; survey figures; last national survey year,
    # targets; sums, children; ancestors; user and group permissions (the import link);
    # session save (savepoint, update, release)
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        response = client.get(reverse("prevalence:region", args=["35.19"]))  # type: ignore[attr-defined]
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="survey-heading"' in page
    assert 'id="eppgbm-heading"' in page
    assert page.count('<tr class="low-n">') == 1  # Geger: 4 children measured
    assert ">201<" in page  # Kebonsari: N measured (100 + 101) shown beside the %
    assert 'href="/prevalence/35.19.01/"' in page


def test_the_province_page_shows_the_survey_chart_and_table(
    client: object, prov_verifier: object, figures: None
) -> None:
    client.force_login(prov_verifier)  # type: ignore[attr-defined]
    response = client.get(reverse("prevalence:region", args=["35"]))  # type: ignore[attr-defined]
    page = response.content.decode()
    assert page.count('role="img"') == 1  # the survey trend; one kab/kota with counts: no bars
    assert "<style" not in page
    assert "17,7%" in page
    assert "18,8%" in page  # the 2025 national target, in the table as well


def test_an_outsider_gets_a_404(client: object, outsider: object, figures: None) -> None:
    client.force_login(outsider)  # type: ignore[attr-defined]
    response = client.get(reverse("prevalence:region", args=["35.19"]))  # type: ignore[attr-defined]
    assert response.status_code == 404


def test_an_unknown_region_or_period_is_a_404(
    client: object, central_admin: object, figures: None
) -> None:
    client.force_login(central_admin)  # type: ignore[attr-defined]
    assert client.get("/prevalence/99.99/").status_code == 404  # type: ignore[attr-defined]
    assert client.get("/prevalence/35.19/?periode=202301").status_code == 404  # type: ignore[attr-defined]
    assert client.get("/prevalence/35.19/?periode=202408").status_code == 200  # type: ignore[attr-defined]


def test_the_national_page_sends_a_regional_user_to_the_own_region(
    client: object, district_operator: object
) -> None:
    client.force_login(district_operator)  # type: ignore[attr-defined]
    response = client.get(reverse("prevalence:national"))  # type: ignore[attr-defined]
    assert response.status_code == 302
    assert response["Location"] == "/prevalence/35.19/"


def test_the_centre_sees_the_national_page_with_the_provinces(
    client: object, central_admin: object, figures: None
) -> None:
    client.force_login(central_admin)  # type: ignore[attr-defined]
    response = client.get(reverse("prevalence:national"))  # type: ignore[attr-defined]
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/prevalence/35/"' in page  # Jawa Timur's e-PPGBM sums, linked
    assert 'href="/prevalence/import/"' in page


def test_someone_without_any_region_may_not_see_the_national_page(
    client: object, django_user_model: object
) -> None:
    nobody = django_user_model.objects.create_user(username="nobody", password="x")  # type: ignore[attr-defined]
    client.force_login(nobody)  # type: ignore[attr-defined]
    assert client.get(reverse("prevalence:national")).status_code == 403  # type: ignore[attr-defined]
