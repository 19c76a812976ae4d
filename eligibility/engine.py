"""evaluate(policy_code, facts, as_of): pure, no database, no clock (DESIGN.md §3).

Eligible = every basic requirement met AND at least one category AND no exclusion.
"""

from dataclasses import dataclass, fields
from datetime import date

from accounts import idnumber
from eligibility import policies
from eligibility.dates import age_on
from eligibility.facts import Facts
from eligibility.policies.base import Person
from eligibility.retirement import RetirementAge, statutory_retirement


class FactError(ValueError):
    """A fact the rules cannot work with; `field` names it for a field-level message."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Finding:
    code: str
    label: str
    article: str
    met: bool


@dataclass(frozen=True)
class Decision:
    policy: str
    policy_document: str
    policy_version: str
    as_of: date
    in_force: bool
    eligible: bool
    birth_date: date
    sex: str
    age: int
    statutory_retirement_date: date
    retirement_age_years: int
    retirement_age_months: int
    basic_requirements: list[Finding]
    categories: list[Finding]  # matched only
    exclusions: list[Finding]  # hit only

    @property
    def unmet(self) -> list[str]:
        return [r.code for r in self.basic_requirements if not r.met]

    def as_dict(self) -> dict:
        """JSON-ready, in the shape of API.md; stored with applications to explain decisions later."""
        # field by field rather than dataclasses.asdict, whose deep copies cost a pushed list of 100,000 rows minutes
        data = {name: getattr(self, name) for name in _DECISION_FIELDS}
        for key in ("as_of", "birth_date", "statutory_retirement_date"):
            data[key] = data[key].isoformat()
        data["basic_requirements"] = [_finding(r, met=True) for r in self.basic_requirements]
        for key in ("categories", "exclusions"):
            data[key] = [_finding(item, met=False) for item in data[key]]
        data["unmet"] = self.unmet
        return data


def _finding(item: Finding, *, met: bool) -> dict:
    found = {"code": item.code, "label": item.label, "article": item.article}
    if met:
        found["met"] = item.met
    return found


_DECISION_FIELDS = tuple(f.name for f in fields(Decision))


# The rules add at most a retirement age (under 70 years) or a duration (2 years) to a date no later
# than as_of: a later as_of would run past the calendar's end (year 9999).
LATEST_AS_OF = date(9899, 12, 31)
# Facts that are past events on as_of; the label names the field in the message.
PAST_DATES = {"unemployment_registered_on": "失业登记日期", "graduated_on": "离校（毕业）日期"}


def check_dates(facts: Facts, as_of: date) -> None:
    """Durations run from a past date to as_of (DESIGN.md §3), so a date after as_of is a typing
    error, refused by name rather than read as "not yet" (or overflowing the calendar)."""
    if as_of > LATEST_AS_OF:
        raise FactError("as_of", f"评估日期不能晚于 {LATEST_AS_OF.isoformat()}。")
    for name, label in PAST_DATES.items():
        value = getattr(facts, name)
        if value is not None and value > as_of:
            raise FactError(name, f"{label}不能晚于评估日期。")


def retirement_of(card: idnumber.IdNumber, female_original_age: int | None) -> RetirementAge:
    """Legal working age ends at the statutory retirement date (第五条; 一(一)); a woman's depends on her
    original age, 50 or 55, which only she or her records can tell (DESIGN.md §3: asked, never assumed)."""
    if card.sex == "M":
        return statutory_retirement(card.birth_date, "M")
    if female_original_age is None:
        raise FactError("female_original_retirement_age", "请选择女性申请人的原法定退休年龄（50岁或55岁）。")
    try:
        return statutory_retirement(card.birth_date, "F", female_original_age)
    except ValueError as exc:
        raise FactError("female_original_retirement_age", str(exc)) from None


def person_for(facts: Facts, as_of: date) -> Person:
    try:
        card = idnumber.parse(facts.id_number)
    except idnumber.InvalidIdNumber as exc:
        raise FactError("id_number", str(exc)) from None
    if as_of < card.birth_date:
        raise FactError("as_of", "评估日期早于出生日期。")
    retirement = retirement_of(card, facts.female_original_retirement_age)
    return Person(
        facts=facts,
        as_of=as_of,
        birth_date=card.birth_date,
        sex=card.sex,
        age=age_on(card.birth_date, as_of),
        retirement=retirement,
    )


def evaluate(policy_code: str, facts: Facts, as_of: date) -> Decision:
    try:
        policy = policies.get(policy_code)
    except policies.UnknownPolicy as exc:
        raise FactError("policy", str(exc)) from None
    if facts.monthly_income > 0 and facts.minimum_monthly_wage is None:
        raise FactError("minimum_monthly_wage", "有收入时需要当地月最低工资标准才能判断。")
    check_dates(facts, as_of)
    person = person_for(facts, as_of)

    requirements = [Finding(r.code, r.label, r.article, r.test(person)) for r in policy.requirements]
    categories = [Finding(r.code, r.label, r.article, True) for r in policy.categories if r.test(person)]
    exclusions = [Finding(r.code, r.label, r.article, True) for r in policy.exclusions if r.test(person)]
    return Decision(
        policy=policy.code,
        policy_document=policy.document,
        policy_version=policy.version,
        as_of=as_of,
        in_force=policy.in_force(as_of),
        eligible=all(r.met for r in requirements) and bool(categories) and not exclusions,
        birth_date=person.birth_date,
        sex=person.sex,
        age=person.age,
        statutory_retirement_date=person.retirement.date,
        retirement_age_years=person.retirement.years,
        retirement_age_months=person.retirement.months,
        basic_requirements=requirements,
        categories=categories,
        exclusions=exclusions,
    )
