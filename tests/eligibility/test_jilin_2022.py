"""吉人社发〔2022〕10号 一(一)/一(二), each rule on both sides of its boundary."""

from datetime import date

import pytest

from eligibility import policies
from tests.eligibility.helpers import codes, decide

P = "jilin-2022"
D = date(2026, 3, 16)


@pytest.mark.parametrize(
    ("sex", "birth", "registered", "as_of", "urban", "older"),
    [
        ("F", date(1986, 3, 15), date(2025, 1, 2), date(2026, 3, 14), True, False),  # 39 the day before
        ("F", date(1986, 3, 15), date(2025, 1, 2), date(2026, 3, 15), True, True),  # 年满40周岁
        ("M", date(1976, 3, 15), date(2025, 1, 2), date(2026, 3, 14), True, False),
        ("M", date(1976, 3, 15), date(2025, 1, 2), date(2026, 3, 15), True, True),  # 年满50周岁
        ("F", date(1980, 1, 1), date(2025, 9, 16), date(2026, 3, 15), True, False),  # one day short of 6 months
        ("F", date(1980, 1, 1), date(2025, 9, 16), date(2026, 3, 16), True, True),  # 失业6个月以上
        ("F", date(1980, 1, 1), date(2025, 1, 2), date(2026, 3, 16), False, False),  # 城镇 only
    ],
)
def test_older_unemployed_1_1_2(sex, birth, registered, as_of, urban, older):
    d = decide(P, as_of, sex=sex, birth=birth, urban=urban, unemployment_registered_on=registered)
    assert ("older" in codes(d.categories)) is older


@pytest.mark.parametrize(
    ("registered", "as_of", "dibao"),
    [
        (date(2025, 3, 16), date(2026, 3, 15), False),  # one day short of 1 year
        (date(2025, 3, 16), date(2026, 3, 16), True),  # 连续失业1年以上
    ],
)
def test_dibao_needs_a_year_of_unemployment_1_1_5(registered, as_of, dibao):
    d = decide(P, as_of, urban=True, receiving_dibao=True, unemployment_registered_on=registered)
    assert ("dibao" in codes(d.categories)) is dibao
    assert "dibao" not in codes(decide(P, as_of, urban=False, receiving_dibao=True).categories)


@pytest.mark.parametrize(
    ("fact", "code", "urban_only"),
    [
        ("laid_off_from_soe", "laid_off_soe", False),  # 一(一)1
        ("disability_certified", "disabled", True),  # 一(一)3
        ("zero_employment_household", "zero_employment_household", False),  # 一(一)4
        ("land_fully_expropriated", "landless_farmer", False),  # 一(一)6
    ],
)
def test_status_categories(fact, code, urban_only):
    assert codes(decide(P, D, urban=True, **{fact: True}).categories) == {code}
    assert codes(decide(P, D, urban=False, **{fact: True}).categories) == (set() if urban_only else {code})


@pytest.mark.parametrize("fact", ["poverty_alleviation_registered", "veteran", "other_prescribed"])
def test_xinjiang_only_categories_do_not_apply(fact):
    assert codes(decide(P, D, urban=True, **{fact: True}).categories) == set()


GRADUATE = {"full_time_domestic_graduate": True, "graduated_on": date(2024, 6, 30)}


@pytest.mark.parametrize(
    ("facts", "as_of", "graduate"),
    [
        ({}, date(2026, 6, 29), False),  # one day short of 2 years
        ({}, date(2026, 6, 30), True),  # 离校2年及以上
        ({"ever_employed": True}, date(2026, 6, 30), False),
        ({"has_social_insurance_record": True}, date(2026, 6, 30), False),
        ({"full_time_domestic_graduate": False}, date(2026, 6, 30), False),
        ({"graduated_on": None}, date(2026, 6, 30), False),
    ],
)
def test_graduates_1_1_7(facts, as_of, graduate):
    d = decide(P, as_of, **{**GRADUATE, **facts})
    assert ("graduate" in codes(d.categories)) is graduate


@pytest.mark.parametrize(
    ("facts", "code", "article"),
    [
        ({"employed_or_insured": True}, "employed", "一(二)1"),
        ({"business_operating": True}, "business_operating", "一(二)2"),
        ({"company_officer": True}, "company_officer", "一(二)2"),
        ({"monthly_income": 1880, "minimum_monthly_wage": 1880}, "income_at_least_minimum_wage", "一(二)3"),
        ({"other_exclusion": True}, "other", "一(二)4"),
    ],
)
def test_exclusions_1_2(facts, code, article):
    d = decide(P, D, laid_off_from_soe=True, **facts)
    assert [(e.code, e.article) for e in d.exclusions] == [(code, article)]
    assert not d.eligible


def test_income_just_below_the_minimum_wage_is_no_exclusion():
    assert decide(P, D, laid_off_from_soe=True, monthly_income="1879.99", minimum_monthly_wage=1880).eligible


def test_a_pension_is_no_exclusion_at_recognition():
    # Jilin lists pensions only among exit reasons (三(一)).
    assert decide(P, D, laid_off_from_soe=True, receiving_pension=True).eligible


@pytest.mark.parametrize(
    ("facts", "unmet"),
    [
        ({"local_hukou": False}, ["in_jurisdiction"]),  # 具有本省户籍
        ({"local_resident": False}, []),
        ({"able_to_work": False, "willing_to_work": False}, ["able_to_work", "willing_to_work"]),
        ({"unemployment_registered_on": None}, ["registered_unemployed"]),
    ],
)
def test_basic_requirements_1_1(facts, unmet):
    d = decide(P, D, laid_off_from_soe=True, **facts)
    assert d.unmet == unmet and d.eligible is (not unmet)
    assert {r.article for r in d.basic_requirements} == {"一(一)"}


def test_no_category_means_not_eligible():
    d = decide(P, D, urban=True)
    assert not d.eligible and not d.unmet and not d.categories


@pytest.mark.parametrize(("on", "governs"), [(date(2022, 5, 9), False), (date(2022, 5, 10), True), (D, True)])
def test_it_governs_from_10_may_2022(on, governs):
    if governs:
        assert policies.for_province("220102001001", on).code == P
    else:
        with pytest.raises(policies.UnknownPolicy):
            policies.for_province("220102001001", on)
