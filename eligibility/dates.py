"""Calendar arithmetic for ages and durations (DESIGN.md §3 readings).

Periods in months/years end on the corresponding day of the final month; where that month
has no such day, on its last day (民法典第二百零三条). So 2024-02-29 + 1 year = 2025-02-28.
"""

import calendar
from datetime import date


def add_months(d: date, months: int) -> date:
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def add_years(d: date, years: int) -> date:
    return add_months(d, 12 * years)


def age_on(birth: date, as_of: date) -> int:
    """ "满 N 周岁": the N-th birthday has been reached on `as_of`."""
    years = as_of.year - birth.year
    return years if as_of >= add_years(birth, years) else years - 1


def months_between(start: date, end: date) -> int:
    """Whole calendar months from `start` to `end` (0 if end is before start + 1 month)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return max(months, 0)
