from datetime import date
from decimal import Decimal

from eligibility import evaluate
from eligibility.facts import Facts
from tests.factories import make_id

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
