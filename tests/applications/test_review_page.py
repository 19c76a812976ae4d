"""The officer's review page (issue 11, items 1 and 2): the whole context on one page in a fixed
number of queries, and irreversible decisions only after a confirmation."""

import pytest

from accounts.models import AuditEvent
from applications.models import Application, State
from tests.applications.full_case import case_through_the_whole_procedure
from tests.factories import ApplicationFactory, provide_materials, staff


def test_the_county_sees_what_the_decision_rests_on(client, demo):
    application = case_through_the_whole_procedure()
    client.force_login(staff("xj_county"))
    body = client.get(f"/applications/{application.pk}/").content.decode()
    # facts, with the unit's minimum wage, and the categories with their articles
    assert "正在享受最低生活保障待遇" in body and "低于当地月最低工资标准" in body
    assert "低保人员" in body and "第五条(二)" in body and "至今连续失业" in body
    # materials by type, size and date, not by file name
    assert "本人身份证或社会保障卡" in body and " KB" in body and "scan.png" not in body
    # the notice with its period and state, the objection with its finding
    assert "公示期" in body and "已结束" in body and "经核实，该店铺已于2024年注销。" in body
    # the timeline: who, role, unit, what, opinion
    assert "街道（乡镇）经办人员" in body and "燕儿窝街道" in body and "经复核，情况属实。" in body
    # the ID number masked for the county; the full number on request
    number = application.applicant.id_number
    assert number not in body and "显示完整证件号" in body
    assert not AuditEvent.objects.filter(action="view_full_id").exists()
    assert number in client.get(f"/applications/{application.pk}/?full_id=1").content.decode()
    event = AuditEvent.objects.get(action="view_full_id")
    assert (event.actor.username, event.object_type, event.object_id) == (
        "xj_county",
        "application",
        str(application.pk),
    )


@pytest.mark.parametrize("objections", [1, 4])
def test_the_review_page_runs_a_fixed_number_of_queries(client, demo, django_assert_num_queries, objections):
    application = case_through_the_whole_procedure(objections=objections)
    client.force_login(staff("xj_county"))
    # session, user, unit; the case; the checklist and files on record; the files; notice lines,
    # their objections, who verified them; the log and its units' names; the recognition; the
    # unread count; the unit's parent; commitments; opinions
    with django_assert_num_queries(17):
        assert client.get(f"/applications/{application.pk}/").status_code == 200


def test_approving_and_rejecting_ask_first(client, demo):
    application = case_through_the_whole_procedure()
    client.force_login(staff("xj_county"))
    page = client.get(f"/applications/{application.pk}/").content.decode()
    assert "审批认定通过…" in page and 'class="danger-zone"' in page
    asked = client.post(f"/applications/{application.pk}/", {"name": "county_approve", "opinion": "同意"})
    assert asked.status_code == 200 and "确认“审批认定通过”？" in asked.content.decode()
    assert 'name="confirmed" value="1"' in asked.content.decode() and ">同意</textarea>" in asked.content.decode()
    assert Application.objects.get(pk=application.pk).state == State.COUNTY_REVIEW
    # a rejection confirmed without a reason asks again, nothing done
    again = client.post(f"/applications/{application.pk}/", {"name": "county_reject", "opinion": "", "confirmed": "1"})
    assert "请填写不通过的原因" in again.content.decode()
    assert Application.objects.get(pk=application.pk).state == State.COUNTY_REVIEW
    done = client.post(
        f"/applications/{application.pk}/", {"name": "county_approve", "opinion": "同意", "confirmed": "1"}, follow=True
    )
    assert "已办理：审批认定通过" in done.content.decode()
    assert Application.objects.get(pk=application.pk).state == State.APPROVED


def test_only_what_the_state_and_the_role_allow_is_offered(client, demo):
    application = ApplicationFactory(actor=staff("xj_community"), state=State.INITIAL_REVIEW)
    client.force_login(staff("xj_county"))  # in scope, but the initial review is the community's
    body = client.get(f"/applications/{application.pk}/").content.decode()
    assert 'id="decide"' not in body and "撤回申请" not in body
    asked = client.post(f"/applications/{application.pk}/", {"name": "county_approve"}, follow=True)
    assert "确认" not in asked.content.decode().split("<main")[1].split("</h1>")[0]
    assert "不能执行" in asked.content.decode()
    client.force_login(staff("xj_community"))
    body = client.get(f"/applications/{application.pk}/").content.decode()
    assert "初审不通过…" in body and "撤回申请…" in body and "审批认定通过" not in body


def test_withdrawing_needs_a_reason_and_a_confirmation(client, demo):
    application = ApplicationFactory(actor=staff("xj_community"))
    client.force_login(staff("xj_community"))
    # the detail page's own form does not withdraw: it leads to the confirmation page
    response = client.post(f"/applications/{application.pk}/", {"name": "withdraw"})
    assert response.status_code == 302 and response.url == f"/applications/{application.pk}/withdraw/"
    body = client.post(f"/applications/{application.pk}/withdraw/", {"reason": "  "}).content.decode()
    assert "请填写撤回原因" in body
    assert Application.objects.get(pk=application.pk).state == State.SUBMITTED
    client.post(f"/applications/{application.pk}/withdraw/", {"reason": "申请人已就业。"})
    assert Application.objects.get(pk=application.pk).state == State.WITHDRAWN


def test_what_the_service_would_refuse_is_not_offered_but_explained(client, demo):
    community = staff("xj_community")
    client.force_login(community)
    received = ApplicationFactory(actor=community)  # nothing uploaded yet
    body = client.get(f"/applications/{received.pk}/").content.decode()
    assert "材料齐全，受理" not in body and "材料齐全后才能受理" in body and "一次性告知补正材料" in body
    provide_materials(received)
    assert "材料齐全，受理" in client.get(f"/applications/{received.pk}/").content.decode()
    no_category = ApplicationFactory(
        actor=community,
        state=State.INITIAL_REVIEW,
        facts__receiving_dibao=False,
        facts__unemployment_registered_on=None,
    )
    body = client.get(f"/applications/{no_category.pk}/").content.decode()
    assert ">初审通过<" not in body and "不能初审通过" in body and "初审不通过…" in body
