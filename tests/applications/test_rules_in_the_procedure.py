"""The procedure decides on the rules (DESIGN.md §3, §5): unit parameters are the unit's, 'other'
is a staff finding, 一次性告知 is enforced, and nothing ineligible passes the initial review."""

from datetime import date

import time_machine

from applications.models import Application
from tests.applications.helpers import act, submit
from tests.conftest import api_as
from tests.factories import ApplicationFactory, PersonFactory, make_id, provide_materials

LONG_TERM_ONLY = {"receiving_dibao": False, "unemployment_registered_on": "2026-05-01"}


@time_machine.travel("2026-11-23 10:00 +0800", tick=False)
def test_unit_parameters_sent_by_the_submitter_are_ignored(community_user):
    # Urumqi is not south Xinjiang: long-term unemployment needs 12 months (第五条(七)), not 6
    facts = {**LONG_TERM_ONLY, "south_xinjiang_relaxed_months": 6, "minimum_monthly_wage": 99999}
    body = submit(community_user, facts=facts).json()
    assert body["eligibility"]["eligible"] is False and body["eligibility"]["categories"] == []
    assert body["facts"]["south_xinjiang_relaxed_months"] is None
    assert body["facts"]["minimum_monthly_wage"] == "1900.00"


@time_machine.travel("2026-11-23 10:00 +0800", tick=False)
def test_south_xinjiang_months_come_from_the_unit(demo):
    from accounts.models import User

    township = User.objects.select_related("unit").get(username="ks_township")
    body = submit(township, unit_code="653101001001", facts=LONG_TERM_ONLY).json()
    assert body["facts"]["south_xinjiang_relaxed_months"] == 6
    assert [c["code"] for c in body["eligibility"]["categories"]] == ["long_term_unemployed"]


def test_an_applicant_cannot_declare_other(demo, applicant):
    person = {"name": "测试申请人", "id_number": applicant.id_number, "phone": "13800000003", "address": "东风路"}
    response = submit(applicant, person=person, channel="online", facts={"other_prescribed": True})
    assert response.status_code == 400 and "经办人员" in response.json()["facts"]["other_prescribed"][0]
    assert not Application.objects.exists()


def test_staff_declare_other_with_a_note_naming_the_provision(community_user):
    response = submit(community_user, facts={"receiving_dibao": False, "other_prescribed": True})
    assert response.status_code == 400 and "other_note" in response.json()["facts"]
    note = "自治区人民政府关于……的通知 第三条"
    body = submit(community_user, facts={"receiving_dibao": False, "other_prescribed": True, "other_note": note}).json()
    assert [c["code"] for c in body["eligibility"]["categories"]] == ["long_term_unemployed", "other"]
    assert body["facts"]["other_note"] == note


def test_a_one_time_notice_lists_every_missing_item(community_user):
    app = ApplicationFactory(actor=community_user).pk
    response = act(community_user, app, "request_materials", missing_materials=["id_card"])
    assert response.status_code == 400 and "居民户口簿或居住证" in response.json()["missing_materials"][0]
    everything = ["id_card", "household_register", "dibao_certificate"]
    assert act(community_user, app, "request_materials", missing_materials=everything).status_code == 200


def test_supplement_is_refused_until_every_listed_item_is_provided(community_user):
    application = ApplicationFactory(actor=community_user)
    app = application.pk
    everything = ["id_card", "household_register", "dibao_certificate"]
    act(community_user, app, "request_materials", missing_materials=everything)
    response = act(community_user, app, "supplement")
    assert response.status_code == 400 and "尚未补齐" in response.json()["materials"][0]
    provide_materials(application)
    assert act(community_user, app, "supplement").json()["state"] == "submitted"


def test_a_second_notice_must_say_why(community_user):
    app = ApplicationFactory(actor=community_user, state="awaiting_materials", materials=True).pk
    act(community_user, app, "supplement")
    again = act(community_user, app, "request_materials", missing_materials=["id_card"])
    assert again.status_code == 400 and "说明原因" in again.json()["reason"][0]
    again = act(community_user, app, "request_materials", missing_materials=["id_card"], reason="身份证复印件不清晰。")
    assert again.status_code == 200
    # a re-requested item must be uploaded again, not answered with the old file
    assert act(community_user, app, "supplement").status_code == 400


@time_machine.travel("2026-11-23 10:00 +0800", tick=False)
def test_an_ineligible_application_does_not_pass_the_initial_review(community_user):
    app = ApplicationFactory(actor=community_user, facts__employed_or_insured=True, state="initial_review").pk
    response = act(community_user, app, "pass_initial_review")
    assert response.status_code == 400
    assert any("第六条(一)" in reason for reason in response.json()["eligibility"])
    assert Application.objects.get(pk=app).state == "initial_review"
    # the handling unit corrects the facts: logged and re-evaluated, then it passes
    client = api_as(community_user)
    edited = client.patch(f"/api/v1/applications/{app}/", {"facts": {"employed_or_insured": False}}, format="json")
    assert edited.status_code == 200 and edited.json()["eligibility"]["eligible"] is True
    entry = Application.objects.get(pk=app).log.get(name="edit")
    assert entry.payload == {"facts": {"employed_or_insured": [True, False]}} and entry.actor == community_user
    assert act(community_user, app, "pass_initial_review").json()["state"] == "pending_notice"


@time_machine.travel("2026-11-23 10:00 +0800", tick=False)
def test_a_person_with_no_category_does_not_pass(community_user):
    app = ApplicationFactory(
        actor=community_user,
        facts__receiving_dibao=False,
        facts__unemployment_registered_on="2026-06-01",
        state="initial_review",
    ).pk
    response = act(community_user, app, "pass_initial_review")
    assert response.status_code == 400 and "不属于任何一类就业困难人员。" in response.json()["eligibility"]


def test_only_the_handling_unit_corrects_and_only_before_the_initial_decision(
    community_user, township_user, other_community_user
):
    app = ApplicationFactory(actor=community_user, state="initial_review").pk
    body = {"applicant": {"phone": "13900000000"}}
    assert api_as(township_user).patch(f"/api/v1/applications/{app}/", body, format="json").status_code == 403
    assert api_as(other_community_user).patch(f"/api/v1/applications/{app}/", body, format="json").status_code == 404
    client = api_as(community_user)
    assert (
        client.patch(f"/api/v1/applications/{app}/", body, format="json").json()["applicant"]["phone"]
        == body["applicant"]["phone"]
    )
    bad = client.patch(f"/api/v1/applications/{app}/", {"facts": {"graduated_on": "tomorrow"}}, format="json")
    assert bad.status_code == 400 and "graduated_on" in bad.json()["facts"]
    act(community_user, app, "pass_initial_review")
    assert client.patch(f"/api/v1/applications/{app}/", body, format="json").status_code == 409


def test_the_id_number_is_not_corrected(community_user):
    app = ApplicationFactory(actor=community_user).pk
    client = api_as(community_user)
    mistyped = client.patch(
        f"/api/v1/applications/{app}/", {"facts": {"id_number": "650102198001011237"}}, format="json"
    )
    assert mistyped.status_code == 400
    # a valid number of someone else is refused by the service, keyed like application_create's errors
    other = make_id(date(1970, 1, 1))
    response = client.patch(f"/api/v1/applications/{app}/", {"facts": {"id_number": other}}, format="json")
    assert response.status_code == 400
    assert response.json() == {"facts": {"id_number": ["身份证号不能更正；请撤回后重新申请。"]}}
    assert Application.objects.get(pk=app).applicant_id_number != other


@time_machine.travel("2026-11-23 10:00 +0800", tick=False)
def test_corrected_facts_the_engine_refuses_are_a_field_keyed_400(community_user):
    app = ApplicationFactory(actor=community_user, state="initial_review")
    body = {"facts": {"unemployment_registered_on": "2999-01-01"}}
    response = api_as(community_user).patch(f"/api/v1/applications/{app.pk}/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"facts": {"unemployment_registered_on": ["失业登记日期不能晚于评估日期。"]}}
    # the same shape as application_create's answer to the same fact
    created = submit(community_user, person=PersonFactory(), facts=body["facts"])
    assert created.status_code == 400 and created.json() == response.json()
    unchanged = Application.objects.get(pk=app.pk)
    assert unchanged.facts == app.facts and not unchanged.log.filter(name="edit").exists()


def test_the_recorded_opinion_rests_on_the_decision_date(community_user):
    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):
        app = ApplicationFactory(actor=community_user, state="initial_review").pk
        act(community_user, app, "pass_initial_review")
    opinion = Application.objects.get(pk=app).opinions.get()
    assert opinion.eligibility["as_of"] == date(2026, 11, 23).isoformat() and opinion.eligibility["eligible"]


@time_machine.travel("2026-11-23 10:00 +0800", tick=False)
def test_the_handling_unit_corrects_facts_on_the_page(client, community_user):
    person = PersonFactory(id_number="650102197901011235", name="阿依努尔", phone="13800000001", address="东风路1号")
    app = ApplicationFactory(
        actor=community_user, person=person, facts__employed_or_insured=True, state="initial_review"
    ).pk
    client.force_login(community_user)
    detail = client.get(f"/applications/{app}/").content.decode()
    assert f"/applications/{app}/edit/" in detail
    page = client.get(f"/applications/{app}/edit/")
    assert page.status_code == 200 and "保存更正" in page.content.decode()
    form = {
        "policy": "xinjiang-2025",
        "as_of": "2026-11-23",
        "id_number": "650102197901011235",
        "name": "阿依努尔",
        "phone": "13800000001",
        "address": "东风路2号",
        "local_resident": "on",
        "urban": "on",
        "able_to_work": "on",
        "willing_to_work": "on",
        "unemployment_registered_on": "2024-01-02",
        "receiving_dibao": "on",
    }
    response = client.post(f"/applications/{app}/edit/", form, follow=True)
    assert "申请信息已更正" in response.content.decode()
    application = Application.objects.get(pk=app)
    assert application.eligibility["eligible"] and application.applicant.address == "东风路2号"
    assert application.log.get(name="edit").payload["facts"]["employed_or_insured"] == [True, False]
    assert client.get(f"/applications/{app}/edit/").status_code == 200
    act(community_user, app, "pass_initial_review")
    assert f"/applications/{app}/edit/" not in client.get(f"/applications/{app}/").content.decode()


@time_machine.travel("2026-11-23 10:00 +0800", tick=False)
def test_the_correction_page_names_a_fact_the_engine_refuses(client, community_user):
    person = PersonFactory(id_number="650102197901011235", name="阿依努尔", phone="13800000001", address="东风路1号")
    app = ApplicationFactory(actor=community_user, person=person, state="initial_review")
    client.force_login(community_user)
    form = {
        "policy": "xinjiang-2025",
        "as_of": "2999-12-31",  # the page's hidden date; the service evaluates on today
        "id_number": "650102197901011235",
        "name": "阿依努尔",
        "phone": "13800000001",
        "address": "东风路1号",
        "local_resident": "on",
        "urban": "on",
        "able_to_work": "on",
        "willing_to_work": "on",
        "unemployment_registered_on": "2999-01-01",
        "receiving_dibao": "on",
    }
    response = client.post(f"/applications/{app.pk}/edit/", form)
    assert response.status_code == 200
    assert response.context["form"].errors["unemployment_registered_on"] == ["失业登记日期不能晚于评估日期。"]
    assert Application.objects.get(pk=app.pk).facts == app.facts


def test_others_cannot_open_the_correction_page(client, township_user, other_community_user, community_user):
    app = ApplicationFactory(actor=community_user).pk
    client.force_login(township_user)
    assert client.get(f"/applications/{app}/edit/").status_code == 403
    client.force_login(other_community_user)
    assert client.get(f"/applications/{app}/edit/").status_code == 404


def test_the_intake_form_shows_unit_parameters_without_letting_them_be_edited(client, community_user):
    client.force_login(community_user)
    page = client.get("/applications/new/").content.decode()
    assert 'name="minimum_monthly_wage" value="1900.00"' in page and "readonly" in page
    assert '<input type="hidden" name="south_xinjiang_relaxed_months"' in page  # Urumqi is not south Xinjiang
