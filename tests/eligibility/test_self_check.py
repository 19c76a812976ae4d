"""自助预审 for anyone (/self-check/): no login, nothing stored, no staff findings, the place's policy
and parameters, rate-limited per client without trusting X-Forwarded-For."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.utils import timezone

from accounts import idnumber
from accounts.models import OrgUnit
from applications.models import Applicant, Application
from config.throttling import SelfCheckThrottle

TODAY = date(2025, 11, 3)
URUMQI = "650102001001"  # 东风社区: minimum wage 1900
KASHGAR_VILLAGE = "653101001001"  # south Xinjiang (6 months), cannot accept: its township does (第七条)
CHANGCHUN = "220102001001"  # 东岭社区: jilin-2022, minimum wage 1880


def make_id(region: str, birth: date, sex: str = "F") -> str:
    first17 = f"{region}{birth:%Y%m%d}12{1 if sex == 'M' else 2}"
    return first17 + idnumber.check_digit(first17)


WOMAN = make_id("650102", date(1985, 6, 1))  # 40: not 大龄 under either policy
BASIC = {
    "id_number": WOMAN,
    "female_original_retirement_age": "50",
    "local_resident": "on",
    "local_hukou": "on",
    "urban": "on",
    "able_to_work": "on",
    "willing_to_work": "on",
    "unemployment_registered_on": "2025-05-01",
}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(timezone.make_aware(datetime.combine(TODAY, time(10))), tick=False):
        yield


def check(client, unit, data, **extra):
    return client.post(f"/self-check/?unit={unit}", data, **extra)


def test_anyone_may_open_it_and_choose_a_county_by_province(client, demo):
    page = client.get("/self-check/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<optgroup label="新疆维吾尔自治区">' in html and '<optgroup label="吉林省">' in html
    assert "乌鲁木齐市天山区" in html and 'id="precheck"' not in html


def test_a_county_lists_its_communities(client, demo):
    html = client.get("/self-check/?county=650102000000").content.decode()
    assert "燕儿窝街道 燕儿窝街道东风社区" in html and "胜利路街道 胜利路街道新华社区" in html
    assert "东岭社区" not in html


def test_the_form_has_no_staff_findings_and_no_unit_parameters(client, demo):
    html = client.get(f"/self-check/?unit={URUMQI}").content.decode()
    assert 'id="precheck"' in html
    for name in ["other_prescribed", "other_exclusion", "other_note", "minimum_monthly_wage", "south_xinjiang"]:
        assert f'name="{name}"' not in html
    assert 'name="local_resident"' in html and 'name="local_hukou"' not in html  # what xinjiang-2025 reads
    assert 'name="policy" value="xinjiang-2025"' in html
    assert "当地月最低工资标准：1900 元（第六条(三)）" in html
    assert "新人社规〔2025〕1号" in html


def test_it_decides_with_the_articles_addressed_to_the_person_and_stores_nothing(client, demo):
    response = check(client, URUMQI, {**BASIC, "receiving_dibao": "on"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "您符合 新人社规〔2025〕1号 规定的就业困难人员认定条件" in html
    assert "低保人员" in html and "第五条(二)" in html
    assert 'href="/my/"' in html and "燕儿窝街道东风社区提出申请" in html
    assert Application.objects.count() == 0 and Applicant.objects.count() == 0


def test_an_ineligible_person_is_told_why_with_articles(client, demo):
    html = check(client, URUMQI, {**BASIC, "employed_or_insured": "on"}).content.decode()
    assert "您暂不符合 新人社规〔2025〕1号 规定的就业困难人员认定条件" in html
    assert "不属于任何一类就业困难人员" in html
    assert "已与用人单位建立劳动关系或在用人单位参加社会保险" in html and "第六条(一)" in html


def test_staff_findings_posted_anyway_are_ignored(client, demo):
    claimed = check(client, URUMQI, {**BASIC, "other_prescribed": "on", "other_note": "自治区规定"})
    assert "您暂不符合" in claimed.content.decode()  # 第五条(八) is a staff finding, not a claim
    excluded = check(client, URUMQI, {**BASIC, "receiving_dibao": "on", "other_exclusion": "on"})
    assert "您符合" in excluded.content.decode()


def test_the_minimum_wage_is_the_places_whatever_is_posted(client, demo):
    above = check(
        client, URUMQI, {**BASIC, "receiving_dibao": "on", "monthly_income": "1900", "minimum_monthly_wage": "99999"}
    )
    html = above.content.decode()
    assert "您暂不符合" in html and "收入不低于当地最低工资标准" in html and "第六条(三)" in html
    below = check(
        client, URUMQI, {**BASIC, "receiving_dibao": "on", "monthly_income": "1899", "minimum_monthly_wage": "100"}
    )
    assert "您符合" in below.content.decode()


def test_a_posted_policy_is_ignored(client, demo):
    html = check(client, URUMQI, {**BASIC, "receiving_dibao": "on", "policy": "jilin-2022"}).content.decode()
    assert (
        "您符合 新人社规〔2025〕1号" in html and "吉人社发" not in html.split('id="decision"')[1].split("</section>")[0]
    )


def test_south_xinjiang_months_come_from_the_place(client, demo):
    person = {**BASIC, "id_number": make_id("653101", date(1985, 6, 1)), "unemployment_registered_on": "2025-04-15"}
    kashgar = check(client, KASHGAR_VILLAGE, person).content.decode()
    assert "南疆地区连续失业时间放宽为 6 个月（第五条(七)）" in kashgar
    assert "您符合" in kashgar and "连续失业1年及以上人员" in kashgar
    # the township receives for a village that cannot accept (第七条)
    assert "喀什市多来特巴格乡提出申请" in kashgar
    urumqi = check(client, URUMQI, person | {"id_number": WOMAN}).content.decode()
    assert "您暂不符合" in urumqi  # 6½ months is not a year outside south Xinjiang


def test_jilin_asks_its_own_questions_under_its_own_policy(client, demo):
    html = client.get(f"/self-check/?unit={CHANGCHUN}").content.decode()
    assert 'name="local_hukou"' in html and 'name="company_officer"' in html and 'name="local_resident"' not in html
    assert "当地月最低工资标准：1880 元（一(二)3）" in html
    person = {**BASIC, "id_number": make_id("220102", date(1980, 6, 1)), "unemployment_registered_on": "2025-01-02"}
    decided = check(client, CHANGCHUN, person).content.decode()
    assert "您符合 吉人社发〔2022〕10号 规定的就业困难人员认定条件" in decided and "一(一)2" in decided


def test_a_woman_is_asked_her_original_retirement_age(client, demo):
    html = check(client, URUMQI, {**BASIC, "female_original_retirement_age": ""}).content.decode()
    assert "请选择女性申请人的原法定退休年龄" in html


def test_the_live_update_gets_the_fragment(client, demo):
    response = check(client, URUMQI, {**BASIC, "receiving_dibao": "on"}, HTTP_X_REQUESTED_WITH="fetch")
    html = response.content.decode()
    assert html.startswith("<div data-id-summary hidden>")
    assert "您符合" in html and "<html" not in html


def test_income_without_a_minimum_wage_set_is_explained(client, demo):
    OrgUnit.objects.filter(code="650102002001").update(minimum_monthly_wage=None)
    html = check(client, "650102002001", {**BASIC, "receiving_dibao": "on", "monthly_income": "500"}).content.decode()
    assert "您所在地区尚未设定月最低工资标准" in html


@pytest.mark.parametrize(
    "query",
    [
        "?unit=650102001000",  # a township: not a community choice
        "?unit=999999999999",
        "?unit=abc",
        "?unit=" + "6" * 5000,
        "?county=" + "x" * 5000,
        "?county=650102000000&unit=220102001001",  # a community of another county
        "?unit=%00",
    ],
)
def test_bad_places_never_fail(client, demo, query):
    response = client.get("/self-check/" + query)
    assert response.status_code == 200
    assert 'id="precheck"' not in response.content.decode()


def test_a_post_without_a_place_only_asks_for_the_place(client, demo):
    response = client.post("/self-check/", {**BASIC, "receiving_dibao": "on"})
    assert response.status_code == 200 and 'id="precheck"' not in response.content.decode()


def test_where_no_policy_is_in_force_it_says_so(client, demo):
    with time_machine.travel(timezone.make_aware(datetime.combine(date(2025, 9, 1), time(10))), tick=False):
        html = client.get(f"/self-check/?unit={URUMQI}").content.decode()
    assert "目前没有有效的就业困难人员认定政策" in html and 'id="precheck"' not in html


def test_it_is_rate_limited_per_client_and_x_forwarded_for_does_not_reset_it(client, demo, monkeypatch):
    monkeypatch.setitem(SelfCheckThrottle.THROTTLE_RATES, "self_check", "3/min")
    statuses = [check(client, URUMQI, BASIC, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code for i in range(1, 6)]
    assert statuses == [200, 200, 200, 429, 429]
    refused = client.get("/self-check/")
    assert refused.status_code == 429 and "操作过于频繁" in refused.content.decode()
    live = check(client, URUMQI, BASIC, HTTP_X_REQUESTED_WITH="fetch")
    assert live.status_code == 429 and live.content.decode().startswith('<p class="error" role="alert">操作过于频繁')
    assert client.get("/self-check/", REMOTE_ADDR="10.1.2.3").status_code == 200


def test_the_staff_precheck_keeps_its_staff_findings(client, community_user):
    client.force_login(community_user)
    page = client.get("/eligibility/precheck/").content.decode()
    assert 'name="other_prescribed"' in page and 'name="minimum_monthly_wage"' in page
    response = client.post(
        "/eligibility/precheck/",
        {
            **BASIC,
            "policy": "xinjiang-2025",
            "as_of": "2025-11-03",
            "other_prescribed": "on",
            "other_note": "自治区人民政府规定",
        },
    )
    assert "符合就业困难人员认定条件" in response.content.decode()
    assert "自治区人民政府规定的其他就业困难人员" in response.content.decode()


def test_the_staff_precheck_still_needs_a_login(client, demo):
    assert client.get("/eligibility/precheck/").status_code == 302
