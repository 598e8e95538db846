from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import time_machine

from aksi.accounts.models import Role
from aksi.accounts.tests.factories import user_with_role
from aksi.regions.models import Region
from aksi.review import measures, services

WIB = ZoneInfo("Asia/Jakarta")


def test_at_the_same_instant_a_wit_region_is_late_while_a_wib_region_is_on_time(
    kecamatan: Region,
) -> None:
    wit = (
        Region.objects.filter(level="subdistrict", time_zone="Asia/Jayapura", valid_to=None)
        .order_by("code")
        .first()
    )
    assert kecamatan.time_zone == "Asia/Jakarta"
    wib_operator = user_with_role("op_wib", Role.OPERATOR, kecamatan.code)
    wit_operator = user_with_role("op_wit", Role.OPERATOR, wit.code)
    # 31 March 2025 23:30 WIB is already 1 April 01:30 WIT: step 1 is due on 31 March.
    with time_machine.travel(datetime.datetime(2025, 3, 31, 23, 30, tzinfo=WIB), tick=False):
        on_time = services.submission_submit(actor=wib_operator, region=kecamatan, period="2025")
        late = services.submission_submit(actor=wit_operator, region=wit, period="2025")
    assert on_time.first_submitted_at == late.first_submitted_at
    wib_due = measures.deadline(step=on_time.step, region=kecamatan, period="2025")
    wit_due = measures.deadline(step=late.step, region=wit, period="2025")
    assert wib_due.astimezone(datetime.UTC).isoformat().startswith("2025-03-31T16:59:59")
    assert wit_due.astimezone(datetime.UTC).isoformat().startswith("2025-03-31T14:59:59")
    assert measures.is_on_time(submitted_at=on_time.first_submitted_at, due=wib_due)
    assert not measures.is_on_time(submitted_at=late.first_submitted_at, due=wit_due)
    assert measures.days_late(submitted_at=late.first_submitted_at, due=wit_due) == 1
    assert measures.days_late(submitted_at=on_time.first_submitted_at, due=wib_due) == 0


def test_a_region_that_never_submitted_counts_days_late_until_now(kecamatan: Region) -> None:
    step = measures.coverage_step(2025)
    due = measures.deadline(step=step, region=kecamatan, period="2025")
    now = datetime.datetime(2025, 4, 10, 12, 0, tzinfo=WIB)
    assert measures.days_late(submitted_at=None, due=due, now=now) == 10
