"""新人社规〔2025〕1号 第五条/第六条, each rule on both sides of its boundary."""

from datetime import date

import pytest

from eligibility import policies
from eligibility.engine import FactError
from tests.eligibility.helpers import codes, decide

P = "xinjiang-2025"
D = date(2026, 3, 16)


@pytest.mark.parametrize(
    ("sex", "birth", "as_of", "urban", "older"),
    [
        ("F", date(1981, 3, 15), date(2026, 3, 14), True, False),  # 44 the day before
        ("F", date(1981, 3, 15), date(2026, 3, 15), True, True),  # 满45周岁
        ("M", date(1971, 3, 15), date(2026, 3, 14), True, False),
        ("M", date(1971, 3, 15), date(2026, 3, 15), True, True),  # 满55周岁
        ("M", date(1966, 3, 15), date(2026, 3, 15), True, True),  # 60, still before the reformed retirement
        ("F", date(1970, 1, 1), date(2026, 3, 15), False, False),  # 城镇区域内 only
    ],
)
def test_older_persons_article_5_1(sex, birth, as_of, urban, older):
    d = decide(P, as_of, sex=sex, birth=birth, urban=urban)
    assert ("older" in codes(d.categories)) is older
    assert d.eligible is older


@pytest.mark.parametrize(
    ("fact", "code", "urban_only"),
    [
        ("receiving_dibao", "dibao", True),  # 第五条(二)
        ("disability_certified", "disabled", True),  # 第五条(三)
        ("land_fully_expropriated", "landless_farmer", False),  # 第五条(四)
        ("poverty_alleviation_registered", "poverty_alleviated", False),  # 第五条(五)
        ("other_prescribed", "other", False),  # 第五条(八)
    ],
)
def test_status_categories(fact, code, urban_only):
    assert codes(decide(P, D, urban=True, **{fact: True}).categories) == {code}
    assert codes(decide(P, D, urban=False, **{fact: True}).categories) == (set() if urban_only else {code})
    assert codes(decide(P, D, urban=True).categories) == set()


@pytest.mark.parametrize(
    ("registered", "as_of", "veteran"),
    [
        (date(2025, 6, 30), date(2025, 12, 29), False),  # one day short of 6 months
        (date(2025, 6, 30), date(2025, 12, 30), True),  # exactly 6 months
        (date(2025, 8, 31), date(2026, 2, 27), False),
        (date(2025, 8, 31), date(2026, 2, 28), True),  # no 31 February: the month end
    ],
)
def test_veterans_article_5_6(registered, as_of, veteran):
    d = decide(P, as_of, urban=True, veteran=True, unemployment_registered_on=registered)
    assert ("veteran" in codes(d.categories)) is veteran
    assert "veteran" not in codes(
        decide(P, as_of, urban=False, veteran=True, unemployment_registered_on=registered).categories
    )


@pytest.mark.parametrize(
    ("registered", "as_of", "relaxed", "urban", "expected"),
    [
        (date(2025, 1, 2), date(2026, 1, 1), None, True, False),  # one day short of 1 year
        (date(2025, 1, 2), date(2026, 1, 2), None, True, True),  # 连续失业1年
        (date(2025, 1, 2), date(2026, 1, 2), None, False, False),
        (date(2025, 6, 30), date(2025, 12, 29), 6, True, False),  # south Xinjiang, relaxed to 6 months
        (date(2025, 6, 30), date(2025, 12, 30), 6, True, True),
        (date(2025, 6, 30), date(2025, 12, 30), 3, True, True),  # never relaxed below 6 months
        (date(2025, 6, 30), date(2025, 12, 29), 3, True, False),
        (date(2025, 3, 30), date(2025, 12, 29), 9, True, False),
        (date(2025, 3, 30), date(2025, 12, 30), 9, True, True),
    ],
)
def test_long_term_unemployed_article_5_7(registered, as_of, relaxed, urban, expected):
    d = decide(P, as_of, urban=urban, unemployment_registered_on=registered, south_xinjiang_relaxed_months=relaxed)
    assert ("long_term_unemployed" in codes(d.categories)) is expected


@pytest.mark.parametrize(
    ("facts", "code", "article"),
    [
        ({"employed_or_insured": True}, "employed", "第六条(一)"),
        ({"business_operating": True}, "business_operating", "第六条(二)"),
        ({"monthly_income": 1900}, "income_at_least_minimum_wage", "第六条(三)"),
        ({"receiving_pension": True}, "receiving_pension", "第六条(四)"),
        ({"other_exclusion": True}, "other", "第六条(五)"),
    ],
)
def test_exclusions_article_6(facts, code, article):
    d = decide(P, D, receiving_dibao=True, urban=True, **facts)
    assert [(e.code, e.article) for e in d.exclusions] == [(code, article)]
    assert not d.eligible and d.categories


def test_income_just_below_the_minimum_wage_is_no_exclusion():
    d = decide(P, D, receiving_dibao=True, urban=True, monthly_income="1899.99")
    assert d.eligible and not d.exclusions


def test_there_is_no_company_officer_exclusion():
    d = decide(P, D, receiving_dibao=True, urban=True, company_officer=True)
    assert d.eligible and not d.exclusions


@pytest.mark.parametrize(
    ("facts", "unmet"),
    [
        ({"local_resident": False}, ["in_jurisdiction"]),
        ({"able_to_work": False}, ["able_to_work"]),
        ({"willing_to_work": False}, ["willing_to_work"]),
        ({"unemployment_registered_on": None}, ["registered_unemployed"]),
        ({"local_hukou": False}, []),  # residence, not household registration, counts here
    ],
)
def test_basic_requirements_article_5(facts, unmet):
    d = decide(P, D, receiving_dibao=True, urban=True, **facts)
    assert d.unmet == unmet
    assert d.eligible is (not unmet)
    assert {r.article for r in d.basic_requirements} == {"第五条"}


@pytest.mark.parametrize(
    ("birth", "sex", "as_of", "working_age"),
    [
        (date(2010, 3, 16), "M", date(2026, 3, 15), False),  # 15 the day before the 16th birthday
        (date(2010, 3, 16), "M", date(2026, 3, 16), True),
        (date(1965, 1, 15), "M", date(2025, 2, 14), True),  # retires 2025-02-15 (60 years 1 month)
        (date(1965, 1, 15), "M", date(2025, 2, 15), False),
        (date(1975, 1, 15), "F", date(2025, 2, 14), True),  # women 50: 50 years 1 month
        (date(1975, 1, 15), "F", date(2025, 2, 15), False),
    ],
)
def test_legal_working_age(birth, sex, as_of, working_age):
    d = decide(
        P, as_of, birth=birth, sex=sex, unemployment_registered_on=date(2024, 1, 1), land_fully_expropriated=True
    )
    assert ("working_age" in d.unmet) is (not working_age)


def test_it_reports_everything_a_decision_rests_on():
    d = decide(
        P, date(2026, 1, 2), urban=True, sex="F", birth=date(1979, 1, 1), unemployment_registered_on=date(2025, 1, 2)
    )
    assert d.as_dict() | {"basic_requirements": None} == {
        "policy": P,
        "policy_document": "新人社规〔2025〕1号",
        "policy_version": "1",
        "as_of": "2026-01-02",
        "in_force": True,
        "eligible": True,
        "birth_date": "1979-01-01",
        "sex": "F",
        "age": 47,
        "statutory_retirement_date": "2031-02-01",  # women 50: +1 month per 2 months born after 1975-01
        "retirement_age_years": 52,
        "retirement_age_months": 1,
        "basic_requirements": None,
        "categories": [
            {"code": "older", "label": "大龄人员", "article": "第五条(一)"},
            {"code": "long_term_unemployed", "label": "连续失业1年及以上人员", "article": "第五条(七)"},
        ],
        "exclusions": [],
        "unmet": [],
    }


def test_it_needs_the_minimum_wage_to_judge_an_income():
    with pytest.raises(FactError) as info:
        decide(P, D, monthly_income=1000, minimum_monthly_wage=None)
    assert info.value.field == "minimum_monthly_wage"


@pytest.mark.parametrize(
    ("on", "governs"),
    [(date(2025, 10, 9), False), (date(2025, 10, 10), True), (date(2030, 10, 9), True), (date(2030, 10, 10), False)],
)
def test_it_governs_from_10_october_2025_for_five_years(on, governs):
    if governs:
        assert policies.for_province("650102001001", on).code == P
    else:
        with pytest.raises(policies.UnknownPolicy):
            policies.for_province("650102001001", on)
