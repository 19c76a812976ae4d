"""Calendar arithmetic for ages and durations (DESIGN.md §3 readings).

Periods in months/years end on the corresponding day of the final month; where that month
has no such day, on its last day (民法典第二百零三条). So 2024-02-29 + 1 year = 2025-02-28.
"""

from datetime import date

_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def add_months(d: date, months: int) -> date:
    # the rules engine calls this per evaluation (issue 13): month lengths from a table, not calendar.monthrange
    year, month = divmod(d.year * 12 + d.month - 1 + months, 12)
    month += 1
    day = d.day
    if day > 28:
        day = min(day, 29 if month == 2 and _leap(year) else _MONTH_DAYS[month])
    return date(year, month, day)


def months_reached(start: date, months: int, on: date) -> bool:
    """on >= add_months(start, months), without building the date (the rules ask it per evaluation)."""
    target = start.year * 12 + start.month - 1 + months
    reached = on.year * 12 + on.month - 1
    if reached != target:
        return reached > target
    day = start.day
    if day > 28:
        year, month = divmod(target, 12)
        day = min(day, 29 if month == 1 and _leap(year) else _MONTH_DAYS[month + 1])
    return on.day >= day


def add_years(d: date, years: int) -> date:
    return add_months(d, 12 * years)


def age_on(birth: date, as_of: date) -> int:
    """ "满 N 周岁": the N-th birthday has been reached on `as_of`; born on 29 February, in a
    common year the birthday is 28 February (add_years)."""
    years = as_of.year - birth.year
    if (as_of.month, as_of.day) >= (birth.month, birth.day):
        return years
    if birth.month == 2 and birth.day == 29 and as_of.month == 2 and as_of.day == 28 and not _leap(as_of.year):
        return years
    return years - 1


def months_between(start: date, end: date) -> int:
    """Whole calendar months from `start` to `end` (0 if end is before start + 1 month)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return max(months, 0)
