"""Entering a year's official holiday schedule (国务院办公厅关于XXXX年部分节假日安排的通知)."""

import json
from datetime import date, timedelta

from django.db import transaction

from eligibility.models import DayKind, HolidayOverride, OfficialYear


class ScheduleError(ValueError):
    pass


def _dates(entry: dict) -> list[date]:
    start = date.fromisoformat(entry.get("start") or entry["date"])
    end = date.fromisoformat(entry.get("end") or entry.get("date") or entry["start"])
    if end < start:
        raise ScheduleError(f"{entry}: 结束日期早于开始日期。")
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def parse_schedule(text: str) -> dict:
    """{"year": 2027, "notice": "国办发明电〔2026〕N号",
    "holidays": [{"name": "春节", "start": "2027-02-05", "end": "2027-02-12"}, ...],
    "workdays": [{"name": "春节", "date": "2027-02-13"}, ...]}"""
    try:
        data = json.loads(text)
        year, notice = int(data["year"]), str(data["notice"]).strip()
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
    if not notice:
        raise ScheduleError("请填写依据文件（通知文号）。")
    if not any(kind == DayKind.HOLIDAY for kind, _ in days.values()):
        raise ScheduleError("放假安排中没有任何假日。")
    return {"year": year, "notice": notice, "days": days}


@transaction.atomic
def import_schedule(*, year: int, notice: str, days: dict[date, tuple[str, str]]) -> dict:
    """Replace that year's overrides with the official schedule and mark the year official.
    Days of adjacent years in the schedule (e.g. a make-up day in late December) are kept too."""
    replaced, _ = HolidayOverride.objects.filter(date__year=year).delete()
    HolidayOverride.objects.filter(date__in=list(days)).delete()
    HolidayOverride.objects.bulk_create(
        HolidayOverride(date=d, kind=kind, name=name, notice=notice) for d, (kind, name) in sorted(days.items())
    )
    OfficialYear.objects.update_or_create(year=year, defaults={"notice": notice})
    return {"year": year, "days": len(days), "replaced": replaced}
