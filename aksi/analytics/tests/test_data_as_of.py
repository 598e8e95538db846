from __future__ import annotations

import datetime
from typing import Any

import time_machine

from aksi.accounts.models import User
from aksi.analytics.selectors import data_as_of
from aksi.analytics.tests.conftest import SaveValue
from aksi.regions.models import Region


def test_every_save_moves_the_data_time_of_every_level_up(
    client: Any, central_admin: User, save_value: SaveValue
) -> None:
    first = datetime.datetime(2026, 5, 1, 3, 0, tzinfo=datetime.UTC)
    second = datetime.datetime(2026, 5, 2, 4, 30, tzinfo=datetime.UTC)
    with time_machine.travel(first, tick=False):
        save_value("35.19.01.2001", 40, 50)
    with time_machine.travel(second, tick=False):
        save_value("35.19.01.2002", 10, 50)  # updates existing rows above the desa
    for code in ("35.19.01", "35.19", "35"):
        assert data_as_of(region=Region.objects.get(code=code), period="2025") == second
    assert data_as_of(region=None, period="2025") == second
    client.force_login(central_admin)
    # Shown in the region's own time zone: 04:30 UTC is 11:30 WIB.
    for url in ("/analytics/35.19/", "/analytics/35.19/scorecard/"):
        text = client.get(url).content.decode()
        assert "2 Mei 2026 11:30 WIB" in text, url


def test_a_period_without_data_says_so(client: Any, central_admin: User) -> None:
    client.force_login(central_admin)
    page = client.get("/analytics/35.19/?period=S2")
    assert page.context["dashboard"].data_as_of is None


def test_the_xlsx_download_carries_the_data_time(
    client: Any, central_admin: User, save_value: SaveValue
) -> None:
    import io

    from openpyxl import load_workbook

    with time_machine.travel(datetime.datetime(2026, 5, 2, 4, 30, tzinfo=datetime.UTC)):
        save_value("35.19.01.2001", 40, 50)
    client.force_login(central_admin)
    response = client.get("/analytics/35.19/export/scorecard.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert "2 Mei 2026 11:30 WIB" in sheet["A2"].value
