"""The guided online application (DESIGN.md §10): steps saved as a draft that survives a logout,
the policy's own questions and no staff-only ones, then the case on the person's own page."""

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import Application, ApplicationDraft
from tests.factories import PNG, ApplicationFactory

RESIDENCE = {
    "name": "测试申请人",
    "phone": "13800000003",
    "address": "东风路3号",
    "county": "650102000000",
    "unit_code": "650102001001",
}
SITUATION = {
    "local_resident": "on",
    "urban": "on",
    "able_to_work": "on",
    "willing_to_work": "on",
    "unemployment_registered_on": "2025-01-02",
}


def step(client, name, data):
    return client.post(f"/my/apply/{name}/", data)


@time_machine.travel("2026-11-23 10:00 +0800", tick=False)
def test_a_person_applies_online_step_by_step(client, demo, applicant):
    client.force_login(applicant)
    first = client.get("/my/apply/")
    assert first.status_code == 200 and "身份与居住地" in first.content.decode()
    assert step(client, "residence", RESIDENCE).url == "/my/apply/situation/"
    client.logout()  # the draft is kept on the server
    client.force_login(applicant)
    page = client.get("/my/apply/situation/").content.decode()
    assert "在自治区行政区域内常住" in page and "具有本省户籍" not in page  # Xinjiang asks residence, not 户籍
    assert step(client, "situation", SITUATION).url == "/my/apply/categories/"
    categories = client.get("/my/apply/categories/").content.decode()
    assert "正在享受最低生活保障待遇" in categories
    assert "other_prescribed" not in categories and "other_note" not in categories  # staff findings only
    assert step(client, "categories", {"receiving_dibao": "on"}).url == "/my/apply/exclusions/"
    exclusions = client.get("/my/apply/exclusions/").content.decode()
    assert "minimum_monthly_wage" not in exclusions and "other_exclusion" not in exclusions
    assert step(client, "exclusions", {"monthly_income": "0"}).url == "/my/apply/commitments/"
    summary = client.get("/my/apply/commitments/").content.decode()
    assert "符合就业困难人员认定条件" in summary and "第五条(二)" in summary
    assert "《城乡居民最低生活保障证》" in summary  # the checklist for the categories found (第八条)
    refused = step(client, "commitments", {"commitments": ["family_income"]})
    assert refused.status_code == 200 and "须承诺" in refused.content.decode()
    done = step(client, "commitments", {"commitments": ["truthfulness", "family_income"]})
    application = Application.objects.get()
    assert done.url == f"/applications/{application.pk}/"
    assert (application.channel, application.state, application.applicant.user) == ("online", "submitted", applicant)
    assert application.facts["minimum_monthly_wage"] == "1900.00"  # the unit's
    assert not ApplicationDraft.objects.exists()
    own = client.get(done.url).content.decode()
    assert "下一步：上传材料" in own and "本人身份证或社会保障卡" in own
    upload = client.post(
        f"/applications/{application.pk}/materials/",
        {"kind": "id_card", "file": SimpleUploadedFile("id.png", PNG)},
        follow=True,
    )
    assert "材料已保存" in upload.content.decode()
    assert (
        "测试申请人" in client.get("/my/").content.decode()
        or application.reference in client.get("/my/").content.decode()
    )


def test_steps_open_in_order_and_only_for_applicants(client, demo, applicant, community_user):
    client.force_login(applicant)
    assert client.get("/my/apply/exclusions/").url == "/my/apply/residence/"
    assert client.get("/my/apply/nonsense/").status_code == 404
    bad = step(client, "residence", {**RESIDENCE, "unit_code": "999999999999"})
    assert bad.status_code == 200 and not ApplicationDraft.objects.get().data
    client.force_login(community_user)
    assert client.get("/my/apply/").status_code == 403


def test_a_county_lists_its_communities(client, demo, applicant):
    client.force_login(applicant)
    page = client.post("/my/apply/residence/", {"county": "653101000000", "action": "county"}).content.decode()
    assert "653101001001" in page and "由" in page and "受理" in page  # a village its township receives for (第七条)
    assert "650102001001" not in page


def test_withdrawing_asks_for_confirmation(client, community_user):
    app = ApplicationFactory(actor=community_user).pk
    client.force_login(community_user)
    page = client.get(f"/applications/{app}/withdraw/").content.decode()
    assert "确认撤回申请" in page and Application.objects.get(pk=app).state == "submitted"
    client.post(f"/applications/{app}/withdraw/", {"reason": "申请人要求撤回。"})
    application = Application.objects.get(pk=app)
    assert application.state == "withdrawn" and application.log.last().reason == "申请人要求撤回。"


def test_the_applicants_page_says_which_step_is_under_way(client, community_user, applicant):
    """A review found the current step drawn like the finished ones (bold, no word): it says 办理中."""
    from tests.factories import ApplicationFactory

    case = ApplicationFactory(actor=community_user, account=applicant, state="initial_review")
    client.force_login(applicant)
    html = client.get(f"/applications/{case.pk}/").content.decode()
    steps = html.split('class="timeline-steps"')[1].split("</ol>")[0]
    assert steps.count("办理中") == 1 and "未开始" in steps


def test_an_applicant_with_an_open_case_is_told_at_the_first_step(client, community_user, applicant):
    """A review found the refusal only at 提交, after all five steps were filled in."""
    ApplicationFactory(actor=community_user, account=applicant)  # open, and tied to the verified account
    client.force_login(applicant)
    response = step(client, "residence", RESIDENCE)
    assert response.status_code == 200 and "已有正在办理的申请" in response.content.decode()
    assert 'value="东风路3号"' in response.content.decode()  # what was typed stays
    assert not ApplicationDraft.objects.filter(user=applicant, step__gt=0).exists()
