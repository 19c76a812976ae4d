"""Calendars per province (DESIGN.md §4): the national schedule plus the region's own holidays."""

import json
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command

from eligibility import workdays
from eligibility.models import DayKind, HolidayOverride, OfficialYear

pytestmark = pytest.mark.django_db

XINJIANG_2026 = {  # a test schedule in the official format, not the 自治区's real 2026 one
    "year": 2026,
    "province": "65",
    "notice": "新疆维吾尔自治区2026年节假日安排（测试）",
    "holidays": [
        {"name": "肉孜节", "start": "2026-03-20", "end": "2026-03-22"},
        {"name": "古尔邦节", "start": "2026-05-26", "end": "2026-05-28"},
    ],
}


def import_file(tmp_path, schedule: dict) -> None:
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(schedule, ensure_ascii=False), encoding="utf-8")
    call_command("import_holidays", str(path))


def test_the_autonomous_regions_2025_schedule_ships_as_data():
    assert OfficialYear.objects.get(province="65").year == 2025
    xinjiang = workdays.load("65")
    assert [d for d in (date(2025, 3, 28) + timedelta(days=i) for i in range(90)) if d in xinjiang.overrides] == [
        date(2025, 3, 29),
        date(2025, 3, 30),
        date(2025, 3, 31),
        date(2025, 6, 6),
        date(2025, 6, 7),
        date(2025, 6, 8),
        date(2025, 6, 9),
        date(2025, 6, 10),
    ]
    assert xinjiang.add_working_days(date(2025, 6, 5), 1) == workdays.Dated(date(2025, 6, 11), provisional=False)
    assert xinjiang.add_working_days(date(2025, 3, 28), 1).date == date(2025, 4, 1)
    # the nation and other provinces work on those days
    assert workdays.add_working_days(date(2025, 6, 5), 1) == workdays.Dated(date(2025, 6, 6), provisional=False)
    assert workdays.add_working_days(date(2025, 6, 5), 1, province="22").date == date(2025, 6, 6)


def test_a_unit_code_stands_for_its_province():
    assert workdays.add_working_days(date(2025, 6, 5), 1, province="650102001001").date == date(2025, 6, 11)
    assert workdays.notice_period(date(2025, 3, 28), province="650000000000") == workdays.Period(
        date(2025, 3, 28), date(2025, 4, 2), provisional=False
    )
    with pytest.raises(ValueError, match="两位省级代码"):
        workdays.load("6501")


def test_an_override_for_one_province_changes_that_province_only():
    HolidayOverride.objects.create(date=date(2026, 11, 30), province="22", kind=DayKind.HOLIDAY, notice="测试")
    assert workdays.add_working_days(date(2026, 11, 27), 1, province="22").date == date(2026, 12, 1)
    assert workdays.add_working_days(date(2026, 11, 27), 1, province="65").date == date(2026, 11, 30)
    assert workdays.add_working_days(date(2026, 11, 27), 1).date == date(2026, 11, 30)
    # a national override reaches every province, and a regional one for the same day wins there
    HolidayOverride.objects.create(date=date(2026, 11, 30), kind=DayKind.HOLIDAY, notice="测试")
    HolidayOverride.objects.create(date=date(2026, 11, 30), province="65", kind=DayKind.WORKDAY, notice="测试")
    assert workdays.add_working_days(date(2026, 11, 27), 1).date == date(2026, 12, 1)
    assert workdays.add_working_days(date(2026, 11, 27), 1, province="65").date == date(2026, 11, 30)


def test_an_admin_override_for_one_province_changes_that_province_only(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/eligibility/holidayoverride/add/",
        {"date": "2026-11-30", "province": "65", "kind": "holiday", "name": "测试", "notice": "测试通知"},
    )
    assert response.status_code == 302
    assert workdays.add_working_days(date(2026, 11, 27), 1, province="65").date == date(2026, 12, 1)
    assert workdays.add_working_days(date(2026, 11, 27), 1, province="22").date == date(2026, 11, 30)
    assert workdays.add_working_days(date(2026, 11, 27), 1).date == date(2026, 11, 30)


def test_a_year_without_the_regions_own_schedule_is_provisional_there(tmp_path):
    """Its 肉孜节 and 古尔邦节 are not known: the national days are counted, and flagged provisional."""
    assert workdays.add_working_days(date(2026, 3, 19), 1, province="65") == workdays.Dated(date(2026, 3, 20), True)
    assert workdays.add_working_days(date(2026, 3, 19), 1) == workdays.Dated(date(2026, 3, 20), False)
    assert workdays.add_working_days(date(2026, 3, 19), 1, province="22") == workdays.Dated(date(2026, 3, 20), False)
    import_file(tmp_path, XINJIANG_2026)
    assert workdays.add_working_days(date(2026, 3, 19), 1, province="65") == workdays.Dated(date(2026, 3, 23), False)
    assert workdays.add_working_days(date(2026, 3, 19), 1) == workdays.Dated(date(2026, 3, 20), False)


def test_a_regional_import_replaces_only_that_provinces_entries_of_the_year(tmp_path, capsys):
    national = HolidayOverride.objects.create(date=date(2026, 3, 20), kind=DayKind.WORKDAY, notice="全国")
    jilin = HolidayOverride.objects.create(date=date(2026, 3, 21), province="22", kind=DayKind.HOLIDAY, notice="吉林")
    stale = HolidayOverride.objects.create(date=date(2026, 4, 1), province="65", kind=DayKind.HOLIDAY, notice="旧")
    import_file(tmp_path, XINJIANG_2026)
    assert json.loads(capsys.readouterr().out) == {"year": 2026, "province": "65", "days": 6, "replaced": 1}
    assert not HolidayOverride.objects.filter(pk=stale.pk).exists()
    assert HolidayOverride.objects.filter(pk__in=[national.pk, jilin.pk]).count() == 2
    assert HolidayOverride.objects.filter(province="65", date__year=2025).count() == 8  # other years kept
    assert set(OfficialYear.objects.values_list("year", "province")) == {(2025, "65"), (2026, "65")}
    import_file(tmp_path, XINJIANG_2026)  # again: replaces, never duplicates
    assert HolidayOverride.objects.filter(province="65", date__year=2026).count() == 6


def test_an_unknown_province_in_a_schedule_is_refused(tmp_path):
    with pytest.raises(Exception, match="没有省级代码 99"):
        import_file(tmp_path, {**XINJIANG_2026, "province": "99"})
    assert not HolidayOverride.objects.filter(date__year=2026).exists()


@pytest.mark.parametrize(
    ("today", "missing"),
    [
        (date(2025, 10, 31), {}),
        (date(2025, 12, 31), {"65": [2026]}),
        (date(2026, 10, 31), {"65": [2026]}),  # this year's own holidays are not known
        (date(2026, 11, 1), {"65": [2026, 2027]}),  # and from 1 November next year's
    ],
)
def test_admins_are_warned_of_a_regions_missing_schedule(today, missing):
    assert workdays.missing_regional_schedules(today) == missing
    OfficialYear.objects.create(year=2026, province="65", notice="测试")
    OfficialYear.objects.create(year=2027, province="65", notice="测试")
    assert workdays.missing_regional_schedules(today) == {}


@time_machine.travel("2026-11-22 10:00 +0800", tick=False)
def test_the_admin_banner_names_the_province(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/admin/").content.decode()
    assert "新疆维吾尔自治区 2026、2027 年自有节日（如肉孜节、古尔邦节）的放假安排尚未录入" in page
    OfficialYear.objects.create(year=2026, province="65", notice="测试")
    OfficialYear.objects.create(year=2027, province="65", notice="测试")
    assert "自有节日" not in client.get("/admin/").content.decode()


def test_the_admin_shows_and_filters_by_province_in_chinese(client, admin_user):
    HolidayOverride.objects.create(date=date(2026, 10, 1), kind=DayKind.HOLIDAY, name="国庆节", notice="全国")
    client.force_login(admin_user)
    page = client.get("/admin/eligibility/holidayoverride/").content.decode()
    assert "适用地区" in page and "新疆维吾尔自治区" in page and "全国" in page

    def listed(url: str) -> set[tuple[str, str]]:
        return {(o.province, o.name) for o in client.get(url).context["cl"].result_list}

    assert listed("/admin/eligibility/holidayoverride/?province__exact=65") == {("65", "肉孜节"), ("65", "古尔邦节")}
    assert listed("/admin/eligibility/holidayoverride/?province__exact=") == {("", "国庆节")}
    years = client.get("/admin/eligibility/officialyear/?province__exact=65").content.decode()
    assert "适用地区" in years and "新疆维吾尔自治区" in years and "自治区人民政府令第174号" in years
