"""Statutory retirement age after the 2025 gradual reform.

全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定 (2024-09-13, from 2025-01-01),
附件《国务院关于渐进式延迟法定退休年龄的办法》第二条 and its 对照表:
- men 60 → 63: one month later for every 4 months of birth from 1965-01, at most 36 months;
- women originally 55 → 58: one month per 4 months from 1970-01, at most 36 months;
- women originally 50 → 55: one month per 2 months from 1975-01, at most 60 months.
Born before the first affected month: the original age.
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from eligibility.dates import add_months

# original age -> (first affected birth month, months of birth per month of delay, cap in months)
_SCHEDULES = {
    ("M", 60): (date(1965, 1, 1), 4, 36),
    ("F", 55): (date(1970, 1, 1), 4, 36),
    ("F", 50): (date(1975, 1, 1), 2, 60),
}


@dataclass(frozen=True)
class RetirementAge:
    years: int
    months: int
    date: date

    @property
    def total_months(self) -> int:
        return self.years * 12 + self.months


def original_age(sex: str, female_original_age: int = 50) -> int:
    if sex == "M":
        return 60
    if female_original_age not in (50, 55):
        raise ValueError("女性原法定退休年龄只能是50或55岁。")
    return female_original_age


def delay_months(birth: date, sex: str, original: int) -> int:
    try:
        first, per, cap = _SCHEDULES[(sex, original)]
    except KeyError:
        raise ValueError(f"没有 {sex} 原退休年龄 {original} 岁的延迟办法。") from None
    born_months_after = (birth.year - first.year) * 12 + birth.month - first.month
    if born_months_after < 0:
        return 0
    return min(cap, born_months_after // per + 1)


# Every evaluation asks (issue 13); people share birth dates, so a province's fit in the cache.
@lru_cache(maxsize=16384)
def statutory_retirement(birth: date, sex: str, female_original_age: int = 50) -> RetirementAge:
    original = original_age(sex, female_original_age)
    total = original * 12 + delay_months(birth, sex, original)
    return RetirementAge(years=total // 12, months=total % 12, date=add_months(birth, total))
