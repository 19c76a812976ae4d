"""Control characters (issue 12 #7): U+202E, U+0007 and every other Cc/Cf character are refused with a
Chinese field error on each way text comes in, nothing is saved; line breaks stay allowed in multi-line
text. One check on the base text fields (config.text) covers forms and serializers alike."""

import time_machine
from django.test import Client

from accounts.models import User
from applications.models import Applicant, TransitionLog
from config.text import control_characters
from exits.models import ExitCase
from publicity.models import Objection
from tests.applications.helpers import act, submit
from tests.conftest import api_as
from tests.exits.helpers import recognised
from tests.factories import ApplicationFactory, NoticeFactory, PersonFactory

RLO, BEL = "\u202e", "\u0007"
REFUSED = "不能包含控制字符"


def test_the_check_names_cc_and_cf_but_keeps_line_breaks_in_multiline_text():
    assert control_characters(f"张{RLO}三{BEL}\u200b\x00", multiline=False) == ["U+202E", "U+0007", "U+200B", "U+0000"]
    assert control_characters("第一行\r\n\t第二行", multiline=True) == []
    assert control_characters("第一行\n第二行", multiline=False) == ["U+000A"]
    assert control_characters("阿依努尔·买买提 Ayinur O'Brien-李", multiline=False) == []


def test_joiners_that_shape_arabic_script_names_are_kept():
    assert control_characters("ئايىنۇر\u200cمەمەت\u200d", multiline=False) == []
    assert control_characters("\u200e\u200f\u2066", multiline=False) == ["U+200E", "U+200F", "U+2066"]


def test_the_api_refuses_them_in_the_applicants_name_and_address(community_user):
    for field in ("name", "address"):
        person = PersonFactory(**{field: f"东风{RLO}路"})
        response = submit(community_user, person=person)
        assert response.status_code == 400 and REFUSED in str(response.json()["applicant"][field])
    assert not Applicant.objects.exists()


def test_the_api_refuses_them_in_a_reason_but_keeps_line_breaks(community_user):
    app = ApplicationFactory(actor=community_user, state="initial_review")
    refused = act(community_user, app.pk, "fail_initial_review", reason=f"不符合{BEL}")
    assert refused.status_code == 400 and REFUSED in refused.json()["reason"][0]
    assert not TransitionLog.objects.filter(application=app, name="fail_initial_review").exists()
    assert act(community_user, app.pk, "fail_initial_review", reason="不符合：\n一、收入超标").status_code == 200


def test_the_api_refuses_them_in_an_exit_note(community_user):
    recognition = recognised()
    url = f"/api/v1/recognitions/{recognition.pk}/exits/"
    response = api_as(community_user).post(url, {"reason": "fraud", "note": f"隐瞒{RLO}收入"}, format="json")
    assert response.status_code == 400 and REFUSED in response.json()["note"][0]
    assert not ExitCase.objects.exists()


@time_machine.travel("2026-11-23 10:00 +0800", tick=False)
def test_objections_are_refused_by_api_and_page(community_user):
    notice = NoticeFactory(actor=community_user, size=1, state="published")
    line = notice.lines.get()
    body = {"application_id": line.application_id, "content": f"在职{RLO}", "reporter_name": "王五"}
    response = api_as(community_user).post(f"/api/v1/notices/{notice.pk}/objections/", body, format="json")
    assert response.status_code == 400 and REFUSED in response.json()["content"][0]
    web = Client()
    web.force_login(community_user)
    page = web.post(
        f"/staff/notices/{notice.pk}/objection/", {**body, "content": "在职", "reporter_name": f"王{BEL}五"}
    )
    assert page.status_code == 302
    shown = web.get(f"/staff/notices/{notice.pk}/").content.decode()
    assert "反映人姓名：" in shown and REFUSED in shown
    assert not Objection.objects.exists()


def test_registration_is_refused_by_api_and_page(demo):
    body = {"name": f"张{RLO}三", "id_number": "650102199001011239", "phone": "13900001111", "password": "pass-2025-x"}
    refused = Client().post("/api/v1/accounts/register", body, content_type="application/json")
    assert refused.status_code == 400 and REFUSED in refused.json()["name"][0]
    page = Client().post(
        "/accounts/register/",
        {
            "full_name": f"张三{BEL}",
            "id_number": body["id_number"],
            "phone": body["phone"],
            "password1": "pass-2025-x",
            "password2": "pass-2025-x",
        },
    )
    assert page.status_code == 200 and REFUSED in page.content.decode()
    assert not User.objects.filter(id_number=body["id_number"]).exists()
