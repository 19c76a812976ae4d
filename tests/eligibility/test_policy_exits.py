"""Exit reasons (DESIGN.md §7) as each text allows them: xinjiang-2025 第十六条, jilin-2022 三.
A code a text does not name is not in that policy; commitments say which one is required."""

import pytest

from eligibility import policies

XJ, JL = policies.get("xinjiang-2025"), policies.get("jilin-2022")

ALL_CODES = {
    "employed",
    "pension",
    "retirement_age",
    "enrolled_in_school",
    "military_service",
    "emigrated",
    "moved_out_of_province",
    "imprisoned",
    "deceased",
    "incapacitated",
    "fraud",
    "refused_services",
    "no_employment_need",
    "voluntary",
    "lost_contact",
    "policy_period_expired",
    "no_longer_eligible",
    "unemployment_registration_cancelled",
    "other",
}


def articles(policy) -> dict[str, str]:
    return {r.code: r.article for r in policy.exit_reasons}


def test_xinjiang_exits_follow_article_16():
    assert articles(XJ) == {
        "employed": "第十六条(一)",
        "pension": "第十六条(二)",
        "retirement_age": "第十六条(三)",
        "enrolled_in_school": "第十六条(四)",
        "military_service": "第十六条(四)",
        "emigrated": "第十六条(四)",
        "imprisoned": "第十六条(四)",
        "deceased": "第十六条(四)",
        "incapacitated": "第十六条(五)",
        "fraud": "第十六条(六)",
        "refused_services": "第十六条(七)",
        "no_employment_need": "第十六条(七)",
        "voluntary": "第十六条(七)",
        "lost_contact": "第十六条(八)",
        "no_longer_eligible": "第十六条(九)",
        "other": "第十六条第二款",
    }


def test_jilin_exits_follow_part_3():
    assert articles(JL) == {
        "pension": "三(一)",
        "retirement_age": "三(一)",
        "policy_period_expired": "三(二)",
        "enrolled_in_school": "三(三)",
        "military_service": "三(三)",
        "deceased": "三(三)",
        "emigrated": "三(三)",
        "moved_out_of_province": "三(三)",
        "imprisoned": "三(四)",
        "voluntary": "三(五)",
        "no_employment_need": "三(五)",
        "refused_services": "三(五)",
        "no_longer_eligible": "三(六)",
        "fraud": "三(六)",
        "unemployment_registration_cancelled": "三(七)",
    }


@pytest.mark.parametrize("policy", [XJ, JL], ids=lambda p: p.code)
def test_every_reason_is_a_stable_code_with_a_chinese_label(policy):
    codes = [r.code for r in policy.exit_reasons]
    assert len(codes) == len(set(codes)) and set(codes) <= ALL_CODES
    assert all(r.label and not r.label.isascii() for r in policy.exit_reasons)


def test_the_province_specific_codes_stay_in_their_province():
    assert {"lost_contact"} <= articles(XJ).keys() - articles(JL).keys()
    only_jilin = {"moved_out_of_province", "policy_period_expired", "unemployment_registration_cancelled"}
    assert only_jilin <= articles(JL).keys() - articles(XJ).keys()
    assert articles(XJ).keys() | articles(JL).keys() == ALL_CODES


def test_the_labels_keep_the_texts_conditions():
    xj = {r.code: r.label for r in XJ.exit_reasons}
    assert "延长至该政策享受期满" in xj["employed"]  # 第十六条(一)
    assert "6个月内" in xj["refused_services"] and "3次及以上" in xj["refused_services"]  # 第十六条(七)
    assert "连续6个月" in xj["lost_contact"]  # 第十六条(八)
    jl = {r.code: r.label for r in JL.exit_reasons}
    assert "半年内" in jl["refused_services"] and "3次以上" in jl["refused_services"]  # 三(五)


@pytest.mark.parametrize("policy", [XJ, JL], ids=lambda p: p.code)
def test_only_truthfulness_is_a_required_commitment(policy):
    assert {c.code for c in policy.commitments if c.required} == {"truthfulness"}


def test_xinjiang_lists_its_optional_commitments():
    optional = {c.code for c in XJ.commitments if not c.required}
    assert optional == {"family_income", "marital_status", "children_employment", "rural_contracted_land"}
