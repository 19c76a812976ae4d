import subprocess
from datetime import date

import pytest
import time_machine

from accounts.models import User
from applications.models import Application, State
from tests.applications.helpers import act
from tests.factories import ApplicationFactory, MaterialFactory


def staff(username):
    return User.objects.select_related("unit").get(username=username)


@pytest.mark.parametrize("rows", [1, 50])
def test_the_queue_page_runs_a_fixed_number_of_queries(client, demo, django_assert_num_queries, rows):
    ApplicationFactory.create_batch(rows)
    client.force_login(staff("xj_county"))
    # session, user, the user's unit, count, the calendar (overrides, years), one page with joins,
    # the unread-notification count in the header
    with django_assert_num_queries(8):
        response = client.get("/queue/?state=all")
    assert response.status_code == 200
    assert response.content.decode().count('name="ids"') == min(rows, 20)


def test_each_role_sees_its_own_to_do_list(client, community_user, township_user, county_user):
    first = ApplicationFactory(actor=community_user, state="township_review", passed=False).applicant.name
    ApplicationFactory(actor=community_user, person__name="第二人")
    client.force_login(community_user)
    body = client.get("/queue/").content.decode()
    assert "第二人" in body and first not in body
    client.force_login(township_user)
    body = client.get("/queue/").content.decode()
    assert first in body and "第二人" not in body and "复核通过" in body
    client.force_login(county_user)
    assert "暂无待办申请" in client.get("/queue/").content.decode()
    assert first in client.get("/queue/?state=all").content.decode()


def test_the_queue_filters_by_category_search_and_overdue(client, community_user):
    with time_machine.travel("2026-09-30 10:00 +0800", tick=False):  # due 2026-10-09
        first = ApplicationFactory(actor=community_user, person__birth=date(1979, 1, 1), state="initial_review")
    name = first.applicant.name
    ApplicationFactory(actor=community_user, person__name="李四", person__birth=date(1985, 2, 2), facts__disabled=True)
    client.force_login(community_user)
    page = lambda query: client.get(f"/queue/?state=all&{query}").content.decode()  # noqa: E731
    search = lambda q: client.post("/queue/", {"state": "all", "q": q}, follow=True).content.decode()  # noqa: E731
    assert "李四" in page("category=disabled") and name not in page("category=disabled")
    assert name in page("category=dibao")
    assert "李四" in search("李") and name not in search("李")
    assert name in search("650102197901") and "李四" not in search("650102197901")
    with time_machine.travel("2026-10-12 10:00 +0800", tick=False):
        overdue = page("overdue=on")
    assert name in overdue and "李四" not in overdue and "已超期" in overdue


def test_the_queue_pages(client, demo):
    ApplicationFactory.create_batch(25)
    client.force_login(staff("xj_county"))
    first = client.get("/queue/?state=all")
    assert "共 25 件" in first.content.decode() and "上一页" not in first.content.decode()
    second = client.get("/queue/" + first.context["pages"]["next"])
    assert second.content.decode().count('name="ids"') == 5 and first.context["pages"]["next"].startswith("?state=all&")
    assert second.context["pages"]["next"] is None
    assert client.get("/queue/" + second.context["pages"]["previous"]).content.decode().count('name="ids"') == 20


def test_the_application_page_offers_only_what_the_user_may_do(client, community_user, county_user):
    app = ApplicationFactory(actor=community_user, state="initial_review").pk
    client.force_login(community_user)
    body = client.get(f"/applications/{app}/").content.decode()
    assert "初审通过" in body and "初审不通过" in body and "审批认定通过" not in body
    assert "第五条(二)" in body and "《城乡居民最低生活保障证》" in body
    client.force_login(county_user)
    body = client.get(f"/applications/{app}/").content.decode()
    assert "初审通过" not in body and 'class="card actions"' not in body


def test_deciding_from_the_page(client, community_user):
    app = ApplicationFactory(actor=community_user, state="initial_review").pk
    client.force_login(community_user)
    response = client.post(f"/applications/{app}/", {"name": "fail_initial_review", "opinion": ""}, follow=True)
    assert "请填写不通过的原因" in response.content.decode()
    assert Application.objects.get(pk=app).state == State.INITIAL_REVIEW
    response = client.post(f"/applications/{app}/", {"name": "pass_initial_review", "opinion": "情况属实"}, follow=True)
    assert "已办理：初审通过" in response.content.decode()
    assert "初审意见：通过" in response.content.decode()


def test_requesting_materials_from_the_page_prints_a_notice(client, community_user):
    application = ApplicationFactory(actor=community_user)
    MaterialFactory(application=application, kind="household_register")
    app = application.pk
    client.force_login(community_user)
    wanted = {"name": "request_materials", "missing_materials": ["id_card", "dibao_certificate"]}
    client.post(f"/applications/{app}/", wanted)
    notice = client.get(f"/applications/{app}/materials-notice/").content.decode()
    assert "一次性告知书" in notice and "本人身份证或社会保障卡" in notice and "第八条(一)(1)" in notice
    assert "居民户口簿或居住证" not in notice


INTAKE = {
    "policy": "xinjiang-2025",
    "as_of": "2026-11-23",
    "name": "古丽米热",
    "id_number": "650102198502021246",
    "phone": "13900001111",
    "address": "东风路8号",
    "unit_code": "650102001001",
    "channel": "offline",
    "female_original_retirement_age": "50",
    "local_resident": "on",
    "urban": "on",
    "able_to_work": "on",
    "willing_to_work": "on",
    "unemployment_registered_on": "2025-03-01",
    "receiving_dibao": "on",
    "minimum_monthly_wage": "1900",
    "commitments": ["truthfulness", "family_income"],
}


def test_entering_an_application_in_the_browser(client, community_user):
    client.force_login(community_user)
    assert "录入就业困难人员认定申请" in client.get("/applications/new/").content.decode()
    response = client.post("/applications/new/", INTAKE)
    application = Application.objects.get()
    assert response.status_code == 302 and response.url == f"/applications/{application.pk}/"
    assert application.applicant.name == "古丽米热" and application.category_codes == ["dibao", "long_term_unemployed"]
    assert sorted(application.commitments.values_list("code", flat=True)) == ["family_income", "truthfulness"]


def test_a_failed_entry_keeps_everything_typed(client, community_user):
    client.force_login(community_user)
    body = client.post("/applications/new/", {**INTAKE, "id_number": "650102198502021245"}).content.decode()
    assert "校验位不正确" in body and 'value="古丽米热"' in body and 'value="东风路8号"' in body
    assert not Application.objects.exists()
    client.post("/applications/new/", INTAKE)
    body = client.post("/applications/new/", INTAKE).content.decode()
    assert "正在办理的申请" in body and 'value="13900001111"' in body
    assert Application.objects.count() == 1


def test_bulk_decisions_report_each_outcome(client, community_user, county_user):
    applications = ApplicationFactory.create_batch(2, actor=community_user, state="county_review", passed=False)
    ready = [a.pk for a in applications]
    not_ready = ApplicationFactory(actor=community_user).pk
    client.force_login(county_user)
    body = client.post(
        "/queue/bulk/", {"ids": [*ready, not_ready], "name": "county_approve", "opinion": "同意", "confirmed": "1"}
    ).content
    body = body.decode()
    assert "成功 2 件，未办理 1 件" in body and "不能执行" in body
    assert [Application.objects.get(pk=p).state for p in ready] == [State.APPROVED, State.APPROVED]


def test_bulk_needs_a_reason_to_reject(client, community_user, county_user):
    app = ApplicationFactory(actor=community_user, state="county_review", passed=False).pk
    client.force_login(county_user)
    form = {"ids": [app], "name": "county_reject", "opinion": "", "confirmed": "1"}
    body = client.post("/queue/bulk/", form).content.decode()
    assert "成功 0 件，未办理 1 件" in body and "请填写不通过的原因" in body


def test_the_approval_form_pdf(client, community_user, township_user, county_user):
    application = ApplicationFactory(actor=community_user, state="initial_review")
    app, person = application.pk, application.applicant
    act(community_user, app, "fail_initial_review", reason="收入待核实")
    act(township_user, app, "township_reject", reason="同意社区意见")
    act(county_user, app, "county_approve", opinion="经核定符合条件")
    client.force_login(county_user)
    response = client.get(f"/applications/{app}/approval-form.pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    for expected in [
        "就业困难人员申请认定审批表",
        person.name,
        person.id_number,
        "第五条(二)",
        "收入待核实",
        "同意社区意见",
        "经核定符合条件",
        "王建国",
    ]:
        assert expected in text, expected


def test_the_approval_form_through_the_api(community_user, other_community_user):
    from tests.conftest import api_as

    app = ApplicationFactory(actor=community_user).pk
    assert api_as(community_user).get(f"/api/v1/applications/{app}/approval-form.pdf").content.startswith(b"%PDF")
    assert api_as(other_community_user).get(f"/api/v1/applications/{app}/approval-form.pdf").status_code == 404


def test_an_applicant_follows_their_own_applications(client, applicant, community_user):
    app = ApplicationFactory(actor=community_user, account=applicant).pk
    client.force_login(applicant)
    assert Application.objects.get(pk=app).reference in client.get("/my/").content.decode()
    assert client.get(f"/applications/{app}/").status_code == 200
    other = ApplicationFactory(actor=community_user, person__name="别人").pk
    assert client.get(f"/applications/{other}/").status_code == 404
