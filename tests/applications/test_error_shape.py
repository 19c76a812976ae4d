"""A refused application names the field where the body holds it, whichever check refused it: DRF's
own (a date that is not one) and the rules' (a staff finding without its note, an ID number that cannot
be corrected) both answer {"facts": {field: [...]}}, as /eligibility/evaluate does. The rules' errors
were flat ({"other_note": ...}) beside DRF's nested ones (a review's finding)."""

from tests.accounts.identity_helpers import FACTS, person, received, submit
from tests.conftest import api_as


def facts_of(response) -> dict:
    assert response.status_code == 400, response.json()
    assert set(response.json()) == {"facts"}, response.json()
    return response.json()["facts"]


def test_the_rules_and_drf_key_a_facts_error_alike(community_user):
    wrong_date = {**FACTS, "unemployment_registered_on": "2024-13-40"}
    assert "unemployment_registered_on" in facts_of(submit(community_user, person(51), facts=wrong_date))
    no_note = {**FACTS, "other_prescribed": True}
    assert facts_of(submit(community_user, person(52), facts=no_note))["other_note"] == [
        "认定或排除“其他情形”须注明依据的文件和条款，或核查情况。"
    ]


def test_a_correction_is_keyed_as_its_body(community_user):
    case = received(community_user, person(53))
    body = {"facts": {"id_number": person(54)["id_number"]}}
    response = api_as(community_user).patch(f"/api/v1/applications/{case}/", body, format="json")
    assert facts_of(response) == {"id_number": ["身份证号不能更正；请撤回后重新申请。"]}
    response = api_as(community_user).patch(
        f"/api/v1/applications/{case}/", {"applicant": {"phone": "12"}}, format="json"
    )
    assert response.status_code == 400 and set(response.json()) == {"applicant"}
