"""The loaded calendar is kept until a write to its tables (DESIGN.md §4 is read on most pages)."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from eligibility import workdays
from eligibility.models import DayKind, HolidayOverride, OfficialYear
from tests.conftest import api_as

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 30)


def calendar_queries(run) -> int:
    with CaptureQueriesContext(connection) as queries:
        run()
    return sum("eligibility_" in q["sql"] for q in queries.captured_queries)


def test_a_loaded_calendar_is_kept_for_every_province():
    assert calendar_queries(workdays.load) == 2
    assert calendar_queries(workdays.load) == 0
    assert calendar_queries(lambda: workdays.load("650102001001")) == 0
    assert calendar_queries(lambda: workdays.notice_period(MONDAY, "22")) == 0


def test_a_request_does_not_query_the_calendar_again(community_user):
    client = api_as(community_user)
    url = "/api/v1/calendar/add-working-days?date=2026-11-27&days=1&unit_code=650102001001"
    assert calendar_queries(lambda: client.get(url)) == 2
    assert calendar_queries(lambda: client.get(url)) == 0


def test_every_write_is_seen_at_once():
    assert workdays.add_working_days(date(2026, 11, 27), 1).date == MONDAY  # loaded and kept
    override = HolidayOverride.objects.create(date=MONDAY, kind=DayKind.HOLIDAY, notice="测试")
    assert workdays.add_working_days(date(2026, 11, 27), 1).date == date(2026, 12, 1)
    override.kind = DayKind.WORKDAY
    override.save()
    assert workdays.load().overrides[MONDAY] is True
    override.delete()
    assert MONDAY not in workdays.load().overrides
    OfficialYear.objects.create(year=2027, notice="测试")
    assert not workdays.load().is_provisional(date(2027, 6, 1))
    OfficialYear.objects.filter(year=2027).delete()
    assert workdays.load().is_provisional(date(2027, 6, 1))


def test_a_commit_makes_every_process_reload(django_capture_on_commit_callbacks):
    workdays.load()
    before = workdays._version()
    with django_capture_on_commit_callbacks(execute=True):
        HolidayOverride.objects.create(date=MONDAY, kind=DayKind.HOLIDAY, notice="测试")
        at_save = workdays._version()
    assert len({before, at_save, workdays._version()}) == 3
    assert calendar_queries(workdays.load) == 2
    assert calendar_queries(workdays.load) == 0


def test_a_rolled_back_write_leaves_nothing_stale():
    workdays.load()
    with pytest.raises(RuntimeError), transaction.atomic():
        HolidayOverride.objects.create(date=MONDAY, kind=DayKind.HOLIDAY, notice="测试")
        assert MONDAY in workdays.load().overrides  # the writer sees its write
        raise RuntimeError
    assert MONDAY not in workdays.load().overrides
