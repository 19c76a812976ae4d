"""A woman's original retirement age (50 or 55) is asked, never assumed (DESIGN.md §3): a silent 50
takes a woman whose original age is 55 out of working age years too early."""

from dataclasses import replace
from datetime import date

import pytest

from eligibility import evaluate
from eligibility.engine import FactError
from eligibility.facts import Facts, facts_from_json, facts_to_json
from eligibility.forms import PrecheckForm
from tests.applications.helpers import submit
from tests.conftest import api_as
from tests.eligibility.helpers import BASIC
from tests.factories import make_id

P = "xinjiang-2025"
AS_OF = date(2026, 1, 2)
# Born 1974-03: at 50 she retired on her 50th birthday (2024-03-01, before the reform's first month);
# at 55 she retires at 56 and 1 month (2030-04-01), so on AS_OF she is of working age.
WOMAN = make_id(date(1974, 3, 1), "F")
MAN = make_id(date(1974, 3, 1), "M")


def facts(number: str, **values) -> Facts:
    return Facts(id_number=number, **{**BASIC, "unemployment_registered_on": date(2025, 1, 2)}, **values)


def test_it_asks_a_woman_for_her_original_retirement_age():
    with pytest.raises(FactError) as info:
        evaluate(P, facts(WOMAN), AS_OF)
    assert info.value.field == "female_original_retirement_age"
    assert "50" in info.value.message and "55" in info.value.message


def test_it_keeps_a_woman_of_55_in_working_age():
    fifty_five = evaluate(P, facts(WOMAN, female_original_retirement_age=55), AS_OF)
    assert fifty_five.statutory_retirement_date == date(2030, 4, 1)
    assert "working_age" not in fifty_five.unmet
    fifty = evaluate(P, facts(WOMAN, female_original_retirement_age=50), AS_OF)
    assert fifty.statutory_retirement_date == date(2024, 3, 1) and "working_age" in fifty.unmet


@pytest.mark.parametrize("given", [None, 50, 55])
def test_a_man_needs_no_original_age_and_it_changes_nothing(given):
    decision = evaluate(P, facts(MAN, female_original_retirement_age=given), AS_OF)
    assert decision.statutory_retirement_date == date(2036, 7, 1)  # 60 + 28 months (born 1974-03)


def test_an_application_stored_with_50_still_loads():
    stored = facts_to_json(facts(WOMAN, female_original_retirement_age=50))
    assert facts_from_json(stored).female_original_retirement_age == 50
    older = {k: v for k, v in stored.items() if k != "female_original_retirement_age"}
    assert facts_from_json(older).female_original_retirement_age is None
    assert replace(facts_from_json(stored), female_original_retirement_age=None) == facts_from_json(older)


def evaluate_api(client, **changes):
    body = {
        "policy": P,
        "as_of": "2026-01-02",
        "facts": {
            "id_number": WOMAN,
            "local_resident": True,
            "urban": True,
            "able_to_work": True,
            "willing_to_work": True,
            "unemployment_registered_on": "2025-01-02",
            **changes,
        },
    }
    return client.post("/api/v1/eligibility/evaluate", body, format="json")


def test_the_api_names_the_missing_original_age(community_user):
    response = evaluate_api(api_as(community_user))
    assert response.status_code == 400
    assert list(response.json()["facts"]) == ["female_original_retirement_age"]
    null = evaluate_api(api_as(community_user), female_original_retirement_age=None)
    assert null.status_code == 400 and "female_original_retirement_age" in null.json()["facts"]


def test_the_api_takes_55_and_refuses_other_ages(community_user):
    client = api_as(community_user)
    body = evaluate_api(client, female_original_retirement_age=55).json()
    assert body["statutory_retirement_date"] == "2030-04-01" and body["unmet"] == []
    assert "female_original_retirement_age" in evaluate_api(client, female_original_retirement_age=60).json()["facts"]
    assert evaluate_api(client, id_number=MAN).status_code == 200


def test_intake_refuses_a_woman_without_her_original_age(community_user):
    person = {"name": "古丽", "id_number": WOMAN, "phone": "13800000009", "address": "东风路9号"}
    response = submit(community_user, person=person, facts={"female_original_retirement_age": None})
    assert response.status_code == 400 and "female_original_retirement_age" in response.json()["facts"]
    assert submit(community_user, person=person, facts={"female_original_retirement_age": 55}).status_code == 201


FORM = {
    "policy": P,
    "as_of": "2026-01-02",
    "local_resident": "on",
    "urban": "on",
    "able_to_work": "on",
    "willing_to_work": "on",
    "unemployment_registered_on": "2025-01-02",
}


def test_the_form_requires_the_choice_for_a_woman_only():
    woman = PrecheckForm({**FORM, "id_number": WOMAN})
    assert not woman.is_valid()
    assert list(woman.errors) == ["female_original_retirement_age"]
    man = PrecheckForm({**FORM, "id_number": MAN})
    assert man.is_valid(), man.errors
    assert man.facts()["female_original_retirement_age"] is None
    chosen = PrecheckForm({**FORM, "id_number": WOMAN, "female_original_retirement_age": "55"})
    assert chosen.is_valid(), chosen.errors
    assert chosen.facts()["female_original_retirement_age"] == 55


def test_the_page_selects_no_age_and_marks_the_field_for_women(client, community_user):
    client.force_login(community_user)
    body = client.get("/eligibility/precheck/").content.decode()
    start = body.index('name="female_original_retirement_age"')
    select = body[start : body.index("</select>", start)]
    assert '<option value="" selected>' in select
    assert 'value="50" selected' not in select and 'value="55" selected' not in select
    wrapper = body[body.rindex("<div", 0, start) : start]
    assert "data-female-only" in wrapper


def test_the_page_names_the_missing_choice_for_a_woman(client, community_user):
    client.force_login(community_user)
    fragment = client.post("/eligibility/precheck/", {**FORM, "id_number": WOMAN}, HTTP_X_REQUESTED_WITH="fetch")
    body = fragment.content.decode()
    assert 'data-field="female_original_retirement_age">' in body
    summary = body[body.index("data-id-summary") : body.index("data-errors")]
    assert "1974-03-01" in summary and "女" in summary and "请选择原法定退休年龄" in summary
