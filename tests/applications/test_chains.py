"""Both chains of DESIGN.md §5, end to end through the API."""

import pytest

from accounts.models import User
from applications.models import Application, State
from exits.models import Recognition
from tests.applications.helpers import act
from tests.conftest import api_as
from tests.factories import ApplicationFactory, NoticeFactory


def user(username):
    return User.objects.select_related("unit").get(username=username)


def state(viewer, application_id):
    return api_as(viewer).get(f"/api/v1/applications/{application_id}/").json()["state"]


def test_xinjiang_community_township_county(community_user, township_user, county_user):
    app = ApplicationFactory(actor=community_user, state="initial_review").pk
    assert act(community_user, app, "pass_initial_review", opinion="材料齐全，情况属实。").status_code == 200
    NoticeFactory(actor=community_user, applications=[app], state="closed")
    assert state(community_user, app) == "township_review"
    assert act(township_user, app, "township_approve").status_code == 200
    response = act(county_user, app, "county_approve", opinion="同意认定。")
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "approved" and body["recognition_id"]
    assert [(o["stage"], o["decision"]) for o in body["opinions"]] == [
        ("initial", "pass"),
        ("township", "pass"),
        ("county", "pass"),
    ]
    assert body["opinions"][0]["reason"] == "材料齐全，情况属实。"
    assert body["opinions"][1]["reason"] == "经复核，符合就业困难人员认定条件。"
    assert [h["name"] for h in body["history"]] == [
        "submit",
        "accept",
        "pass_initial_review",
        "publish",
        "close_notice",
        "township_approve",
        "county_approve",
    ]
    recognition = Recognition.objects.get(pk=body["recognition_id"])
    assert recognition.categories == ["dibao", "long_term_unemployed"] and recognition.active
    assert recognition.recognized_by == county_user and recognition.approving_unit_id == "650102000000"
    assert body["deadline"] is None and body["available_transitions"] == []


def test_xinjiang_negative_opinions_go_up_to_the_county(community_user, township_user, county_user):
    app = ApplicationFactory(actor=community_user, state="initial_review").pk
    assert act(community_user, app, "fail_initial_review", reason="家庭收入超过标准。").json()["state"] == (
        "township_review"
    )
    assert act(township_user, app, "township_reject", reason="同意社区意见。").json()["state"] == "county_review"
    body = act(county_user, app, "county_reject", reason="经核定，不符合条件。").json()
    assert body["state"] == "rejected"
    assert [(o["stage"], o["decision"]) for o in body["opinions"]] == [
        ("initial", "fail"),
        ("township", "fail"),
        ("county", "fail"),
    ]


def test_xinjiang_upheld_objection_turns_the_initial_opinion_negative(community_user, township_user):
    app = ApplicationFactory(actor=community_user, state="initial_review").pk
    act(community_user, app, "pass_initial_review")
    NoticeFactory(actor=community_user, applications=[app], state="closed", upheld=[app])
    application = Application.objects.get(pk=app)
    assert application.state == State.TOWNSHIP_REVIEW  # still forwarded (第九条)
    decisions = list(application.opinions.values_list("stage", "decision"))
    assert decisions == [("initial", "pass"), ("initial", "fail")]


def test_xinjiang_village_without_intake_goes_through_its_township_to_the_county(demo):
    ks_township, ks_county = user("ks_township"), user("ks_county")
    app = ApplicationFactory(
        actor=ks_township, unit_code="653101001001", facts__land_expropriated=True, state="initial_review"
    ).pk
    body = api_as(ks_township).get(f"/api/v1/applications/{app}/").json()
    assert (body["unit_code"], body["handling_unit_code"]) == ("653101001001", "653101001000")
    act(ks_township, app, "pass_initial_review")
    NoticeFactory(actor=ks_township, applications=[app], state="closed")
    assert Application.objects.get(pk=app).state == State.COUNTY_REVIEW  # no township re-review (第七条)
    assert act(ks_county, app, "county_approve").json()["state"] == "approved"


def test_jilin_grassroots_to_county(demo):
    community, county = user("jl_community"), user("jl_county")
    app = ApplicationFactory(actor=community, state="initial_review").pk
    act(community, app, "pass_initial_review")
    NoticeFactory(actor=community, applications=[app], state="closed")
    assert Application.objects.get(pk=app).state == State.COUNTY_REVIEW
    body = act(county, app, "county_approve").json()
    assert body["state"] == "approved"
    assert [(o["stage"], o["decision"]) for o in body["opinions"]] == [("initial", "pass"), ("county", "pass")]


def test_jilin_rejects_at_the_initial_stage(demo):
    community = user("jl_community")
    app = ApplicationFactory(actor=community, state="initial_review").pk
    body = act(community, app, "fail_initial_review", reason="已办理个体工商户营业执照。").json()
    assert body["state"] == "rejected" and body["decided_on"]


def test_jilin_upheld_objection_rejects(demo):
    community = user("jl_community")
    app = ApplicationFactory(actor=community, state="initial_review").pk
    act(community, app, "pass_initial_review")
    NoticeFactory(actor=community, applications=[app], state="closed", upheld=[app])
    assert Application.objects.get(pk=app).state == State.REJECTED


@pytest.mark.parametrize("name", ["fail_initial_review"])
def test_a_negative_decision_needs_a_reason(community_user, name):
    app = ApplicationFactory(actor=community_user, state="initial_review").pk
    response = act(community_user, app, name, reason="  ")
    assert response.status_code == 400 and response.json() == {"reason": ["请填写不通过的原因。"]}
    assert state(community_user, app) == "initial_review"


def test_accepting_needs_every_listed_material(community_user):
    app = ApplicationFactory(actor=community_user).pk
    response = act(community_user, app, "accept")
    assert response.status_code == 400
    assert "《城乡居民最低生活保障证》" in response.json()["materials"][0]


def test_withdrawal_by_the_handling_unit(community_user):
    app = ApplicationFactory(actor=community_user, state="initial_review").pk
    assert act(community_user, app, "withdraw", reason="申请人已就业。").json()["state"] == "withdrawn"
    assert act(community_user, app, "withdraw").status_code == 409
