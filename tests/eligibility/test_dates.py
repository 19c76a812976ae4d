from datetime import date

import pytest

from eligibility.dates import add_months, age_on, months_between


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
