import json
from datetime import date, timedelta

import chinese_calendar
import pytest
import time_machine
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from eligibility import workdays
from eligibility.models import DayKind, HolidayOverride, OfficialYear
from eligibility.workdays import WorkingCalendar

CAL = WorkingCalendar()

SCHEDULE_2027 = {  # a test schedule in the official format, not the real 2027 one
    "year": 2027,
    "notice": "国办发明电〔2026〕测试号",
    "holidays": [
        {"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"},
        {"name": "春节", "start": "2027-02-05", "end": "2027-02-13"},
    ],
    "workdays": [{"name": "春节", "date": "2027-02-14"}],
}


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2025, 9, 26), 1, date(2025, 9, 28)),  # Sunday make-up day before National Day
        (date(2025, 9, 30), 1, date(2025, 10, 9)),  # 1-8 October off
        (date(2025, 9, 30), 2, date(2025, 10, 10)),
        (date(2025, 10, 10), 1, date(2025, 10, 11)),  # Saturday make-up day
        (date(2026, 2, 13), 1, date(2026, 2, 14)),  # Saturday make-up day before Spring Festival
        (date(2026, 2, 13), 2, date(2026, 2, 24)),  # 15-23 February off: Xinjiang's 2 working days
        (date(2026, 2, 24), 10, date(2026, 3, 9)),  # Jilin: 10 working days, Saturday 28 Feb worked
    ],
)
def test_it_counts_working_days_on_the_official_calendar(start, n, expected):
    assert CAL.add_working_days(start, n) == workdays.Dated(expected, provisional=False)


@pytest.mark.parametrize(
    ("published", "start", "end"),
    [
        (date(2025, 9, 30), date(2025, 9, 30), date(2025, 10, 10)),  # starts on a working publication day
        (date(2025, 10, 1), date(2025, 10, 9), date(2025, 10, 11)),  # published on a holiday: next working day
        (date(2026, 2, 13), date(2026, 2, 13), date(2026, 2, 24)),
        (date(2026, 2, 21), date(2026, 2, 24), date(2026, 2, 26)),
        (date(2026, 11, 20), date(2026, 11, 20), date(2026, 11, 24)),  # Friday: over the weekend
    ],
)
def test_it_computes_the_three_working_day_notice_period(published, start, end):
    assert CAL.notice_period(published) == workdays.Period(start, end, provisional=False)


def test_it_falls_back_to_a_provisional_calendar_for_a_year_without_data():
    assert CAL.is_provisional(date(2027, 1, 4)) and not CAL.is_provisional(date(2026, 12, 31))
    # 2027-01-01 元旦 (statutory), then the weekend
    assert CAL.add_working_days(date(2026, 12, 30), 2) == workdays.Dated(date(2027, 1, 4), provisional=True)
    # 除夕 2027-02-05 to 初三 2027-02-08 (lunar), Saturday and Sunday among them: 2-09 and 2-10 in lieu
    assert CAL.add_working_days(date(2027, 2, 4), 1) == workdays.Dated(date(2027, 2, 11), provisional=True)
    assert CAL.notice_period(date(2026, 12, 30)) == workdays.Period(date(2026, 12, 30), date(2027, 1, 4), True)
    assert not CAL.add_working_days(date(2026, 12, 1), 2).provisional


def test_it_knows_the_statutory_holidays_of_a_provisional_year():
    assert workdays.statutory_holidays(2028) == {
        date(2028, 1, 1): "元旦",
        date(2028, 1, 25): "春节",  # 除夕
        date(2028, 1, 26): "春节",
        date(2028, 1, 27): "春节",
        date(2028, 1, 28): "春节",
        date(2028, 4, 4): "清明节",
        date(2028, 5, 1): "劳动节",
        date(2028, 5, 2): "劳动节",
        date(2028, 5, 28): "端午节",
        date(2028, 10, 3): "中秋节",  # falls on National Day in 2028
        date(2028, 10, 1): "国庆节",
        date(2028, 10, 2): "国庆节",
    }


def test_a_provisional_year_gives_a_day_in_lieu_of_a_holiday_on_a_weekend():
    """放假办法 第六条: 国庆 2027-10-01..03 is Fri–Sun, so 10-04 and 10-05 are days off in lieu."""
    assert CAL.notice_period(date(2027, 9, 30)) == workdays.Period(date(2027, 9, 30), date(2027, 10, 7), True)
    assert CAL.add_working_days(date(2027, 9, 30), 1) == workdays.Dated(date(2027, 10, 6), provisional=True)
    assert not CAL.is_working_day(date(2027, 10, 4)) and not CAL.is_working_day(date(2027, 10, 5))
    assert CAL.add_working_days(date(2027, 4, 30), 1).date == date(2027, 5, 5)  # 劳动节 5-01..02 Sat–Sun


@pytest.mark.parametrize(
    ("year", "in_lieu"),
    [
        # 春节 2027-02-05..08 (Fri–Mon): after the whole run, not onto 初二/初三
        (
            2027,
            {
                date(2027, 2, 9),
                date(2027, 2, 10),
                date(2027, 5, 3),
                date(2027, 5, 4),
                date(2027, 10, 4),
                date(2027, 10, 5),
            },
        ),
        # 元旦 on a Saturday; 端午 on a Sunday; 国庆 10-01 on a Sunday, and 中秋 on 国庆's 10-03: owed too
        (2028, {date(2028, 1, 3), date(2028, 5, 29), date(2028, 10, 4), date(2028, 10, 5)}),
        (2029, {date(2029, 6, 18), date(2029, 9, 24)}),  # 端午, 中秋 on Saturdays
    ],
)
def test_days_in_lieu_go_to_the_next_days_not_off(year, in_lieu):
    statutory = workdays.statutory_holidays(year)
    assert set(workdays.provisional_holidays(year)) - set(statutory) == in_lieu
    assert all(d.weekday() < 5 for d in in_lieu)


@pytest.mark.parametrize(
    "compute",
    [
        lambda: CAL.add_working_days(date(9999, 12, 31), 1),  # was an OverflowError
        lambda: CAL.add_working_days(date(2099, 12, 30), 5),  # runs past 2099
        lambda: CAL.notice_period(date(2100, 1, 1)),  # was lunardate's "year out of range"
        lambda: CAL.notice_period(date(1899, 12, 31)),
        lambda: CAL.is_provisional(date(2100, 1, 1)),
    ],
)
def test_a_date_outside_the_supported_years_is_a_clear_error(compute):
    with pytest.raises(workdays.CalendarRangeError, match="1900年至2099年"):
        compute()


def test_the_package_years_days_are_worked_out_once_each(monkeypatch):
    """A queue page counts every day up to each row's deadline (issue 13): the package's own
    `is_workday` (about 25 µs a call) is asked once per day per process, not on every count."""
    year = date(2025, 1, 1)
    every_day = [year + timedelta(days=i) for i in range(365)]
    expected = [chinese_calendar.is_workday(d) for d in every_day]
    calls = []
    monkeypatch.setattr(chinese_calendar, "is_workday", lambda d: calls.append(d) or expected[(d - year).days])
    workdays.package_workdays.cache_clear()
    assert [CAL.is_working_day(d) for d in every_day] == expected
    first = len(calls)
    assert [CAL.is_working_day(d) for d in every_day] == expected
    assert len(calls) == first <= 365
    workdays.package_workdays.cache_clear()


def test_overrides_win_over_the_package(db):
    HolidayOverride.objects.create(date=date(2026, 11, 28), kind=DayKind.WORKDAY, notice="测试")
    HolidayOverride.objects.create(date=date(2026, 11, 30), kind=DayKind.HOLIDAY, notice="测试")
    assert workdays.add_working_days(date(2026, 11, 27), 1).date == date(2026, 11, 28)
    assert workdays.add_working_days(date(2026, 11, 28), 1).date == date(2026, 12, 1)


def test_an_imported_year_is_official(db, tmp_path, capsys):
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(SCHEDULE_2027, ensure_ascii=False), encoding="utf-8")
    call_command("import_holidays", str(path))
    assert json.loads(capsys.readouterr().out) == {"year": 2027, "province": "", "days": 13, "replaced": 0}
    cal = workdays.load()
    assert not cal.is_provisional(date(2027, 6, 1))
    assert cal.add_working_days(date(2026, 12, 31), 1) == workdays.Dated(date(2027, 1, 4), provisional=False)
    assert cal.add_working_days(date(2027, 2, 4), 1).date == date(2027, 2, 14)  # make-up Sunday
    assert cal.is_working_day(date(2027, 4, 5))  # statutory 清明 not in this (test) schedule: the schedule rules
    # importing again replaces, never duplicates
    call_command("import_holidays", str(path))
    assert HolidayOverride.objects.filter(date__year=2027).count() == 13
    assert OfficialYear.objects.get(year=2027, province="").notice == SCHEDULE_2027["notice"]


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        ({**SCHEDULE_2027, "notice": ""}, "依据文件"),
        ({**SCHEDULE_2027, "holidays": []}, "没有任何假日"),
        ({**SCHEDULE_2027, "holidays": [{"start": "2027-02-30"}]}, "格式不正确"),
        ({**SCHEDULE_2027, "workdays": [{"date": "2027-02-05"}]}, "两次"),
    ],
)
def test_it_refuses_a_bad_schedule_and_changes_nothing(db, tmp_path, schedule, message):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(schedule, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("import_holidays", str(path))
    assert not HolidayOverride.objects.filter(date__year=2027).exists()
    assert not OfficialYear.objects.filter(year=2027).exists()


@pytest.mark.parametrize(
    ("today", "warned"), [(date(2026, 10, 31), None), (date(2026, 11, 1), 2027), (date(2025, 11, 22), None)]
)
def test_it_warns_from_1_november_while_next_year_is_provisional(today, warned):
    assert workdays.provisional_year_warning(today, CAL) == warned
    assert workdays.provisional_year_warning(today, WorkingCalendar(official_years=frozenset({2027}))) is None


@time_machine.travel("2026-11-22 10:00 +0800", tick=False)
def test_admins_see_the_warning_banner(client, admin_user, community_user):
    client.force_login(admin_user)
    assert "2027 年的官方节假日安排尚未录入" in client.get("/admin/").content.decode()
    client.force_login(community_user)
    assert "官方节假日安排" not in client.get("/queue/").content.decode()


days = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))


@settings(max_examples=200, deadline=None)
@given(start=days, n=st.integers(1, 40))
def test_add_working_days_is_increasing_and_lands_on_working_days(start, n):
    result = CAL.add_working_days(start, n).date
    assert result > start
    assert CAL.is_working_day(result)
    assert CAL.add_working_days(start, n + 1).date > result
    between = [start + timedelta(days=i) for i in range(1, (result - start).days + 1)]
    assert sum(CAL.is_working_day(d) for d in between) == n


@settings(max_examples=100, deadline=None)
@given(published=days)
def test_a_notice_period_spans_exactly_three_working_days(published):
    period = CAL.notice_period(published)
    assert published <= period.start <= period.end
    span = [period.start + timedelta(days=i) for i in range((period.end - period.start).days + 1)]
    assert sum(CAL.is_working_day(d) for d in span) == 3
    assert CAL.is_working_day(period.start) and CAL.is_working_day(period.end)
