from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_national_page_needs_no_login_and_may_be_cached(
    client: object, published: None, django_assert_max_num_queries: object
) -> None:
    # periods; survey figures; last national survey year, targets; e-PPGBM sums, provinces;
    # survey figures of the provinces, provinces; coverage period; provinces for the links
    with django_assert_max_num_queries(11):  # type: ignore[operator]
        response = client.get(reverse("public:national"))  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    page = response.content.decode()
    assert "19,8%" in page  # Indonesia, SSGI 2024
    assert 'href="/public/35/"' in page
    assert 'role="img"' in page


def test_a_signed_in_user_gets_a_private_copy(
    client: object, published: None, district_operator: object
) -> None:
    client.force_login(district_operator)  # type: ignore[attr-defined]
    response = client.get(reverse("public:region", args=["35.19"]))  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_a_province_shows_both_sources_labelled_and_apart(client: object, published: None) -> None:
    response = client.get(reverse("public:region", args=["35"]))  # type: ignore[attr-defined]
    page = response.content.decode()
    survey = page.index('id="survey-heading"')
    eppgbm = page.index('id="eppgbm-heading"')
    assert survey < page.index("14,7%") < eppgbm  # the survey figure sits in the survey part
    assert 'class="badge source-survey"' in page
    assert 'class="badge source-eppgbm"' in page
    # Kab. Madiun's e-PPGBM counts summed, with N: 300 + 9 measured.
    assert ">309<" in page[eppgbm:]
    # "Data as of <date, time>" of the newest figure shown.
    assert re.search(r'class="data-as-of">[^<]*\d{4}, \d\d[:.]\d\d', page)


def test_a_kecamatan_lists_its_desa_and_flags_low_n(client: object, published: None) -> None:
    response = client.get(reverse("public:region", args=["35.19.02"]))  # type: ignore[attr-defined]
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="low-n"' in page  # 9 children measured
    assert 'href="/public/35.19.02.' not in page  # desa have no public page of their own
    assert 'href="/public/35.19/"' in page  # the way up
    assert 'href="/public/35/#survey-heading"' in page  # surveys stop at the kab/kota


@pytest.mark.parametrize("code", ["99", "35.99", "35.19.01.2001", "xyz"])
def test_an_unknown_region_is_a_404_with_a_way_back(client: object, code: str) -> None:
    response = client.get(f"/public/{code}/")  # type: ignore[attr-defined]
    assert response.status_code == 404
    assert 'href="/public/"' in response.content.decode()


def test_an_unknown_period_is_a_404_with_a_way_back(client: object, published: None) -> None:
    response = client.get("/public/35.19/?periode=201901")  # type: ignore[attr-defined]
    assert response.status_code == 404
    assert 'href="/public/"' in response.content.decode()
    assert client.get("/public/35.19/?periode=202408").status_code == 200  # type: ignore[attr-defined]


def test_unverified_coverage_is_not_published(client: object, coverage_entered: None) -> None:
    page = client.get("/public/35.19/").content.decode()  # type: ignore[attr-defined]
    assert 'class="muted coverage-pending"' in page
    assert 'class="coverage-table"' not in page


def test_coverage_is_published_once_every_kecamatan_with_values_is_verified(
    client: object, coverage_entered: None
) -> None:
    from aksi.review.measures import coverage_step
    from aksi.review.models import Submission

    Submission.objects.create(
        step=coverage_step(2025),
        region_id="35.19.01",
        period="2025",
        status=Submission.Status.VERIFIED,
    )
    page = client.get("/public/35.19/").content.decode()  # type: ignore[attr-defined]
    assert 'class="coverage-table"' in page
    assert "80,0%" in page  # BL-01: 40 of 50
