"""Decision letters (DESIGN.md §10; API.md "Applications"): 认定结果告知书 / 不予认定告知书, their wording per
policy and decision, who may have them, and when."""

import subprocess
from datetime import date
from urllib.parse import unquote

import pytest
from django.utils import timezone

from accounts.idnumber import mask_name
from applications.models import Applicant
from config.pdf import content_disposition
from tests.applications.test_progress_support import act, fresh, make_id, notice, on, receive, upload_all, user
from tests.conftest import api_as

PERSON_ID = "650102199001011239"  # tests/conftest.py `applicant`
MON = date(2025, 11, 3)


def text_of(pdf: bytes, tmp_path) -> str:
    """The letter's text with the line breaks and spaces WeasyPrint's layout puts in removed."""
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())


def xj_approved(id_number=None, name="阿依努尔"):
    community, township, county = user("xj_community"), user("xj_township"), user("xj_county")
    with on(MON):
        application = receive(
            community, unit_code="650102001001", name=name, id_number=id_number or make_id("650102", date(1979, 1, 1))
        )
        upload_all(community, application)
        act(application, "accept", community)
    with on(date(2025, 11, 4)):
        act(application, "pass_initial_review", community)
    notice(application, community, date(2025, 11, 5))
    with on(date(2025, 11, 10)):
        act(application, "township_approve", township)
    with on(date(2025, 11, 11)):
        act(application, "county_approve", county)
    return fresh(application)


def xj_rejected_as_employed():
    community, township, county = user("xj_community"), user("xj_township"), user("xj_county")
    with on(MON):
        application = receive(
            community,
            unit_code="650102001001",
            name="马强",
            id_number=make_id("650102", date(1968, 3, 4), sex="M"),
            facts={"employed_or_insured": True, "receiving_dibao": False},
        )
        upload_all(community, application)
        act(application, "accept", community)
        act(application, "fail_initial_review", community, reason="经核查，申请人已在用人单位参加社会保险。")
    with on(date(2025, 11, 4)):
        act(application, "township_reject", township, reason="同意初审意见。")
    with on(date(2025, 11, 5)):
        act(application, "county_reject", county, reason="经审批，不符合就业困难人员认定条件。")
    return fresh(application)


def jl_case():
    community = user("jl_community")
    with on(MON):
        application = receive(
            community, unit_code="220102001001", name="王丽", id_number=make_id("220102", date(1979, 1, 1))
        )
        upload_all(community, application)
        act(application, "accept", community)
    return application


def jl_rejected_at_initial():
    application = jl_case()
    with on(date(2025, 11, 4)):
        act(application, "fail_initial_review", user("jl_community"), reason="经入户核实，申请人已从事个体经营。")
    return fresh(application)


def jl_approved():
    application, community = jl_case(), user("jl_community")
    with on(date(2025, 11, 4)):
        act(application, "pass_initial_review", community)
    notice(application, community, date(2025, 11, 5))
    with on(date(2025, 11, 10)):
        act(application, "county_approve", user("jl_county"))
    return fresh(application)


def letter(application, client_user, tmp_path=None):
    response = api_as(client_user).get(f"/api/v1/applications/{application.pk}/decision-letter.pdf")
    if tmp_path is None:
        return response
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return text_of(response.content, tmp_path)


# --- wording per policy and decision


def test_a_xinjiang_approval_names_the_categories_articles_unit_and_date(demo, tmp_path):
    application = xj_approved()
    text = letter(application, user("xj_community"), tmp_path)
    assert text.startswith("就业困难人员认定结果告知书")
    assert "不予认定" not in text
    assert f"受理编号：{application.reference}" in text
    assert "阿依努尔（身份证号：650102********" in text and application.applicant.id_number not in text
    # document, issuer and title from the Policy
    assert (
        "依据新疆维吾尔自治区人力资源和社会保障厅《新疆维吾尔自治区就业困难人员认定管理办法》（新人社规〔2025〕1号）"
        in text
    )
    assert "低保人员（第五条(二)）" in text and "大龄人员（第五条(一)）" in text
    assert "认定您为就业困难人员" in text
    assert "燕儿窝街道东风社区初审、公示，天山区燕儿窝街道复核（第十条），" in text
    assert "乌鲁木齐市天山区人力资源社会保障部门审批认定（第十一条）" in text
    assert "认定单位：乌鲁木齐市天山区人力资源社会保障部门" in text and "认定日期：2025年11月11日" in text
    assert "“一对一”援助方案" in text and "（第十四条）" in text
    assert "（第十六条）" in text and "请主动申请退出" in text
    assert "提供虚假材料或虚假承诺获取就业困难人员身份的，将取消其就业困难人员身份（第十六条(六)）" in text
    assert "30日内向做出核定的人力资源和社会保障部门提出重核申请（第十九条）" in text
    assert "（盖章）燕儿窝街道东风社区2025年11月11日" in text  # the unit that tells the person (第十一条)
    assert "行政复议" not in text


def test_a_xinjiang_refusal_gives_the_opinions_the_unmet_rules_and_where_to_ask(demo, tmp_path):
    application = xj_rejected_as_employed()
    text = letter(application, user("xj_county"), tmp_path)
    assert text.startswith("就业困难人员不予认定告知书")
    assert "不予认定您为就业困难人员" in text and "认定结果告知书" not in text
    assert "初审意见（燕儿窝街道东风社区，2025年11月3日）：经核查，申请人已在用人单位参加社会保险。" in text
    assert "复核意见（天山区燕儿窝街道，2025年11月4日）：同意初审意见。" in text
    assert "审批意见（乌鲁木齐市天山区，2025年11月5日）：经审批，不符合就业困难人员认定条件。" in text
    assert "属于不予认定的情形：已与用人单位建立劳动关系或在用人单位参加社会保险（第六条(一)）" in text
    assert "作出决定的单位：乌鲁木齐市天山区人力资源社会保障部门" in text and "决定日期：2025年11月5日" in text
    assert "可以再次提出认定申请（第五条、第八条）" in text
    assert "在申请平台查看事项受理进度和结果（第十一条）" in text
    assert "六十日内依法申请行政复议" in text and "六个月内依法向人民法院提起行政诉讼" in text
    assert "第十九条" not in text  # 重核 is for a cancellation, not for a refusal
    assert "如有疑问，请向燕儿窝街道东风社区咨询" in text
    assert "（盖章）燕儿窝街道东风社区2025年11月5日" in text


def test_a_refusal_names_an_unmet_requirement_and_the_missing_category(demo, tmp_path):
    community = user("xj_community")
    with on(MON):
        application = receive(
            community,
            unit_code="650102001001",
            name="马强",
            id_number=make_id("650102", date(1988, 3, 4), sex="M"),
            facts={"willing_to_work": False, "receiving_dibao": False, "urban": False},
        )
        upload_all(community, application)
        act(application, "accept", community)
        act(application, "fail_initial_review", community, reason="无就业意愿。")
        act(application, "township_reject", user("xj_township"), reason="同意。")
        act(application, "county_reject", user("xj_county"), reason="不予认定。")
    text = letter(application, community, tmp_path)
    assert "不符合基本条件：有就业意愿（第五条）" in text
    assert "不属于所列任何一类就业困难人员（第五条）" in text


def test_a_staff_finding_of_other_exclusion_is_given_with_its_note(demo, tmp_path):
    community = user("xj_community")
    with on(MON):
        application = receive(
            community,
            unit_code="650102001001",
            name="马强",
            id_number=make_id("650102", date(1968, 3, 4), sex="M"),
            facts={"other_exclusion": True, "other_note": "经核查，申请人在校就读"},
        )
        upload_all(community, application)
        act(application, "accept", community)
        act(application, "fail_initial_review", community, reason="在校学生。")
        act(application, "township_reject", user("xj_township"), reason="同意。")
        act(application, "county_reject", user("xj_county"), reason="不予认定。")
    text = letter(application, community, tmp_path)
    assert "属于不予认定的情形：其他不符合就业困难人员的情形（经核查，申请人在校就读）（第六条(五)）" in text


def test_a_jilin_refusal_at_the_initial_review_cites_jilin_and_no_xinjiang_route(demo, tmp_path):
    application = jl_rejected_at_initial()
    text = letter(application, user("jl_community"), tmp_path)
    assert text.startswith("就业困难人员不予认定告知书")
    assert "吉林省人力资源和社会保障厅《关于做好就业困难人员认定帮扶工作的通知》（吉人社发〔2022〕10号）" in text
    assert "经永吉街道东岭社区初审（二(二)），不予认定您为就业困难人员。" in text
    assert "初审意见（永吉街道东岭社区，2025年11月4日）：经入户核实，申请人已从事个体经营。" in text
    assert "由其结合实际情况研究解决（一(三)）" in text
    assert "可以再次提出认定申请（一(一)、二(一)）" in text
    assert "行政复议" in text
    for xinjiang in ["新人社规", "第十一条", "第十九条", "复核"]:
        assert xinjiang not in text
    assert "作出决定的单位：永吉街道东岭社区" in text


def test_a_jilin_approval_has_no_township_review_and_its_own_articles(demo, tmp_path):
    application = jl_approved()
    text = letter(application, user("jl_county"), tmp_path)
    assert text.startswith("就业困难人员认定结果告知书")
    assert "永吉街道东岭社区初审、公示，长春市南关区公共就业服务机构复核认定（二(三)）" in text
    assert "大龄失业人员（一(一)2）" in text and "低保失业人员（一(一)5）" in text
    assert "认定单位：长春市南关区公共就业服务机构" in text and "认定日期：2025年11月10日" in text
    assert "“一人一策”重点帮扶（四(二)）" in text
    assert "《就业创业证》中录入就业困难人员类别、认定机构和经办人（二(三)）" in text
    assert "弄虚作假，骗取就业困难人员身份认定的，将取消其就业困难人员身份（三(六)）" in text
    assert "吉人社发〔2022〕10号规定的退出情形之一的" in text and "（三）" in text
    for xinjiang in ["新人社规", "第十四条", "第十九条", "天山区"]:
        assert xinjiang not in text


# --- file name, format, timing


def test_the_file_is_named_in_chinese_with_an_ascii_fallback(demo):
    application = jl_rejected_at_initial()
    response = letter(application, user("jl_community"))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline; ")
    assert f'filename="decision-letter-{application.reference}.pdf"' in disposition
    encoded = disposition.split("filename*=UTF-8''")[1]
    masked = mask_name(application.applicant.name)
    assert unquote(encoded) == f"就业困难人员不予认定告知书-{masked}-{application.reference}.pdf"
    assert application.applicant.name not in unquote(encoded)
    assert encoded.isascii() and " " not in encoded
    assert response.content.startswith(b"%PDF-")


def test_content_disposition_escapes_what_would_break_the_header():
    header = content_disposition('告知书";x.pdf', "x.pdf")
    assert '";x' not in header.split("filename*=")[1]


def test_it_renders_with_a_chinese_font(demo, tmp_path):
    application = jl_rejected_at_initial()
    response = letter(application, user("jl_community"))
    path = tmp_path / "l.pdf"
    path.write_bytes(response.content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "WenQuanYi" in fonts or "Noto" in fonts


# --- who may have it, and when


@pytest.fixture
def approved_own_case(demo, applicant):
    """A case of the `applicant` account's own person, tied to it the way the person's verified link is."""
    application = xj_approved(id_number=PERSON_ID, name="测试申请人")
    Applicant.objects.filter(pk=application.applicant_id).update(user=applicant)
    if hasattr(applicant, "identity_verified_at"):  # identity verification (DESIGN.md §10), where present
        applicant.identity_verified_at = timezone.now()
        applicant.save(update_fields=["identity_verified_at"])
    return application


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("applicant", 200),
        ("xj_community", 200),
        ("xj_township", 200),
        ("xj_county", 200),
        ("xj_province", 200),
        ("admin", 200),
        ("xj_community2", 404),
        ("xj_township2", 404),
        ("ks_county", 404),
        ("jl_county", 404),
    ],
)
def test_the_access_matrix_of_the_api(approved_own_case, applicant, who, status):
    client_user = applicant if who == "applicant" else user(who)
    assert letter(approved_own_case, client_user).status_code == status


def test_another_applicant_sees_no_letter(approved_own_case, db):
    from accounts.models import Role, User

    other = User.objects.create_user(username="650102198502020022", password="x-pass-2025", role=Role.APPLICANT)
    assert letter(approved_own_case, other).status_code == 404


def test_anonymous_gets_401_from_the_api_and_a_login_redirect_in_the_browser(approved_own_case, api, client):
    assert api.get(f"/api/v1/applications/{approved_own_case.pk}/decision-letter.pdf").status_code == 401
    page = client.get(f"/applications/{approved_own_case.pk}/decision-letter.pdf")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]


def test_the_browser_path_for_the_person_staff_in_scope_and_out_of_scope(approved_own_case, applicant, client):
    path = f"/applications/{approved_own_case.pk}/decision-letter.pdf"
    client.force_login(applicant)
    own = client.get(path)
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    client.force_login(user("xj_county"))
    assert client.get(path).status_code == 200
    client.force_login(user("xj_community2"))
    assert client.get(path).status_code == 404


def test_before_a_decision_the_api_answers_409_with_the_reason(demo):
    application = jl_case()
    response = letter(application, user("jl_community"))
    assert response.status_code == 409
    assert "尚未作出认定决定" in response.json()["detail"] and "初审" in response.json()["detail"]
    assert letter(application, user("xj_community")).status_code == 404  # out of scope stays 404


def test_a_withdrawn_case_has_no_letter(demo):
    application = jl_case()
    act(application, "withdraw", user("jl_community"), reason="本人撤回。")
    response = letter(application, user("jl_community"))
    assert response.status_code == 409 and "已撤回" in response.json()["detail"]


def test_before_a_decision_the_browser_goes_back_to_the_case_with_the_reason(demo, client):
    application = jl_case()
    client.force_login(user("jl_community"))
    response = client.get(f"/applications/{application.pk}/decision-letter.pdf", follow=True)
    assert response.redirect_chain[-1][0] == f"/applications/{application.pk}/"
    assert "尚未作出认定决定" in response.content.decode()


def test_the_case_page_links_the_letter_once_decided(demo, client):
    application = jl_case()
    client.force_login(user("jl_community"))
    detail = f"/applications/{application.pk}/"
    assert "decision-letter.pdf" not in client.get(detail).content.decode()
    with on(date(2025, 11, 4)):
        act(application, "fail_initial_review", user("jl_community"), reason="不符合。")
    page = client.get(detail).content.decode()
    assert f'href="/applications/{application.pk}/decision-letter.pdf"' in page and "不予认定告知书（PDF）" in page


def test_the_schema_documents_the_letter(client, db):
    document = client.get("/api/schema/?format=json").json()
    operation = document["paths"]["/api/v1/applications/{id}/decision-letter.pdf"]["get"]
    assert "application/pdf" in operation["responses"]["200"]["content"]
    assert "409" in operation["responses"]


def test_the_usual_approval_letter_fits_one_page_so_the_seal_never_stands_alone(demo):
    response = letter(xj_approved(), user("xj_community"))
    pages = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout
    assert pages.count(b"\f") == 1
