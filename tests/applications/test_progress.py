"""Public progress look-up (API.md "Progress (public)"; DESIGN.md §10): POST /api/v1/progress/ and /progress/."""

import re
from datetime import date

import pytest
from rest_framework.test import APIClient

from accounts.idnumber import mask_name
from applications.models import Application, TransitionLog
from config.throttling import ProgressThrottle
from tests.factories import ApplicationFactory, NoticeFactory, make_id, on, staff, transition

XJ_ID = make_id(date(1979, 1, 1), "F", region="650102")
JL_ID = make_id(date(1979, 1, 1), "F", region="220102")
KS_ID = make_id(date(1980, 5, 6), "M", region="653101")
MON = date(2025, 11, 3)  # a plain working week: 3–7 November 2025


def look(reference, id_number, client=None, **extra):
    client = client or APIClient()
    return client.post("/api/v1/progress/", {"reference": reference, "id_number": id_number}, format="json", **extra)


def steps(response) -> list[tuple]:
    return [(s["stage"], s["status"], s["date"], s["outcome"]) for s in response.json()["steps"]]


@pytest.fixture
def xj(demo):
    with on(MON):
        return ApplicationFactory(person__name="阿依尔", person__id_number=XJ_ID, materials=True)


def test_it_answers_a_masked_name_and_the_steps_of_a_case_just_received(xj):
    response = look(xj.reference, XJ_ID)
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "阿*尔"
    assert body["reference"] == xj.reference
    assert (body["state"], body["state_label"]) == ("submitted", "收到申请")
    assert "阿依尔" not in response.content.decode() and XJ_ID not in response.content.decode()
    assert [s["label"] for s in body["steps"]] == ["收到申请", "受理", "初审", "公示", "复核", "审批"]
    assert steps(response) == [
        ("received", "done", "2025-11-03", ""),
        ("accepted", "current", "2025-11-03", ""),
        ("initial", "pending", None, ""),
        ("notice", "pending", None, ""),
        ("township", "pending", None, ""),
        ("county", "pending", None, ""),
    ]


def test_it_follows_a_xinjiang_case_to_approval_with_the_dates_of_its_log(xj):
    community, township, county = staff("xj_community"), staff("xj_township"), staff("xj_county")
    with on(MON):
        transition(xj, "accept", community)
    with on(date(2025, 11, 4)):
        transition(xj, "pass_initial_review", community)
    in_review = look(xj.reference, XJ_ID)
    assert steps(in_review)[2:4] == [("initial", "done", "2025-11-04", "pass"), ("notice", "current", "2025-11-04", "")]
    # period 5–7 November, closed on the 8th
    NoticeFactory(actor=community, applications=[xj], published_on=date(2025, 11, 5), state="closed")
    with on(date(2025, 11, 10)):
        transition(xj, "township_approve", township)
    at_county = look(xj.reference, XJ_ID).json()
    assert at_county["steps"][-1]["status"] == "current"
    assert at_county["steps"][-1]["due_date"] == "2025-11-12"  # 第十一条: 2 working days
    with on(date(2025, 11, 11)):
        transition(xj, "county_approve", county)
    response = look(xj.reference, XJ_ID)
    assert response.json()["state_label"] == "认定通过"
    assert steps(response) == [
        ("received", "done", "2025-11-03", ""),
        ("accepted", "done", "2025-11-03", "pass"),
        ("initial", "done", "2025-11-04", "pass"),
        ("notice", "done", "2025-11-08", ""),
        ("township", "done", "2025-11-10", "pass"),
        ("county", "done", "2025-11-11", "pass"),
    ]


def test_it_shows_the_notice_period_while_the_notice_runs(xj):
    community = staff("xj_community")
    with on(MON):
        transition(xj, "accept", community)
        transition(xj, "pass_initial_review", community)
    NoticeFactory(actor=community, applications=[xj], published_on=date(2025, 11, 5))
    step = look(xj.reference, XJ_ID).json()["steps"][3]
    assert (step["status"], step["date"], step["note"]) == ("current", "2025-11-05", "公示期 2025-11-05 至 2025-11-07")


def test_it_shows_where_a_negative_initial_review_went_without_a_notice(xj):
    community = staff("xj_community")
    with on(MON):
        transition(xj, "accept", community)
        transition(xj, "fail_initial_review", community, reason="已在用人单位参保")
    response = look(xj.reference, XJ_ID)
    # 第九条: a negative initial opinion goes up to the township without a notice
    assert [s["stage"] for s in response.json()["steps"]] == ["received", "accepted", "initial", "township", "county"]
    assert steps(response)[2:4] == [
        ("initial", "done", "2025-11-03", "fail"),
        ("township", "current", "2025-11-03", ""),
    ]


def test_a_jilin_case_has_no_township_review_and_shows_where_it_ended(demo):
    community = staff("jl_community")
    with on(MON):
        application = ApplicationFactory(
            actor=community, person__name="王丽", person__id_number=JL_ID, state="initial_review"
        )
    with on(date(2025, 11, 4)):
        transition(application, "fail_initial_review", community, reason="不符合认定条件")
    response = look(application.reference, JL_ID)
    body = response.json()
    assert (body["state"], body["state_label"], body["name"]) == ("rejected", "未通过", "王*")
    assert steps(response) == [
        ("received", "done", "2025-11-03", ""),
        ("accepted", "done", "2025-11-03", "pass"),
        ("initial", "done", "2025-11-04", "fail"),
    ]


def test_a_jilin_case_in_progress_lists_no_re_review(demo):
    with on(MON):
        application = ApplicationFactory(actor=staff("jl_community"), person__name="王丽", person__id_number=JL_ID)
    labels = [s["label"] for s in look(application.reference, JL_ID).json()["steps"]]
    assert labels == ["收到申请", "受理", "初审", "公示", "审批"]


def test_where_the_township_reviewed_first_there_is_no_re_review(demo):
    township = staff("ks_township")  # 第七条: the village cannot accept; its township reviews and publishes
    with on(MON):
        application = ApplicationFactory(
            actor=township,
            unit_code="653101001001",
            person__name="买买提",
            person__id_number=KS_ID,
            facts__land_expropriated=True,
        )
    labels = [s["stage"] for s in look(application.reference, KS_ID).json()["steps"]]
    assert labels == ["received", "accepted", "initial", "notice", "county"]


def test_a_withdrawn_case_ends_with_the_withdrawal(xj):
    community = staff("xj_community")
    with on(MON):
        transition(xj, "accept", community)
    with on(date(2025, 11, 4)):
        transition(xj, "withdraw", community, reason="本人申请撤回")
    response = look(xj.reference, XJ_ID)
    assert response.json()["state_label"] == "已撤回"
    assert steps(response) == [
        ("received", "done", "2025-11-03", ""),
        ("accepted", "done", "2025-11-03", "pass"),
        ("withdrawn", "done", "2025-11-04", ""),
    ]


def test_awaiting_materials_is_the_acceptance_step_with_a_note(demo):
    with on(MON):
        application = ApplicationFactory(person__name="阿依尔", person__id_number=XJ_ID, state="awaiting_materials")
    step = look(application.reference, XJ_ID).json()["steps"][1]
    assert (step["stage"], step["status"], step["note"]) == ("accepted", "current", "待补正材料（一次性告知）")


def test_a_wrong_pair_answers_exactly_as_an_unknown_reference(xj, django_assert_num_queries):
    other = make_id(date(1985, 3, 3), "F", region="650102")
    unknown_reference = "65010220990101" + "999999"
    with django_assert_num_queries(1):  # no early return on a known reference: the same query either way
        wrong = look(xj.reference, other)
    with django_assert_num_queries(1):
        unknown = look(unknown_reference, XJ_ID)
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.content == unknown.content
    assert wrong.json() == {"detail": "未找到与该受理编号和身份证号相符的申请，请核对后重试。"}


def test_a_found_case_takes_one_query_however_long_its_log(xj, django_assert_num_queries):
    """The log joined to the case, its applicant and unit (issue 13; the log's entries once loaded one
    query each for their deferred application id)."""
    community = staff("xj_community")
    with on(MON):
        transition(xj, "accept", community)
    with on(date(2025, 11, 4)):
        transition(xj, "pass_initial_review", community)
    with django_assert_num_queries(1):
        response = look(xj.reference, XJ_ID)
    assert steps(response)[:3] == [
        ("received", "done", "2025-11-03", ""),
        ("accepted", "done", "2025-11-03", "pass"),
        ("initial", "done", "2025-11-04", "pass"),
    ]


def test_a_case_without_any_log_entry_is_still_found(xj):
    TransitionLog.objects.filter(application=xj).delete()  # none is made so; an import could
    response = look(xj.reference, XJ_ID)
    assert response.status_code == 200
    assert steps(response)[:2] == [("received", "done", "2025-11-03", ""), ("accepted", "current", "2025-11-03", "")]


def test_it_accepts_a_lowercase_x_and_spaces(demo):
    numbers = (make_id(date(1979, 1, d), "F", region="650102") for d in range(1, 29))
    number = next(n for n in numbers if n[-1] == "X")
    with on(MON):
        application = ApplicationFactory(person__name="阿依尔", person__id_number=number)
    assert look(f" {application.reference} ", number.lower()).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"reference": "abc", "id_number": XJ_ID},
        {"reference": "1" * 25, "id_number": XJ_ID},
        {"reference": "1" * 100_000, "id_number": "6" * 100_000},
        {"reference": ["65010220251103000001"], "id_number": XJ_ID},
        {"reference": {"a": 1}, "id_number": XJ_ID},
        {"reference": None, "id_number": XJ_ID},
        {"reference": "65010220251103000001", "id_number": "650102197901011234"},  # bad check digit
        {"reference": "６５０１０２２０２５１１０３０００００１", "id_number": XJ_ID},  # full-width digits
    ],
)
def test_bad_input_is_a_400_naming_the_field_never_a_500(db, body):
    response = APIClient().post("/api/v1/progress/", body, format="json")
    assert response.status_code == 400, response.content[:200]
    assert set(response.json()) <= {"reference", "id_number"}


def test_numbers_sent_as_json_numbers_are_read_as_their_digits(xj):
    response = APIClient().post(
        "/api/v1/progress/", {"reference": int(xj.reference), "id_number": int(XJ_ID)}, format="json"
    )
    assert response.status_code == 200


def test_a_body_that_is_not_json_is_a_400(db):
    response = APIClient().post("/api/v1/progress/", b"{nope", content_type="application/json")
    assert response.status_code == 400


def test_it_needs_no_login_and_ignores_a_bad_token(xj):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token nonsense")
    assert look(xj.reference, XJ_ID, client).status_code == 200


def test_it_rate_limits_per_client_in_chinese(xj, monkeypatch):
    monkeypatch.setitem(ProgressThrottle.THROTTLE_RATES, "progress", "3/min")
    statuses = [look(xj.reference, XJ_ID).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = look(xj.reference, XJ_ID)
    assert "操作过于频繁" in refused.json()["detail"] and "秒后再试" in refused.json()["detail"]
    assert int(refused["Retry-After"]) >= 1
    # another client still has its own budget
    assert look(xj.reference, XJ_ID, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_a_new_x_forwarded_for_per_request_does_not_reset_the_limit(xj, monkeypatch):
    monkeypatch.setitem(ProgressThrottle.THROTTLE_RATES, "progress", "3/min")
    statuses = [look(xj.reference, XJ_ID, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code for i in range(1, 7)]
    assert statuses == [200, 200, 200, 429, 429, 429]


def test_behind_our_own_proxy_the_address_it_appended_is_the_client(xj, monkeypatch, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    monkeypatch.setitem(ProgressThrottle.THROTTLE_RATES, "progress", "2/min")
    # what a client writes in front is ignored; the proxy's own entry (the last) is the client
    forged = [look(xj.reference, XJ_ID, HTTP_X_FORWARDED_FOR=f"1.1.1.{i}, 198.51.100.7").status_code for i in range(3)]
    assert forged == [200, 200, 429]
    assert look(xj.reference, XJ_ID, HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 200


def test_the_num_proxies_setting_defaults_to_zero():
    from rest_framework.settings import api_settings

    assert api_settings.NUM_PROXIES == 0


def test_the_schema_documents_the_endpoint_without_authentication(client, db):
    document = client.get("/api/schema/?format=json").json()
    operation = document["paths"]["/api/v1/progress/"]["post"]
    assert operation.get("security", []) in ([], [{}])
    assert not document.get("security")  # no global requirement either
    assert set(operation["responses"]) >= {"200", "404", "429"}


def test_mask_name():
    assert [mask_name(n) for n in ["", "王", "王丽", "阿依尔", "阿依努尔", "阿依努尔·买买提"]] == [
        "",
        "*",
        "王*",
        "阿*尔",
        "阿**尔",
        "阿******提",
    ]


# --- the page


def test_the_page_needs_no_login_and_shows_the_timeline(client, xj):
    assert client.get("/progress/").status_code == 200
    response = client.post("/progress/", {"reference": xj.reference, "id_number": XJ_ID})
    assert response.status_code == 200
    page = response.content.decode()
    assert "阿*尔" in page and "阿依尔" not in page and XJ_ID not in page
    assert 'class="timeline-steps"' in page
    for label in ["收到申请", "受理", "初审", "公示", "复核", "审批"]:
        assert label in page
    assert "width=device-width" in page  # base.html: fits a phone


def test_the_page_answers_a_wrong_pair_as_an_unknown_reference(client, xj):
    other = make_id(date(1985, 3, 3), "F", region="650102")
    wrong = client.post("/progress/", {"reference": xj.reference, "id_number": other})
    unknown = client.post("/progress/", {"reference": "65010220990101999999", "id_number": XJ_ID})
    assert wrong.status_code == unknown.status_code == 404
    assert "未找到与该受理编号和身份证号相符的申请" in wrong.content.decode()
    assert without_values(wrong) == without_values(unknown)


def without_values(response) -> str:
    """The page less what differs by request anyway: the CSRF token and the values typed."""
    return re.sub(r'value="[^"]*"', "", response.content.decode())


def test_the_page_names_a_bad_field(client, db):
    response = client.post("/progress/", {"reference": "x" * 5000, "id_number": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "身份证号应为18位" in page


def test_the_page_and_the_api_share_one_budget_and_refuse_in_chinese(client, xj, monkeypatch):
    monkeypatch.setitem(ProgressThrottle.THROTTLE_RATES, "progress", "2/min")
    assert look(xj.reference, XJ_ID).status_code == 200
    assert client.post("/progress/", {"reference": xj.reference, "id_number": XJ_ID}).status_code == 200
    refused = client.post(
        "/progress/", {"reference": xj.reference, "id_number": XJ_ID}, HTTP_X_FORWARDED_FOR="192.0.2.1"
    )
    assert refused.status_code == 429
    assert "操作过于频繁" in refused.content.decode()
    assert "阿*尔" not in refused.content.decode()


def test_a_reference_is_looked_up_exactly(xj):
    assert look(xj.reference[:-1] + "9", XJ_ID).status_code == 404
    assert Application.objects.get(pk=xj.pk).reference == xj.reference
