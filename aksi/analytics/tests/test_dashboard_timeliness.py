from __future__ import annotations

import datetime
from typing import Any

import time_machine

from aksi.accounts.models import User
from aksi.analytics import selectors
from aksi.analytics.tests.conftest import SaveValue
from aksi.regions.models import Region
from aksi.review.services import submission_submit

JAKARTA = datetime.timezone(datetime.timedelta(hours=7))


def _submit(operator: User, code: str, when: datetime.datetime) -> None:
    with time_machine.travel(when, tick=False):
        submission_submit(
            actor=operator, region=Region.objects.get(code=code), period="2025", note="ok"
        )


def test_it_counts_kecamatan_reports_on_time_late_and_missing_up_the_tree(
    client: Any, operator: User, central_admin: User, save_value: SaveValue
) -> None:
    save_value("35.19.01.2001", 40, 50)
    save_value("35.19.02.2001", 40, 50)
    # The 2025 situation analysis is due on 31 March 2025, end of day in Madiun (WIB).
    _submit(operator, "35.19.01", datetime.datetime(2025, 3, 31, 23, 0, tzinfo=JAKARTA))
    _submit(operator, "35.19.02", datetime.datetime(2025, 4, 1, 0, 30, tzinfo=JAKARTA))
    district = Region.objects.get(code="35.19")
    client.force_login(central_admin)

    page = client.get("/analytics/35.19/")
    timeliness = page.context["dashboard"].timeliness
    assert (timeliness.on_time, timeliness.late) == (1, 1)
    assert timeliness.missing == district.subdistrict_count - 2
    states = {row.region.code: row.report_state for row in page.context["dashboard"].children}
    assert states["35.19.01"] == "on_time"
    assert states["35.19.02"] == "late"
    assert states["35.19.03"] == "missing"

    province = client.get("/analytics/35/").context["dashboard"]
    madiun = next(row for row in province.children if row.region.code == "35.19")
    assert (madiun.reports.on_time, madiun.reports.late) == (1, 1)
    assert province.timeliness.expected == Region.objects.get(code="35").subdistrict_count
    national = client.get("/analytics/").context["dashboard"].timeliness
    assert (national.on_time, national.late) == (1, 1)


def test_before_the_deadline_unsent_reports_are_not_yet_missing(db: None) -> None:
    district = Region.objects.get(code="35.19")
    with time_machine.travel(datetime.datetime(2025, 2, 1, tzinfo=JAKARTA)):
        filters = selectors.Filters(year=2025)
        indicators = selectors.catalogue_indicators(year=2025)
        board = selectors.dashboard_get(region=district, filters=filters, all_indicators=indicators)
    assert board.timeliness is not None
    assert board.timeliness.missing == 0
    assert board.timeliness.open == district.subdistrict_count
