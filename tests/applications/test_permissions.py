"""Every transition × role: allowed (200), wrong role (403), out of scope (404, as if absent)."""

import pytest

from accounts.models import User
from applications import workflow
from tests.applications.helpers import act
from tests.factories import ApplicationFactory, provide_materials

PEOPLE = ["xj_community", "xj_community2", "xj_township", "xj_township2", "xj_county", "ks_county", "xj_province"]
OUT_OF_SCOPE = {"xj_community2", "xj_township2", "ks_county"}

# transition -> (state to build, the one role that may do it)
MATRIX = {
    "request_materials": ("submitted", "xj_community"),
    "supplement": ("awaiting_materials", "xj_community"),
    "accept": ("submitted", "xj_community"),
    "pass_initial_review": ("initial_review", "xj_community"),
    "fail_initial_review": ("initial_review", "xj_community"),
    "township_approve": ("township_review", "xj_township"),
    "township_reject": ("township_review", "xj_township"),
    "county_approve": ("county_review", "xj_county"),
    "county_reject": ("county_review", "xj_county"),
    "withdraw": ("submitted", "xj_community"),
}
EVERY_MATERIAL = ["id_card", "household_register", "dibao_certificate"]
BODY = {"reason": "理由", "missing_materials": EVERY_MATERIAL}


def build(state: str, *, materials: bool) -> int:
    """The states are what matters here: the negative road, without a notice."""
    return ApplicationFactory(state=state, passed=False, materials=materials).pk


@pytest.mark.parametrize("name", MATRIX)
@pytest.mark.parametrize("username", PEOPLE)
def test_who_may_do_what(demo, name, username):
    state, allowed = MATRIX[name]
    # supplied, so the one who may accept (or supplement) can
    app = build(state, materials=state != "submitted" or name == "accept")
    user = User.objects.select_related("unit").get(username=username)
    response = act(user, app, name, **BODY)
    expected = 200 if username == allowed else 404 if username in OUT_OF_SCOPE else 403
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("name", MATRIX)
def test_the_right_person_in_the_wrong_state_gets_409(demo, name):
    _, allowed = MATRIX[name]
    actor = User.objects.select_related("unit").get(username=allowed)
    # a state the transition does not start from, where the same person may still act
    state = "county_review" if allowed == "xj_community" else "submitted"
    app = build(state, materials=state != "submitted")
    if name == "withdraw":
        workflow.application_transition(application_id=app, name="withdraw", actor=actor)
    response = act(actor, app, name, **BODY)
    assert response.status_code == 409, response.content
    assert "不能执行" in response.json()["detail"]


def test_an_unknown_transition_is_404(community_user):
    app = ApplicationFactory(actor=community_user).pk
    assert act(community_user, app, "approve_everything").status_code == 404
    assert act(community_user, app, "publish").status_code == 404  # done through a notice


def test_the_applicant_may_supplement_and_withdraw_their_own(community_user, applicant):
    application = ApplicationFactory(actor=community_user, account=applicant, state="awaiting_materials")
    provide_materials(application, applicant)  # the applicant uploads what the notice listed
    app = application.pk
    assert act(applicant, app, "accept").status_code == 403
    assert act(applicant, app, "supplement").json()["state"] == "submitted"
    assert act(applicant, app, "withdraw").json()["state"] == "withdrawn"


def test_available_transitions_are_what_the_caller_may_do(community_user, township_user):
    app = ApplicationFactory(actor=community_user, state="initial_review").pk
    from tests.conftest import api_as

    assert api_as(community_user).get(f"/api/v1/applications/{app}/").json()["available_transitions"] == [
        "pass_initial_review",
        "fail_initial_review",
        "withdraw",
    ]
    assert api_as(township_user).get(f"/api/v1/applications/{app}/").json()["available_transitions"] == []


def test_the_admin_withdraws_through_the_same_service(client, admin_user, community_user):
    app = ApplicationFactory(actor=community_user).pk
    client.force_login(admin_user)
    response = client.post(
        "/admin/applications/application/", {"action": "withdraw", "_selected_action": [app]}, follow=True
    )
    assert "已撤回 1 件" in response.content.decode()
    from applications.models import Application

    entry = Application.objects.get(pk=app).log.last()
    assert (entry.name, entry.actor, entry.role) == ("withdraw", admin_user, "admin")
    assert client.get(f"/admin/applications/application/{app}/change/").status_code == 200
