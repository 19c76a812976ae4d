"""Intake that helps (issue 11, item 3): the duplicate check as the ID number is typed (scoped),
only the fields the policy and the person need, commitments unticked, the pre-check kept through a
failed submit, and a 资格预审 carried into a new application."""

import re

from applications.models import Application, State
from tests.applications.test_pages import INTAKE
from tests.factories import ApplicationFactory, staff


def check(client, number):
    return client.post("/applications/new/check-id/", {"id_number": number})


def test_the_id_check_links_a_case_the_user_may_see(client, demo):
    case = ApplicationFactory(actor=staff("xj_community"))
    client.force_login(staff("xj_community"))
    answer = check(client, case.applicant.id_number).json()
    assert answer["status"] == "open" and answer["url"] == f"/applications/{case.pk}/"
    assert "已有正在办理的申请" in answer["message"]
    assert check(client, "650102199001011239").json() == {"status": "none", "message": ""}
    invalid = check(client, "650102199001011230")
    assert invalid.status_code == 400 and "校验位" in invalid.json()["message"]


def test_the_id_check_says_nothing_of_another_scope(client, demo):
    case = ApplicationFactory(actor=staff("xj_community"))
    client.force_login(staff("xj_community2"))  # another community of the same county
    response = check(client, case.applicant.id_number)
    answer = response.json()
    assert answer["status"] == "elsewhere" and "url" not in answer
    body = response.content.decode()
    assert case.applicant.name not in body and case.reference not in body and "东风" not in body


def test_the_id_check_knows_a_recognised_person(client, demo):
    case = ApplicationFactory(actor=staff("xj_community"), state=State.APPROVED)
    client.force_login(staff("xj_community"))
    answer = check(client, case.applicant.id_number).json()
    assert answer["status"] == "recognised" and answer["url"] == f"/applications/{case.pk}/"


def test_the_id_check_is_for_intake_staff_only(client, demo):
    client.force_login(staff("xj_county"))
    assert check(client, "650102199001011239").status_code == 403


def test_the_jilin_form_shows_jilin_fields_only(client, demo):
    client.force_login(staff("jl_community"))
    body = client.get("/applications/new/").content.decode()
    assert "具有本省户籍" in body and "原国有（含厂办大集体）企业下岗失业" in body
    for xinjiang in ("在自治区行政区域内常住", "南疆", "属自治区人民政府规定的其他就业困难人员", "退役军人"):
        assert xinjiang not in body
    client.force_login(staff("xj_community"))  # Urumqi is not south Xinjiang: the months are not asked
    body = client.get("/applications/new/").content.decode()
    assert "在自治区行政区域内常住" in body and "南疆放宽" not in body
    client.force_login(staff("ks_township"))
    assert "南疆放宽" in client.get("/applications/new/").content.decode()


def test_commitments_start_unticked(client, demo):
    client.force_login(staff("xj_community"))
    body = client.get("/applications/new/").content.decode()
    boxes = re.findall(r'<input type="checkbox" name="commitments"[^>]*>', body)
    assert len(boxes) == 5 and not [b for b in boxes if "checked" in b]


def test_a_failed_submit_keeps_the_pre_check(client, demo):
    client.force_login(staff("xj_community"))
    body = client.post("/applications/new/", {**INTAKE, "phone": "不是电话"}).content.decode()
    assert "请填写11位手机号码，或带区号的固定电话" in body
    decision = body.split('id="decision"')[1]
    assert "符合就业困难人员认定条件" in decision and "第五条(二)" in decision
    assert not Application.objects.exists()


def test_a_pre_check_carries_into_a_new_application(client, demo):
    client.force_login(staff("xj_community"))
    page = client.get("/eligibility/precheck/").content.decode()
    assert 'formaction="/applications/new/"' in page and "据此录入申请" in page
    precheck = {k: v for k, v in INTAKE.items() if k not in ("name", "phone", "address", "commitments")}
    response = client.post("/applications/new/", {**precheck, "from_precheck": "1"})
    body = response.content.decode()
    assert response.status_code == 200 and 'value="650102198502021246"' in body
    assert re.search(r'name="receiving_dibao"[^>]*checked', body)
    assert 'value="2025-03-01"' in body and 'class="error"' not in body
    assert not Application.objects.exists()
