"""The rules engine gives, on 3,000 generated fact sets (both policies, every fact, boundary dates,
bad input), exactly the results recorded in engine_golden.json from the engine before it was made
fast (issue 13): the JSON of `as_dict()`, or the FactError's field and message, hashed per case.

A deliberate change of a result regenerates the file: `python -m tests.eligibility.test_engine_golden`."""

import hashlib
import json
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from accounts.idnumber import check_digit
from eligibility.engine import FactError, evaluate
from eligibility.facts import FACT_NAMES, Facts

GOLDEN = Path(__file__).with_name("engine_golden.json")
CASES = 3000
# most people asking meet the basic requirements, fewer are excluded
LIKELY = {"local_hukou": 0.9, "local_resident": 0.9, "urban": 0.7, "able_to_work": 0.9, "willing_to_work": 0.9}
LIKELY |= dict.fromkeys(["employed_or_insured", "business_operating", "company_officer", "receiving_pension"], 0.05)
LIKELY |= {"other_exclusion": 0.03}
BOOLEANS = [name for name in FACT_NAMES if isinstance(getattr(Facts("x"), name), bool)]
# as_of around month ends, leap days and the policies' dates of force
AS_OF = [
    date(2026, 3, 16),
    date(2024, 2, 29),
    date(2025, 2, 28),
    date(2025, 10, 9),
    date(2025, 10, 10),
    date(2030, 10, 10),
]


def _id_number(rnd: random.Random, as_of: date) -> str:
    roll = rnd.random()
    if roll < 0.02:
        return rnd.choice(["", "123", "65010219900101123", "650102199002301234", "65010219900101123Y"])
    if roll < 0.1:  # near a 16th, 40th, 45th, 50th, 55th or 60th birthday, or a 29 February
        years = rnd.choice([16, 40, 45, 50, 55, 60, 63])
        birth = as_of.replace(year=as_of.year - years, day=min(as_of.day, 28)) + timedelta(days=rnd.randint(-2, 2))
        if rnd.random() < 0.3:
            birth = date(rnd.choice([1964, 1968, 1972, 1976, 1980, 2000, 2008]), 2, 29)
    elif roll < 0.11:  # born after as_of: refused
        birth = as_of + timedelta(days=rnd.randint(1, 400))
    else:
        birth = date(1950, 1, 1) + timedelta(days=rnd.randint(0, 60 * 365))
    first17 = f"{rnd.choice(['650102', '653101', '220102'])}{birth:%Y%m%d}{rnd.randint(0, 99):02d}{rnd.randint(0, 9)}"
    number = first17 + check_digit(first17)
    if rnd.random() < 0.01:  # a wrong check digit
        number = number[:17] + ("0" if number[17] != "0" else "1")
    return number


def _date_near(rnd: random.Random, as_of: date) -> date | None:
    if rnd.random() < 0.2:
        return None
    months = rnd.choice([0, 1, 5, 6, 7, 11, 12, 13, 23, 24, 25, 60])
    day = as_of - timedelta(days=months * 30 + rnd.randint(-3, 3))
    return day if rnd.random() < 0.97 else as_of + timedelta(days=rnd.randint(1, 40))  # a future date: refused


def case(index: int) -> tuple[str, Facts, date]:
    rnd = random.Random(index)
    as_of = rnd.choice(AS_OF) if rnd.random() < 0.6 else date(2022, 1, 1) + timedelta(days=rnd.randint(0, 3500))
    if rnd.random() < 0.003:
        as_of = date(9900, 1, 1)  # past the latest date the rules can count to: refused
    policy = rnd.choice(["xinjiang-2025", "jilin-2022"]) if rnd.random() > 0.005 else "beijing-2030"
    values = {name: rnd.random() < LIKELY.get(name, 0.3) for name in BOOLEANS}
    values["female_original_retirement_age"] = rnd.choice(
        [50, 50, 55, 55, 60, None] if rnd.random() < 0.1 else [50, 55]
    )
    values["unemployment_registered_on"] = _date_near(rnd, as_of)
    values["graduated_on"] = _date_near(rnd, as_of)
    values["monthly_income"] = rnd.choice([Decimal(0)] * 6 + [Decimal("1899.99"), Decimal(1900), Decimal(2500)])
    values["minimum_monthly_wage"] = rnd.choice([None, Decimal(1900), Decimal(1900), Decimal("1720.5")])
    values["south_xinjiang_relaxed_months"] = rnd.choice([None, None, 3, 6, 9, 12, 18])
    values["other_note"] = rnd.choice(["", "自治区人民政府规定"])
    return policy, Facts(id_number=_id_number(rnd, as_of), **values), as_of


def result(index: int) -> str:
    policy, facts, as_of = case(index)
    try:
        found = evaluate(policy, facts, as_of).as_dict()
    except FactError as exc:
        found = {"field": exc.field, "message": exc.message}
    return json.dumps(found, ensure_ascii=False, default=str)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def test_the_engine_gives_the_recorded_results():
    golden = json.loads(GOLDEN.read_text())
    assert len(golden) == CASES
    for index, expected in enumerate(golden):
        found = result(index)
        assert digest(found) == expected, (index, case(index), found)


def test_the_cases_reach_every_rule_and_error():
    """The generated cases are worth comparing: every finding both ways, errors of every kind."""
    seen = set()
    for index in range(CASES):
        data = json.loads(result(index))
        if "field" in data:
            seen.add(("error", data["field"]))
            continue
        seen.add(("eligible", data["eligible"]))
        seen.update((r["code"], r["met"]) for r in data["basic_requirements"])
        seen.update(("category", c["code"]) for c in data["categories"])
        seen.update(("exclusion", x["code"]) for x in data["exclusions"])
    for field in ("id_number", "as_of", "policy", "minimum_monthly_wage", "female_original_retirement_age"):
        assert ("error", field) in seen
    assert ("error", "unemployment_registered_on") in seen and ("error", "graduated_on") in seen
    for code in ("in_jurisdiction", "working_age", "able_to_work", "willing_to_work", "registered_unemployed"):
        assert (code, True) in seen and (code, False) in seen
    for code in ("older", "dibao", "disabled", "landless_farmer", "poverty_alleviated", "veteran", "graduate"):
        assert ("category", code) in seen
    for code in ("long_term_unemployed", "laid_off_soe", "zero_employment_household", "other"):
        assert ("category", code) in seen
    for code in ("employed", "business_operating", "company_officer", "income_at_least_minimum_wage", "other"):
        assert ("exclusion", code) in seen
    assert ("exclusion", "receiving_pension") in seen
    assert ("eligible", True) in seen and ("eligible", False) in seen


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps([digest(result(i)) for i in range(CASES)], indent=0) + "\n")
