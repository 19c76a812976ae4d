import calendar
from datetime import date, timedelta

import pytest

from eligibility.dates import add_months, age_on, months_between, months_reached


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 2), 12, date(2026, 1, 2)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),  # 民法典第二百零三条: no such day -> month end
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_it_adds_calendar_months(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("birth", "as_of", "age"),
    [
        (date(1981, 3, 15), date(2026, 3, 14), 44),  # the day before the 45th birthday
        (date(1981, 3, 15), date(2026, 3, 15), 45),  # 满45周岁 on the birthday itself
        (date(2000, 2, 29), date(2025, 2, 27), 24),
        (date(2000, 2, 29), date(2025, 2, 28), 25),
        (date(2000, 2, 29), date(2028, 2, 29), 28),
        (date(2010, 1, 1), date(2010, 1, 1), 0),
    ],
)
def test_it_counts_full_years_of_age(birth, as_of, age):
    assert age_on(birth, as_of) == age


def test_it_counts_whole_months():
    assert months_between(date(2025, 1, 31), date(2025, 2, 28)) == 1
    assert months_between(date(2025, 1, 31), date(2025, 2, 27)) == 0
    assert months_between(date(2025, 3, 1), date(2025, 1, 1)) == 0


def test_month_lengths_and_birthdays_agree_with_the_calendar_module():
    """add_months reads month lengths from a table and age_on compares (month, day) (issue 13):
    every day of 1899–1905 and 1999–2005 (1900 is no leap year, 2000 is) against the definitions."""
    for first in (date(1899, 1, 1), date(1999, 1, 1)):
        for offset in range(0, 7 * 366, 3):
            start = first + timedelta(days=offset)
            for months in (-13, -1, 1, 6, 12, 13, 48):
                year, month = divmod(start.year * 12 + start.month - 1 + months, 12)
                expected = date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))
                assert add_months(start, months) == expected
                for later in (expected - timedelta(days=1), expected, expected + timedelta(days=1)):
                    assert months_reached(start, months, later) is (later >= expected)
            for later in (start + timedelta(days=d) for d in (0, 1, 364, 365, 366, 1460, 1461, 1462)):
                years = later.year - start.year
                assert age_on(start, later) == (years if later >= add_months(start, 12 * years) else years - 1)
