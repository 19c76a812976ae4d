"""The 2025 gradual retirement reform, against rows of the law's 对照表
(国务院关于渐进式延迟法定退休年龄的办法, 附件1-3), first and last affected birth months included."""

from datetime import date

import pytest

from eligibility.retirement import statutory_retirement

# (born year, month), sex, original age -> (age years, months), retirement (year, month)
TABLE = [
    # men, 60 -> 63 (附件1)
    ((1964, 12), "M", 60, (60, 0), (2024, 12)),
    ((1965, 1), "M", 60, (60, 1), (2025, 2)),
    ((1965, 4), "M", 60, (60, 1), (2025, 5)),
    ((1965, 5), "M", 60, (60, 2), (2025, 7)),
    ((1965, 9), "M", 60, (60, 3), (2025, 12)),
    ((1966, 1), "M", 60, (60, 4), (2026, 5)),
    ((1970, 1), "M", 60, (61, 4), (2031, 5)),
    ((1976, 8), "M", 60, (62, 11), (2039, 7)),
    ((1976, 9), "M", 60, (63, 0), (2039, 9)),
    ((1980, 1), "M", 60, (63, 0), (2043, 1)),
    # women originally 55 -> 58 (附件2)
    ((1969, 12), "F", 55, (55, 0), (2024, 12)),
    ((1970, 1), "F", 55, (55, 1), (2025, 2)),
    ((1970, 5), "F", 55, (55, 2), (2025, 7)),
    ((1975, 1), "F", 55, (56, 4), (2031, 5)),
    ((1981, 8), "F", 55, (57, 11), (2039, 7)),
    ((1981, 9), "F", 55, (58, 0), (2039, 9)),
    # women originally 50 -> 55 (附件3)
    ((1974, 12), "F", 50, (50, 0), (2024, 12)),
    ((1975, 1), "F", 50, (50, 1), (2025, 2)),
    ((1975, 2), "F", 50, (50, 1), (2025, 3)),
    ((1975, 3), "F", 50, (50, 2), (2025, 5)),
    ((1980, 1), "F", 50, (52, 7), (2032, 8)),
    ((1984, 10), "F", 50, (54, 11), (2039, 9)),
    ((1984, 11), "F", 50, (55, 0), (2039, 11)),
    ((1990, 6), "F", 50, (55, 0), (2045, 6)),
]


@pytest.mark.parametrize(("born", "sex", "original", "age", "retires"), TABLE)
def test_it_follows_the_published_schedule(born, sex, original, age, retires):
    birth = date(*born, 15)
    result = statutory_retirement(birth, sex, original)
    assert (result.years, result.months) == age
    assert (result.date.year, result.date.month) == retires
    assert result.date.day == 15


def test_it_ends_on_the_month_end_when_the_day_does_not_exist():
    # born 1965-01-31, 60 years 1 month -> February 2025 has no 31st
    assert statutory_retirement(date(1965, 1, 31), "M").date == date(2025, 2, 28)


def test_it_ignores_the_female_original_age_for_men():
    assert statutory_retirement(date(1970, 1, 1), "M", 55) == statutory_retirement(date(1970, 1, 1), "M", 50)


def test_it_refuses_an_unknown_original_age_for_women():
    with pytest.raises(ValueError, match="50或55"):
        statutory_retirement(date(1970, 1, 1), "F", 60)
