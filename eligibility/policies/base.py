"""The shape every regional policy module fills in: requirements, categories and exclusions,
each a small predicate registered with its stable code, Chinese label and article."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from eligibility.dates import months_reached
from eligibility.facts import Facts
from eligibility.retirement import RetirementAge


class Person:
    """What the rules derive from the facts on the evaluation date. A plain class with slots: one
    is built per evaluation, where a frozen dataclass's __init__ cost a tenth of it (issue 13)."""

    __slots__ = ("age", "as_of", "birth_date", "facts", "retirement", "sex")

    def __init__(self, facts: Facts, as_of: date, birth_date: date, sex: str, age: int, retirement: RetirementAge):
        self.facts = facts
        self.as_of = as_of
        self.birth_date = birth_date
        self.sex = sex  # "M" | "F"
        self.age = age
        self.retirement = retirement

    @property
    def statutory_retirement_date(self) -> date:
        return self.retirement.date

    def unemployed_at_least(self, months: int) -> bool:
        """Continuously registered unemployed for `months` calendar months on `as_of`."""
        registered = self.facts.unemployment_registered_on
        return registered is not None and months_reached(registered, months, self.as_of)

    def age_at_least(self, women: int, men: int) -> bool:
        return self.age >= (women if self.sex == "F" else men)


Predicate = Callable[[Person], bool]


@dataclass(frozen=True)
class Procedure:
    """How an application travels under the policy (DESIGN.md §5)."""

    township_review: bool  # a township re-review between a community and the county
    forward_negative_initial: bool  # a failed initial review still goes up (else it is rejected)
    stage_working_days: dict[str, int]  # per-stage limits, counted from receipt at that stage
    whole_working_days: int | None  # one limit for the whole procedure, counted from acceptance
    articles: dict[str, str]  # where each of the above is written


@dataclass(frozen=True)
class MaterialItem:
    code: str
    label: str
    article: str
    categories: frozenset[str] = frozenset()  # empty: asked of everyone

    def applies_to(self, categories: set[str]) -> bool:
        return not self.categories or bool(self.categories & categories)


@dataclass(frozen=True)
class Commitment:
    code: str
    text: str
    article: str
    required: bool = False  # an application is refused without it


@dataclass(frozen=True)
class ExitReason:
    """Why a recognition ends (DESIGN.md §7): a stable code, the text's wording and its article."""

    code: str
    label: str
    article: str


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    article: str
    test: Predicate


@dataclass
class Policy:
    code: str
    document: str  # 文号
    title: str
    province: str  # two-digit province code
    province_name: str  # the region as its text names it
    issuer: str  # the issuing department
    issued_on: date
    valid_from: date
    valid_until: date | None
    version: str
    # The texts of the forms the policy prescribes, for PDFs and pages (never hard-coded per policy):
    approval_form_title: str  # the form each level writes its opinion on (DESIGN.md §5)
    approval_form_short: str  # how the text and the pages call it
    notice_heading: str  # the public notice (DESIGN.md §6)
    notice_list_heading: str
    facts: tuple[str, ...]  # the facts its rules read: what a form asks for under this policy
    procedure: Procedure
    materials: tuple[MaterialItem, ...]
    commitments: tuple[Commitment, ...]
    exit_reasons: tuple[ExitReason, ...]  # only those its text names
    requirements: list[Rule] = field(default_factory=list)
    categories: list[Rule] = field(default_factory=list)
    exclusions: list[Rule] = field(default_factory=list)

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)

    def _register(self, bucket: list[Rule], code: str, label: str, article: str):
        def decorator(func: Predicate) -> Predicate:
            bucket.append(Rule(code, label, article, func))
            return func

        return decorator

    def requirement(self, code: str, label: str, article: str):
        return self._register(self.requirements, code, label, article)

    def category(self, code: str, label: str, article: str):
        return self._register(self.categories, code, label, article)

    def exclusion(self, code: str, label: str, article: str):
        return self._register(self.exclusions, code, label, article)
