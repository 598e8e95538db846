from __future__ import annotations

from typing import Any

from aksi.accounts.models import User
from aksi.analytics.tests.conftest import SaveValue, in_english


def _cell(page: Any, code: str, indicator: str = "BL-01") -> Any:
    card = page.context["scorecard"]
    row = next(r for r in card.rows if r.region.code == code)
    return next(c for c in row.cells if c.indicator.code == indicator)


def test_it_colours_each_cell_against_the_target_with_an_arrow_for_the_change(
    client: Any, central_admin: User, save_value: SaveValue
) -> None:
    # BL-01 has a national target of 90%.
    save_value("35.19.01.2001", 30, 50, period="2025S1")  # 60%
    save_value("35.19.01.2001", 46, 50, period="2025S2")  # 92%
    save_value("35.19.02.2001", 45, 50, period="2025S1")  # 90%
    save_value("35.19.02.2001", 40, 50, period="2025S2")  # 80%
    save_value("35.19.03.2001", 40, 50, period="2025S2")  # 80%, nothing before
    client.force_login(central_admin)
    in_english(client)
    page = client.get("/analytics/35.19/scorecard/?period=S2")
    assert page.status_code == 200
    up, down, new = (_cell(page, c) for c in ("35.19.01", "35.19.02", "35.19.03"))
    assert (up.coverage, up.band.key, up.arrow, up.change) == (92.0, "achieved", "↑", 32.0)
    assert (down.coverage, down.band.key, down.arrow) == (80.0, "near", "↓")
    assert (new.coverage, new.arrow) == (80.0, "")
    assert _cell(page, "35.19.04").band.key == "no-data"
    total = next(c for c in page.context["scorecard"].total.cells if c.indicator.code == "BL-01")
    assert total.coverage == round(126 * 100 / 150, 1)
    text = page.content.decode()
    # Not by colour alone: the value, the arrow with words, and the legend.
    assert "92.0%" in text
    assert "up 32.0 points" in text
    assert 'class="num score band-achieved"' in text
    assert 'id="legend"' in text
    assert "On target (≥ 100% of target)" in text
    # Drill-down from the scorecard to the kecamatan's scorecard.
    assert 'href="/analytics/35.19.01/scorecard/?' in text


def test_the_indicator_group_filter_narrows_the_columns(client: Any, central_admin: User) -> None:
    client.force_login(central_admin)
    everything = client.get("/analytics/35/scorecard/").context["scorecard"].indicators
    specific = client.get("/analytics/35/scorecard/?type=specific").context["scorecard"]
    assert 0 < len(specific.indicators) < len(everything)
    assert {i.intervention_type for i in specific.indicators} == {"specific"}
    health = client.get("/analytics/35/scorecard/?sector=health").context["scorecard"]
    assert all("health" in i.sectors for i in health.indicators)


def test_the_national_scorecard_keeps_a_query_budget(
    client: Any, central_admin: User, save_value: SaveValue, django_assert_max_num_queries: Any
) -> None:
    save_value("35.19.01.2001", 30, 50)
    client.force_login(central_admin)
    # session, user, assignments, years (2), indicators, scope; children, current and previous
    # rollups, data time; session save. 38 provinces × 31 indicators from 2 rollup queries.
    with django_assert_max_num_queries(14):
        page = client.get("/analytics/scorecard/")
    assert len(page.context["scorecard"].rows) == 38
