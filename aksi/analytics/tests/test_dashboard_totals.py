from __future__ import annotations

from typing import Any

from aksi.accounts.models import User
from aksi.analytics.tests.conftest import SaveValue


def _bl01(page: Any) -> tuple[int, int, float | None]:
    row = next(r for r in page.context["dashboard"].coverage if r.indicator.code == "BL-01")
    return row.numerator, row.denominator, row.coverage


def test_it_saves_one_desa_value_and_reads_the_new_totals_at_every_level_in_the_next_request(
    client: Any, central_admin: User, save_value: SaveValue
) -> None:
    save_value("35.19.02.2001", 10, 50)
    client.force_login(central_admin)
    before = {url: _bl01(client.get(url)) for url in ("/analytics/35.19/", "/analytics/")}
    assert before["/analytics/35.19/"] == (10, 50, 20.0)

    save_value("35.19.01.2001", 40, 50)  # one desa of Kecamatan 35.19.01

    expected = {
        "/analytics/35.19.01/": (40, 50, 80.0),  # kecamatan
        "/analytics/35.19/": (50, 100, 50.0),  # kab/kota
        "/analytics/35/": (50, 100, 50.0),  # provinsi
        "/analytics/": (50, 100, 50.0),  # national
    }
    for url, totals in expected.items():
        page = client.get(url)
        assert page.status_code == 200, url
        assert _bl01(page) == totals, url
    # The page shows it in Indonesian number format.
    assert "50,0%" in client.get("/analytics/35.19/").content.decode()


def test_the_children_table_drills_down_to_the_desa_with_their_figures(
    client: Any, central_admin: User, save_value: SaveValue
) -> None:
    save_value("35.19.01.2001", 40, 50)
    client.force_login(central_admin)
    province = client.get("/analytics/35/?indicator=BL-01")
    rows = {row.region.code: row for row in province.context["dashboard"].children}
    assert rows["35.19"].coverage == 80.0
    assert rows["35.19"].rank == 1  # the only kab/kota with a value ranks first
    assert 'href="/analytics/35.19/?' in province.content.decode()
    kecamatan = client.get("/analytics/35.19.01/?indicator=BL-01")
    desa = {row.region.code: row for row in kecamatan.context["dashboard"].children}
    assert desa["35.19.01.2001"].coverage == 80.0
    assert 'href="/analytics/35.19.01.2001/?' in kecamatan.content.decode()
    assert client.get("/analytics/35.19.01.2001/").status_code == 200


def test_the_dashboard_keeps_a_query_budget_at_the_national_level(
    client: Any, central_admin: User, save_value: SaveValue, django_assert_max_num_queries: Any
) -> None:
    save_value("35.19.01.2001", 40, 50)
    client.force_login(central_admin)
    # session, user, assignments; reporting years (2), indicators; children, filled, ranking
    # values, step, kecamatan reports; progress (year, indicators, nation, sum, verified);
    # coverage rollups, nation; data time; verification queue; session save = 21–23.
    # 38 provinces: anything per row would add dozens.
    with django_assert_max_num_queries(25):
        page = client.get("/analytics/?indicator=BL-01")
    assert page.status_code == 200
    assert len(page.context["dashboard"].children) == 38  # provinces


def test_a_kecamatan_dashboard_with_every_desa_keeps_the_same_budget(
    client: Any, central_admin: User, save_value: SaveValue, django_assert_max_num_queries: Any
) -> None:
    save_value("35.19.01.2001", 40, 50)
    save_value("35.19.01.2002", 20, 50)
    client.force_login(central_admin)
    with django_assert_max_num_queries(25):
        page = client.get("/analytics/35.19.01/?indicator=BL-01")
    assert len(page.context["dashboard"].children) > 10
