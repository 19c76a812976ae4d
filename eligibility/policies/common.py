"""Predicates that read the same in both texts; each policy module cites its own article."""

from eligibility.policies.base import Person

WORKING_AGE_FROM = 16  # 劳动法第十五条: no employment under 16


def working_age(p: Person) -> bool:
    return p.age >= WORKING_AGE_FROM and p.as_of < p.statutory_retirement_date


def able_to_work(p: Person) -> bool:
    return p.facts.able_to_work


def willing_to_work(p: Person) -> bool:
    return p.facts.willing_to_work


def registered_unemployed(p: Person) -> bool:
    registered = p.facts.unemployment_registered_on
    return registered is not None and registered <= p.as_of


def employed(p: Person) -> bool:
    return p.facts.employed_or_insured


def income_at_least_minimum_wage(p: Person) -> bool:
    wage = p.facts.minimum_monthly_wage
    return wage is not None and p.facts.monthly_income >= wage


def other_exclusion(p: Person) -> bool:
    return p.facts.other_exclusion
