"""Entering a year's official holiday schedule (国务院办公厅关于XXXX年部分节假日安排的通知), or a
province's own one (全国年节及纪念日放假办法 第四条: e.g. the 自治区's 肉孜节 and 古尔邦节)."""

import json
from datetime import date, timedelta

from django.db import transaction

from eligibility import workdays
from eligibility.models import PROVINCES, DayKind, HolidayOverride, OfficialYear
from eligibility.signals import schedule_entered_on_commit


class ScheduleError(ValueError):
    pass


def _dates(entry: dict) -> list[date]:
    start = date.fromisoformat(entry.get("start") or entry["date"])
    end = date.fromisoformat(entry.get("end") or entry.get("date") or entry["start"])
    if end < start:
        raise ScheduleError(f"{entry}: 结束日期早于开始日期。")
    if not (workdays.in_range(start) and workdays.in_range(end)):
        raise ScheduleError(f"{entry}: {workdays.CalendarRangeError()}")
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _province(data: dict) -> str:
    province = str(data.get("province") or workdays.NATIONAL)
    if province != workdays.NATIONAL and province not in dict(PROVINCES):
        raise ScheduleError(f"没有省级代码 {province}（应为两位数字，如 65）。")
    return province


def parse_schedule(text: str) -> dict:
    """{"year": 2027, "notice": "国办发明电〔2026〕N号", "province": "65" (optional; omitted = national),
    "holidays": [{"name": "春节", "start": "2027-02-05", "end": "2027-02-12"}, ...],
    "workdays": [{"name": "春节", "date": "2027-02-13"}, ...]}"""
    try:
        data = json.loads(text)
        year, notice = int(data["year"]), str(data["notice"]).strip()
        province = _province(data)
        days: dict[date, tuple[str, str]] = {}
        for kind, key in ((DayKind.HOLIDAY, "holidays"), (DayKind.WORKDAY, "workdays")):
            for entry in data.get(key, []):
                for d in _dates(entry):
                    if d in days:
                        raise ScheduleError(f"{d} 出现了两次。")
                    days[d] = (kind, entry.get("name", ""))
    except (KeyError, TypeError, ValueError, json.JSONDecodeError) as exc:
        if isinstance(exc, ScheduleError):
            raise
        raise ScheduleError(f"放假安排格式不正确：{exc}") from None
    if not workdays.FIRST_YEAR <= year <= workdays.LAST_YEAR:
        raise ScheduleError(f"年份 {year}：{workdays.CalendarRangeError()}")
    if not notice:
        raise ScheduleError("请填写依据文件（通知文号）。")
    if not any(kind == DayKind.HOLIDAY for kind, _ in days.values()):
        raise ScheduleError("放假安排中没有任何假日。")
    return {"year": year, "province": province, "notice": notice, "days": days}


@transaction.atomic
def import_schedule(
    *, year: int, notice: str, days: dict[date, tuple[str, str]], province: str = workdays.NATIONAL
) -> dict:
    """Replace that year's overrides of that province ("" = national) with the schedule and mark the
    year entered there; other provinces are untouched. Days of adjacent years in the schedule (e.g.
    a make-up day in late December) are kept too. Once committed, `schedule_entered` is sent."""
    mine = HolidayOverride.objects.filter(province=province)
    replaced, _ = mine.filter(date__year=year).delete()
    mine.filter(date__in=list(days)).delete()
    HolidayOverride.objects.bulk_create(
        HolidayOverride(date=d, province=province, kind=kind, name=name, notice=notice)
        for d, (kind, name) in sorted(days.items())
    )
    OfficialYear.objects.update_or_create(year=year, province=province, defaults={"notice": notice})
    workdays.calendar_changed()  # bulk_create sends no post_save
    schedule_entered_on_commit(year=year, province=province)
    return {"year": year, "province": province, "days": len(days), "replaced": replaced}
