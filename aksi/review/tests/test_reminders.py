from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.test import Client

from aksi.accounts.models import Role, User
from aksi.accounts.tests.factories import user_with_role
from aksi.regions.models import Region
from aksi.review import reminders
from aksi.review.models import Notice, Submission
from aksi.review.services import submission_submit

WIB = ZoneInfo("Asia/Jakarta")


def _operator(username: str, code: str) -> User:
    user = user_with_role(username, Role.OPERATOR, code)
    user.email = f"{username}@example.org"
    user.save()
    return user


def test_it_reminds_a_week_before_the_deadline_once_a_day(db: None) -> None:
    operator = _operator("op_kebonsari", "35.19.01")
    with time_machine.travel(datetime.datetime(2025, 3, 27, 8, 0, tzinfo=WIB)):
        first = reminders.reminders_send(period="2025")
        again = reminders.reminders_send(period="2025")
    assert (first.notices, first.emails) == (1, 1)
    assert (again.notices, again.emails) == (0, 0)
    notice = Notice.objects.get(user=operator)
    assert notice.kind == Notice.Kind.DEADLINE_SOON
    assert "Kebonsari" in notice.message
    assert "/entry/2025/35.19.01/" in mail.outbox[0].body


def test_it_says_nothing_a_month_ahead_and_reports_overdue_after(db: None) -> None:
    _operator("op_kebonsari", "35.19.01")
    with time_machine.travel(datetime.datetime(2025, 2, 1, 8, 0, tzinfo=WIB)):
        assert reminders.reminders_send(period="2025").notices == 0
    with time_machine.travel(datetime.datetime(2025, 4, 2, 8, 0, tzinfo=WIB)):
        assert reminders.reminders_send(period="2025").notices == 1
    assert Notice.objects.get().kind == Notice.Kind.OVERDUE


def test_a_submitted_report_gets_no_reminder(db: None) -> None:
    operator = _operator("op_kebonsari", "35.19.01")
    submission_submit(actor=operator, region=Region.objects.get(code="35.19.01"), period="2025")
    assert Submission.objects.filter(status=Submission.Status.SUBMITTED).exists()
    with time_machine.travel(datetime.datetime(2025, 4, 2, 8, 0, tzinfo=WIB)):
        assert reminders.reminders_send(period="2025").notices == 0


def test_the_same_instant_is_overdue_in_papua_but_not_in_java(db: None) -> None:
    _operator("op_kebonsari", "35.19.01")  # WIB
    _operator("op_amahai", "81.01.01")  # WIT, two hours ahead
    # 31 March 22:30 WIB = 1 April 00:30 WIT.
    with time_machine.travel(datetime.datetime(2025, 3, 31, 22, 30, tzinfo=WIB)):
        reminders.reminders_send(period="2025")
    kinds = dict(Notice.objects.values_list("region_code", "kind"))
    assert kinds == {"35.19.01": Notice.Kind.DEADLINE_SOON, "81.01.01": Notice.Kind.OVERDUE}


def test_the_home_page_shows_the_reminder(client: Client, db: None) -> None:
    operator = _operator("op_kebonsari", "35.19.01")
    with time_machine.travel(datetime.datetime(2025, 3, 27, 8, 0, tzinfo=WIB)):
        reminders.reminders_send(period="2025")
        client.force_login(operator)
        page = client.get("/")
    assert [n.region_code for n in page.context["notices"]] == ["35.19.01"]
    assert "/entry/2025/35.19.01/" in page.content.decode()
