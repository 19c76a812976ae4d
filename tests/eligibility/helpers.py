from datetime import date
from decimal import Decimal

from accounts.idnumber import check_digit
from eligibility import evaluate
from eligibility.facts import Facts


def make_id(birth: date, sex: str = "M", region: str = "650102", seq: int = 12) -> str:
    """A valid 18-digit number: the 17th digit is odd for men, even for women."""
    order = f"{seq:02d}{1 if sex == 'M' else 2}"
    first17 = f"{region}{birth:%Y%m%d}{order}"
    return first17 + check_digit(first17)


BASIC = {
    "local_hukou": True,
    "local_resident": True,
    "able_to_work": True,
    "willing_to_work": True,
    "unemployment_registered_on": date(2026, 1, 5),  # recent: no duration-based category by default
}


def decide(policy: str, as_of: date, *, birth=date(1990, 6, 15), sex="M", **facts):
    """A person who meets every basic requirement and nothing else, plus `facts`."""
    values = {**BASIC, "minimum_monthly_wage": 1900, **facts}
    if sex == "F":  # the rules' tables below are for women whose original retirement age is 50
        values.setdefault("female_original_retirement_age", 50)
    for money in ("monthly_income", "minimum_monthly_wage"):
        if values.get(money) is not None:
            values[money] = Decimal(str(values[money]))
    return evaluate(policy, Facts(id_number=make_id(birth, sex), **values), as_of)


def codes(items) -> set[str]:
    return {item.code for item in items}
