"""evaluate(policy_code, facts, as_of): pure, no database, no clock (DESIGN.md §3).

Eligible = every basic requirement met AND at least one category AND no exclusion.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import NamedTuple

import orjson

from accounts import idnumber
from eligibility import policies
from eligibility.dates import age_on
from eligibility.facts import Facts
from eligibility.policies.base import Person, Policy
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
    # its JSON in Decision.as_dict, built once per rule (_Table) and shared: never mutate it
    data: dict = field(default_factory=dict, compare=False, repr=False)


class Decision(NamedTuple):
    """A tuple (issue 13: built per evaluation, where a frozen dataclass's __init__ cost a fifth of it)."""

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
    unmet: list[str]  # the codes of the basic requirements not met

    def as_dict(self) -> dict:
        """JSON-ready, in the shape of API.md; stored with applications to explain decisions later.
        The findings' dicts are the rules' own (Finding.data), shared between decisions."""
        return {
            "policy": self.policy,
            "policy_document": self.policy_document,
            "policy_version": self.policy_version,
            "as_of": _iso(self.as_of),
            "in_force": self.in_force,
            "eligible": self.eligible,
            "birth_date": _iso(self.birth_date),
            "sex": self.sex,
            "age": self.age,
            "statutory_retirement_date": _iso(self.statutory_retirement_date),
            "retirement_age_years": self.retirement_age_years,
            "retirement_age_months": self.retirement_age_months,
            "basic_requirements": [r.data for r in self.basic_requirements],
            "categories": [c.data for c in self.categories] if self.categories else [],
            "exclusions": [x.data for x in self.exclusions] if self.exclusions else [],
            "unmet": list(self.unmet),
        }

    def as_json(self) -> bytes:
        """as_dict() as UTF-8 JSON (Chinese kept, compact), as the evaluation fields store it
        (config.fields.OrjsonField): orjson, 4× faster than json.dumps here (issue 13)."""
        return orjson.dumps(self.as_dict())


# people share birth and retirement dates and a batch its as_of: 3 isoformat() cost a tenth of an evaluation
_iso = lru_cache(maxsize=16384)(date.isoformat)


class _Table:
    """A policy's rules with their findings built once (issue 13): an evaluation only runs the tests."""

    __slots__ = ("all_met", "categories", "exclusions", "policy", "requirements")

    def __init__(self, policy: Policy):
        self.policy = policy
        self.requirements = tuple((r.test, _finding(r, True), _finding(r, False)) for r in policy.requirements)
        self.all_met = [met for _, met, _ in self.requirements]
        self.categories = tuple((r.test, _finding(r, True, with_met=False)) for r in policy.categories)
        self.exclusions = tuple((r.test, _finding(r, True, with_met=False)) for r in policy.exclusions)


def _finding(rule, met: bool, *, with_met: bool = True) -> Finding:
    data = {"code": rule.code, "label": rule.label, "article": rule.article}
    if with_met:
        data["met"] = met
    return Finding(rule.code, rule.label, rule.article, met, data)


_TABLES: dict[str, _Table] = {}
_tuple = tuple.__new__  # Decision's fields in order, without NamedTuple.__new__'s Python frame


def _table(policy_code: str) -> _Table:
    try:
        return _TABLES[policy_code]
    except KeyError:
        pass
    try:
        policy = policies.get(policy_code)
    except policies.UnknownPolicy as exc:
        raise FactError("policy", str(exc)) from None
    table = _TABLES[policy_code] = _Table(policy)
    return table


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
    registered, graduated = facts.unemployment_registered_on, facts.graduated_on
    if (registered is not None and registered > as_of) or (graduated is not None and graduated > as_of):
        for name, label in PAST_DATES.items():
            value = getattr(facts, name)
            if value is not None and value > as_of:
                raise FactError(name, f"{label}不能晚于评估日期。")


def retirement_of(birth: date, sex: str, female_original_age: int | None) -> RetirementAge:
    """Legal working age ends at the statutory retirement date (第五条; 一(一)); a woman's depends on her
    original age, 50 or 55, which only she or her records can tell (DESIGN.md §3: asked, never assumed)."""
    if sex == "M":
        return statutory_retirement(birth, "M")
    if female_original_age is None:
        raise FactError("female_original_retirement_age", "请选择女性申请人的原法定退休年龄（50岁或55岁）。")
    try:
        return statutory_retirement(birth, "F", female_original_age)
    except ValueError as exc:
        raise FactError("female_original_retirement_age", str(exc)) from None


@lru_cache(maxsize=16384)
def _card(id_number: str, female_original_age: int | None) -> tuple[date, str, RetirementAge | tuple[str, str]]:
    """Birth date, sex and retirement age of a number: an applicant is evaluated at every step of the
    case and on every form, the number is parsed once (issue 13). A refused number raises each time
    (lru_cache keeps only results); a refused retirement age is returned as (field, message), to be
    raised after the birth date is checked against as_of."""
    try:
        card = idnumber.parse(id_number)
    except idnumber.InvalidIdNumber as exc:
        raise FactError("id_number", str(exc)) from None
    try:
        retirement = retirement_of(card.birth_date, card.sex, female_original_age)
    except FactError as exc:
        return card.birth_date, card.sex, (exc.field, exc.message)
    return card.birth_date, card.sex, retirement


def person_for(facts: Facts, as_of: date) -> Person:
    birth, sex, retirement = _card(facts.id_number, facts.female_original_retirement_age)
    if as_of < birth:
        raise FactError("as_of", "评估日期早于出生日期。")
    if type(retirement) is tuple:
        raise FactError(*retirement)
    return Person(facts, as_of, birth, sex, age_on(birth, as_of), retirement)


def evaluate(policy_code: str, facts: Facts, as_of: date) -> Decision:
    table = _TABLES.get(policy_code) or _table(policy_code)
    if facts.monthly_income > 0 and facts.minimum_monthly_wage is None:
        raise FactError("minimum_monthly_wage", "有收入时需要当地月最低工资标准才能判断。")
    check_dates(facts, as_of)
    person = person_for(facts, as_of)

    requirements = [met if test(person) else unmet for test, met, unmet in table.requirements]
    all_met = requirements == table.all_met  # the met findings, compared object by object
    categories = [found for test, found in table.categories if test(person)]
    exclusions = [found for test, found in table.exclusions if test(person)]
    policy = table.policy
    retirement = person.retirement
    return _tuple(
        Decision,
        (
            policy.code,
            policy.document,
            policy.version,
            as_of,
            policy.in_force(as_of),
            all_met and bool(categories) and not exclusions,
            person.birth_date,
            person.sex,
            person.age,
            retirement.date,
            retirement.years,
            retirement.months,
            requirements,
            categories,
            exclusions,
            [] if all_met else [r.code for r in requirements if not r.met],
        ),
    )
