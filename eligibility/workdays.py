"""Working days on the PRC calendar (DESIGN.md §4).

Sources, strongest first: the admin-entered overrides, the chinese-calendar package, and for a
year neither covers a provisional calendar: weekends plus the statutory holidays of
全国年节及纪念日放假办法 (2024 revision), each one falling on a Saturday or Sunday replaced by the
next working day (补假, 第六条), with no make-up working days. A date computed from a provisional
day is flagged so it can be shown as such and recomputed later.

The calendar covers FIRST_YEAR–LAST_YEAR, the years whose lunar dates lunardate converts; any
other date raises CalendarRangeError.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import chinese_calendar
from lunardate import LunarDate

NOTICE_WORKING_DAYS = 3  # 新人社规〔2025〕1号 第九条; 吉人社发〔2022〕10号 二(二)
FIRST_YEAR, LAST_YEAR = 1900, 2099  # lunardate converts lunar dates of these years only


class CalendarRangeError(ValueError):
    def __init__(self) -> None:
        super().__init__(f"日期超出工作日日历支持的范围（{FIRST_YEAR}年至{LAST_YEAR}年）。")


def in_range(d: date) -> bool:
    return FIRST_YEAR <= d.year <= LAST_YEAR


def _check(d: date) -> None:
    if not in_range(d):
        raise CalendarRangeError


@dataclass(frozen=True)
class Dated:
    date: date
    provisional: bool


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    provisional: bool


@cache
def package_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@cache
def _statutory_days(year: int) -> tuple[tuple[date, str], ...]:
    """全国年节及纪念日放假办法 第二条 (国务院令第795号, 2024): 元旦1天, 春节4天 (除夕起), 清明1天,
    劳动节2天, 端午1天, 中秋1天, 国庆3天, every one a holiday of all citizens. Lunar dates converted
    with lunardate. A day on which two holidays fall is listed twice."""
    days = [(date(year, 1, 1), "元旦"), (date(year, 5, 1), "劳动节"), (date(year, 5, 2), "劳动节")]
    days += [(date(year, 10, d), "国庆节") for d in (1, 2, 3)]
    new_year = LunarDate(year, 1, 1).to_solar_date()
    days += [(new_year + timedelta(days=i), "春节") for i in range(-1, 3)]  # 除夕 to 初三
    days.append((LunarDate(year, 5, 5).to_solar_date(), "端午节"))
    days.append((LunarDate(year, 8, 15).to_solar_date(), "中秋节"))
    terms = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 10))
    days.append(next((d, "清明节") for d, name in terms if name == "清明"))
    return tuple(days)


@cache
def statutory_holidays(year: int) -> dict[date, str]:
    """The statutory holidays of `year` by date (where two fall on one day, the later named)."""
    return dict(_statutory_days(year))


@cache
def provisional_holidays(year: int) -> dict[date, str]:
    """The days off of a provisional year: the statutory holidays and their days in lieu.

    第六条: a holiday of all citizens falling on a Saturday or Sunday is replaced by a working day
    off (补假), the first after the whole run of holidays that is neither a weekend nor already off
    (春节 over a weekend: after 初三). A day on which two holidays fall is owed twice, as the State
    Council's schedules gave 国庆 and 中秋 on one day (2020: 8 days)."""
    days = dict(statutory_holidays(year))
    seen: set[date] = set()
    for day, name in sorted(_statutory_days(year)):
        owed = day.weekday() >= 5 or day in seen
        seen.add(day)
        if owed:
            substitute = day
            while substitute.weekday() >= 5 or substitute in days:
                substitute += timedelta(days=1)
            days[substitute] = f"{name}（补假）"
    return days


@dataclass
class WorkingCalendar:
    """Working-day arithmetic over given overrides; build one with `load()` from the database."""

    overrides: dict[date, bool] = field(default_factory=dict)  # date -> is a working day
    official_years: frozenset[int] = frozenset()

    def is_provisional(self, d: date) -> bool:
        _check(d)
        return d.year not in self.official_years and not package_covers(d.year)

    def is_working_day(self, d: date) -> bool:
        _check(d)
        if d in self.overrides:
            return self.overrides[d]
        if package_covers(d.year):
            return chinese_calendar.is_workday(d)
        if d.year in self.official_years:  # entered schedule: listed days are overrides
            return d.weekday() < 5
        return d.weekday() < 5 and d not in provisional_holidays(d.year)

    def add_working_days(self, d: date, n: int) -> Dated:
        """The n-th working day strictly after `d`."""
        if n < 1:
            raise ValueError("工作日天数应为正整数。")
        _check(d)
        provisional = False
        day, counted = d, 0
        while counted < n:
            day += timedelta(days=1)
            provisional |= self.is_provisional(day)
            counted += self.is_working_day(day)
        return Dated(day, provisional)

    def next_working_day(self, d: date) -> Dated:
        """`d` itself if it is a working day, else the first one after it."""
        if self.is_working_day(d):
            return Dated(d, self.is_provisional(d))
        return self.add_working_days(d, 1)

    def notice_period(self, published_on: date, days: int = NOTICE_WORKING_DAYS) -> Period:
        """公示N个工作日: starts on the publication date if that is a working day, else the next
        one, and ends at the end of its N-th working day counting the start."""
        start = self.next_working_day(published_on)
        end = self.add_working_days(start.date, days - 1) if days > 1 else start
        provisional = start.provisional or end.provisional or self.is_provisional(published_on)
        return Period(start.date, end.date, provisional)


def load() -> WorkingCalendar:
    """The calendar with every override and entered year from the database (two small queries)."""
    from eligibility.models import DayKind, HolidayOverride, OfficialYear

    overrides = {d: kind == DayKind.WORKDAY for d, kind in HolidayOverride.objects.values_list("date", "kind")}
    years = frozenset(OfficialYear.objects.values_list("year", flat=True))
    return WorkingCalendar(overrides=overrides, official_years=years)


def add_working_days(d: date, n: int) -> Dated:
    return load().add_working_days(d, n)


def notice_period(published_on: date) -> Period:
    return load().notice_period(published_on)


def provisional_year_warning(today: date, calendar: WorkingCalendar | None = None) -> int | None:
    """From 1 November, the next year if its official schedule is still missing (admins are warned)."""
    if today.month < 11:
        return None
    calendar = calendar or load()
    next_year = today.year + 1
    return next_year if calendar.is_provisional(date(next_year, 6, 1)) else None
