"""Working days on the PRC calendar (DESIGN.md §4).

Sources, strongest first: the admin-entered overrides, the chinese-calendar package, and for a
year neither covers a provisional calendar: weekends plus the statutory holidays of
全国年节及纪念日放假办法 (2024 revision), each one falling on a Saturday or Sunday replaced by the
next working day (补假, 第六条), with no make-up working days. A date computed from a provisional
day is flagged so it can be shown as such and recomputed later.

Calendars are per province: the national schedule, with the province's own holidays for all its
residents over it (第四条: 少数民族习惯的节日 are set by the region's government; Xinjiang: 肉孜节,
古尔邦节). A province has its own holidays once one of its regional schedules has been entered
(the 自治区's 2025 one ships as data). In such a province, a year whose regional schedule has not
been entered is provisional even where the national calendar is known: its regional days are not
known yet (they follow the Islamic calendar and the 自治区's notice), so the national calendar
alone is counted and every date is flagged provisional until the regional schedule is entered.
A province without regional schedules has the national calendar.

The calendar covers FIRST_YEAR–LAST_YEAR, the years whose lunar dates lunardate converts; any
other date raises CalendarRangeError.

`load()` reads the two calendar tables once per process and keeps them until a write to either
bumps the version kept in Django's cache (HolidayOverride/OfficialYear post_save and post_delete,
and import_holidays' bulk insert): the writing thread sees its own writes at once, every process
reloads after the commit.
"""

import threading
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from uuid import uuid4

import chinese_calendar
from django.core.cache import cache as django_cache
from django.db import DEFAULT_DB_ALIAS, transaction
from lunardate import LunarDate

NOTICE_WORKING_DAYS = 3  # 新人社规〔2025〕1号 第九条; 吉人社发〔2022〕10号 二(二)
FIRST_YEAR, LAST_YEAR = 1900, 2099  # lunardate converts lunar dates of these years only
NATIONAL = ""  # the province code of the national schedule


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
def package_workdays(year: int) -> frozenset[date]:
    """The working days of a year the package covers, worked out once per process: its `is_workday`
    takes the max and min of its whole tables on every call (about 25 µs), and a queue page counts
    every day up to each row's deadline (issue 13: a page of long-overdue cases made hundreds of calls)."""
    first = date(year, 1, 1)
    days = (first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days))
    return frozenset(d for d in days if chinese_calendar.is_workday(d))


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
    official_years: frozenset[int] = frozenset()  # years with the national schedule entered
    regional_years: frozenset[int] | None = None  # a province with its own holidays: years entered

    def is_provisional(self, d: date) -> bool:
        _check(d)
        national = d.year not in self.official_years and not package_covers(d.year)
        return national or (self.regional_years is not None and d.year not in self.regional_years)

    def is_working_day(self, d: date) -> bool:
        _check(d)
        if d in self.overrides:
            return self.overrides[d]
        if package_covers(d.year):
            return d in package_workdays(d.year)
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


@dataclass(frozen=True)
class Schedules:
    """Every entered override and year, by province ("" = national): what `load()` reads."""

    overrides: dict[str, dict[date, bool]]  # province -> date -> is a working day
    years: dict[str, frozenset[int]]  # province -> years whose schedule has been entered

    def calendar(self, province: str = NATIONAL) -> WorkingCalendar:
        """The national schedule, with the province's own days over it."""
        overrides = dict(self.overrides.get(NATIONAL, {}))
        if province != NATIONAL:
            overrides.update(self.overrides.get(province, {}))
        return WorkingCalendar(
            overrides=overrides,
            official_years=self.years.get(NATIONAL, frozenset()),
            regional_years=self.years.get(province) if province != NATIONAL else None,
        )

    def regional_provinces(self) -> list[str]:
        """The provinces with their own holidays: one of their regional schedules has been entered."""
        return sorted(p for p in self.years if p != NATIONAL)


def province_of(code: str | None) -> str:
    """The two-digit province of a province code or a 12-digit unit code; "" for None or ""."""
    if not code:
        return NATIONAL
    if not (code.isascii() and code.isdigit() and len(code) in (2, 12)):
        raise ValueError(f"{code}：应为两位省级代码或12位区划代码。")
    return code[:2]


def _read() -> Schedules:
    from eligibility.models import DayKind, HolidayOverride, OfficialYear

    overrides: dict[str, dict[date, bool]] = {}
    for d, kind, province in HolidayOverride.objects.values_list("date", "kind", "province"):
        overrides.setdefault(province, {})[d] = kind == DayKind.WORKDAY
    years: dict[str, set[int]] = {}
    for year, province in OfficialYear.objects.values_list("year", "province"):
        years.setdefault(province, set()).add(year)
    return Schedules(overrides, {p: frozenset(ys) for p, ys in years.items()})


_VERSION_KEY = "eligibility:calendar-version"
_loaded: tuple[str, Schedules] | None = None  # (version, what was read): this process's copy
_local = threading.local()  # .written: the version this thread's own write bumped to


def _version() -> str | None:
    """None only where the cache keeps nothing (DummyCache): then nothing is kept here either."""
    version = django_cache.get(_VERSION_KEY)
    if version is None:
        django_cache.add(_VERSION_KEY, uuid4().hex, timeout=None)
        version = django_cache.get(_VERSION_KEY)
    return version


def _bump() -> str:
    version = uuid4().hex
    django_cache.set(_VERSION_KEY, version, timeout=None)
    return version


def calendar_changed(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Receiver of every write to the calendar tables (connected in eligibility.models)."""
    _local.written = _bump()  # this thread reads its own write at once
    transaction.on_commit(_bump, using=using)  # every process reloads once it is committed


def schedules() -> Schedules:
    """Every entered schedule, read once per version. What this thread wrote inside a transaction
    not yet committed is read but not kept, so a rollback leaves nothing stale behind."""
    global _loaded
    version = _version()
    if version is not None and _loaded is not None and _loaded[0] == version:
        return _loaded[1]
    read = _read()
    uncommitted = getattr(_local, "written", None) == version and transaction.get_connection().in_atomic_block
    if version is not None and not uncommitted:
        _loaded = (version, read)
    return read


def load(province: str | None = None) -> WorkingCalendar:
    """The calendar of a province (two-digit code, or a 12-digit unit code); None: the national one."""
    return schedules().calendar(province_of(province))


def add_working_days(d: date, n: int, province: str | None = None) -> Dated:
    return load(province).add_working_days(d, n)


def notice_period(published_on: date, province: str | None = None) -> Period:
    return load(province).notice_period(published_on)


def provisional_year_warning(today: date, calendar: WorkingCalendar | None = None) -> int | None:
    """From 1 November, the next year if its official schedule is still missing (admins are warned)."""
    if today.month < 11:
        return None
    calendar = calendar or load()
    next_year = today.year + 1
    return next_year if calendar.is_provisional(date(next_year, 6, 1)) else None


def missing_regional_schedules(today: date, entered: Schedules | None = None) -> dict[str, list[int]]:
    """The provinces with their own holidays whose schedule is missing for this year, or from
    1 November for next year, with those years: their dates are provisional (admins are warned)."""
    years = [today.year, today.year + 1] if today.month >= 11 else [today.year]
    entered = entered or schedules()
    missing = {p: [y for y in years if y not in entered.years[p]] for p in entered.regional_provinces()}
    return {p: ys for p, ys in missing.items() if ys}
