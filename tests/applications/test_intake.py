from datetime import date

from accounts.models import User
from applications.models import Application
from tests.applications.helpers import act, submit
from tests.conftest import api_as
from tests.factories import ApplicationFactory, PersonFactory, make_id


def test_it_receives_an_application_with_its_evaluation_and_checklist(community_user):
    person = PersonFactory(id_number="650102197901011235")
    response = submit(community_user, person=person)
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "submitted" and body["policy"] == "xinjiang-2025"
    assert body["reference"].startswith("650102") and len(body["reference"]) == 20
    assert body["eligibility"]["eligible"] is True
    assert [c["code"] for c in body["eligibility"]["categories"]] == ["dibao", "long_term_unemployed"]
    assert [m["code"] for m in body["required_materials"]] == ["id_card", "household_register", "dibao_certificate"]
    assert body["required_materials"][2]["article"] == "第八条(一)(1)"
    assert body["commitments"][0]["code"] == "truthfulness"
    assert body["facts"]["minimum_monthly_wage"] == "1900.00"  # from the unit
    assert body["id_number"] == "650102********1235" and body["applicant"]["id_number"] == person["id_number"]


def test_one_open_application_per_person_per_province(community_user, other_community_user, demo):
    person = ApplicationFactory(actor=community_user).applicant
    again = PersonFactory(name=person.name, id_number=person.id_number)
    response = submit(other_community_user, unit_code="650102002001", person=again)
    assert response.status_code == 409 and "正在办理" in response.json()["detail"]
    # another province is another matter
    jl = User.objects.select_related("unit").get(username="jl_community")
    assert submit(jl, unit_code="220102001001", person=again).status_code == 201


def test_a_new_application_after_rejection_but_not_while_recognised(community_user, county_user):
    person = PersonFactory()
    ApplicationFactory(actor=community_user, person=person, state="approved", passed=False)
    response = submit(community_user, person=person)
    assert response.status_code == 409 and "第十八条" in response.json()["detail"]
    # 第十八条: after a confirmed exit the person may apply again
    recognition = api_as(county_user).get("/api/v1/recognitions/?active=true").json()["results"][0]["id"]
    url = f"/api/v1/recognitions/{recognition}/exits/"
    exit_id = api_as(community_user).post(url, {"reason": "voluntary"}, format="json").json()["id"]
    assert api_as(county_user).post(f"/api/v1/exits/{exit_id}/confirm/", {}, format="json").status_code == 200
    assert submit(community_user, person=person).status_code == 201


def test_materials_on_file_are_offered_and_reused(community_user):
    person = PersonFactory()
    ApplicationFactory(actor=community_user, person=person, state="withdrawn", materials=True)
    second = submit(community_user, person=person).json()
    offered = {m["code"]: m["on_file_material_id"] for m in second["required_materials"]}
    assert all(offered.values())
    client = api_as(community_user)
    for material_id in offered.values():
        response = client.post(
            f"/api/v1/applications/{second['id']}/materials/",
            {"kind": "ignored", "reuse_material_id": material_id},
            format="multipart",
        )
        assert response.status_code == 201
    detail = client.get(f"/api/v1/applications/{second['id']}/").json()
    assert all(m["provided"] for m in detail["required_materials"])
    assert act(community_user, second["id"], "accept").status_code == 200


def test_proactive_applications_need_recorded_consent(community_user):
    response = submit(community_user, channel="proactive")
    assert response.status_code == 400 and "第十三条" in response.json()["consent_recorded"][0]
    assert submit(community_user, channel="proactive", consent_recorded=True).json()["channel"] == "proactive"


def test_the_truthfulness_commitment_is_required(community_user):
    response = submit(community_user, commitments=["family_income"])
    assert response.status_code == 400 and "保证申请材料" in response.json()["commitments"][0]
    assert submit(community_user, commitments=["bogus", "truthfulness"]).status_code == 400


def test_only_the_handling_unit_enters_an_application(other_community_user, township_user):
    assert submit(other_community_user).status_code == 404  # another community: out of scope, as unknown
    assert submit(township_user).status_code == 403  # the community accepts here (第七条)


def test_a_bad_id_number_is_named(community_user):
    response = submit(community_user, person=PersonFactory(id_number="650102197901011234"))
    assert response.status_code == 400
    assert "校验位" in str(response.json()["facts"]["id_number"])
    far_future = submit(community_user, person=PersonFactory(id_number=make_id(date(9999, 1, 1))))
    assert far_future.status_code == 400
    assert far_future.json() == {"facts": {"id_number": ["身份证号中的出生日期不存在。"]}}
    assert not Application.objects.exists()


def test_an_applicant_applies_online_for_themself_only(applicant, demo):
    facts = {"unemployment_registered_on": "2025-01-02"}
    person = {"name": "测试申请人", "id_number": applicant.id_number}
    own = submit(applicant, person=person, facts=facts, channel="online")
    assert own.status_code == 201, own.json()
    assert submit(applicant, person=PersonFactory(), facts=facts, channel="online").status_code == 403
    offline = submit(applicant, person=person, facts=facts, channel="offline")
    assert offline.status_code == 400 and "网上" in offline.json()["channel"][0]
    listed = api_as(applicant).get("/api/v1/applications/").json()
    assert [a["id"] for a in listed["results"]] == [own.json()["id"]]


def test_an_applicant_sees_nothing_of_others(applicant, community_user):
    app = ApplicationFactory(actor=community_user).pk
    assert api_as(applicant).get(f"/api/v1/applications/{app}/").status_code == 404


def test_staff_of_another_community_see_nothing(community_user, other_community_user, county_user):
    app = ApplicationFactory(actor=community_user).pk
    assert api_as(other_community_user).get(f"/api/v1/applications/{app}/").status_code == 404
    assert api_as(other_community_user).get("/api/v1/applications/").json()["count"] == 0
    assert api_as(county_user).get("/api/v1/applications/").json()["count"] == 1


def test_the_list_filters_by_state_and_unit(community_user, county_user):
    ApplicationFactory(actor=community_user, materials=True)
    client = api_as(county_user)
    assert client.get("/api/v1/applications/?state=submitted").json()["count"] == 1
    assert client.get("/api/v1/applications/?state=approved").json()["count"] == 0
    assert client.get("/api/v1/applications/?unit_code=650102002001").json()["count"] == 0
    assert client.get("/api/v1/applications/?unit_code=650102001000").json()["count"] == 1
