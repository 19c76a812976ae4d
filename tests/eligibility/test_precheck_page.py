from datetime import date

import pytest
from django.utils import timezone

from eligibility import policies
from eligibility.facts import FACT_NAMES, Facts
from tests.eligibility.helpers import BASIC, decide

FORM = {
    "policy": "xinjiang-2025",
    "as_of": "2026-01-02",
    "id_number": "650102197901011235",
    "female_original_retirement_age": "50",
    "local_resident": "on",
    "urban": "on",
    "able_to_work": "on",
    "willing_to_work": "on",
    "unemployment_registered_on": "2025-01-02",
    "minimum_monthly_wage": "1900",
}


def test_it_opens_with_the_unit_parameters_filled_in(client, community_user):
    client.force_login(community_user)
    body = client.get("/eligibility/precheck/").content.decode()
    assert "<h1>资格预审</h1>" in body
    assert 'name="minimum_monthly_wage" value="1900.00"' in body or 'value="1900"' in body
    assert '<option value="xinjiang-2025" selected>' in body
    # an <input type=date> shows nothing unless the value is ISO, whatever the locale's format
    assert f'type="date" name="as_of" value="{timezone.localdate():%Y-%m-%d}"' in body


def test_it_fills_the_south_xinjiang_months_for_kashgar(client, demo):
    from accounts.models import User

    client.force_login(User.objects.get(username="ks_county"))
    assert 'name="south_xinjiang_relaxed_months" value="6"' in client.get("/eligibility/precheck/").content.decode()


def test_it_explains_the_decision_with_articles(client, community_user):
    client.force_login(community_user)
    body = client.post("/eligibility/precheck/", FORM).content.decode()
    assert "符合就业困难人员认定条件" in body and "不符合" not in body
    assert "连续失业1年及以上人员" in body and "第五条(七)" in body
    assert "1979-01-01" in body and "47 周岁" in body and "2042-01-01" in body


def test_it_shows_what_is_missing(client, community_user):
    client.force_login(community_user)
    body = client.post("/eligibility/precheck/", {**FORM, "willing_to_work": "", "monthly_income": "2000"}).content
    body = body.decode()
    assert "不符合就业困难人员认定条件" in body
    assert "收入不低于当地最低工资标准" in body and "第六条(三)" in body


def test_it_answers_the_live_update_with_the_fragment_only(client, community_user):
    client.force_login(community_user)
    response = client.post("/eligibility/precheck/", FORM, HTTP_X_REQUESTED_WITH="fetch")
    body = response.content.decode()
    assert "<html" not in body and "data-id-summary" in body and "第五条(七)" in body


def test_it_keeps_the_input_and_names_the_bad_id_number(client, community_user):
    client.force_login(community_user)
    body = client.post("/eligibility/precheck/", {**FORM, "id_number": "650102197901011234"}).content.decode()
    assert "身份证号校验位不正确" in body
    assert 'value="650102197901011234"' in body and 'value="2025-01-02"' in body
    fragment = client.post("/eligibility/precheck/", {**FORM, "id_number": "6501"}, HTTP_X_REQUESTED_WITH="fetch")
    assert 'data-field="id_number">身份证号应为18位。' in fragment.content.decode()


def test_it_is_for_staff_only(client, applicant):
    client.force_login(applicant)
    assert client.get("/eligibility/precheck/").status_code == 403


@pytest.mark.parametrize("policy", list(policies.POLICIES.values()), ids=lambda p: p.code)
def test_facts_a_policy_does_not_list_change_nothing(policy):
    """The form hides the facts a policy does not read; hiding them must never hide a reason."""
    unused = [n for n in FACT_NAMES if n not in policy.facts and isinstance(getattr(Facts, n, False), bool)]
    assert unused
    for base in ({}, {"urban": True, "receiving_dibao": True}, {"laid_off_from_soe": True}):
        before = decide(policy.code, date(2026, 3, 16), **base)
        for name in unused:
            flipped = not {**BASIC, **base}.get(name, False)
            after = decide(policy.code, date(2026, 3, 16), **{**base, name: flipped})
            assert after.as_dict() == before.as_dict(), name
