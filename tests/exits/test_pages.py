from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.idnumber import mask
from exits.models import ExitCase
from tests.exits.helpers import recognised
from tests.factories import staff

pytestmark = pytest.mark.django_db


def test_the_register_lists_the_units_persons_in_a_fixed_number_of_queries(
    client, community_user, django_assert_max_num_queries
):
    client.force_login(community_user)
    first = recognised()
    with django_assert_max_num_queries(12) as small:
        page = client.get("/recognitions/")
    assert page.status_code == 200 and first.applicant.name in page.content.decode()
    for _ in range(3):
        recognised()
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get("/recognitions/?assistance=no_plan&category=dibao")
    assert page.content.decode().count("/recognitions/") >= 4


def test_the_person_page_records_a_plan_a_service_and_a_proposal(client, community_user, county_user):
    r = recognised()
    client.force_login(community_user)
    client.post(
        f"/recognitions/{r.pk}/plan/",
        {"needs": ["job", "training"], "steps": "推荐岗位；参加培训", "officer": "张敏", "market_capable": "on"},
    )
    client.post(f"/recognitions/{r.pk}/service/", {"kind": "job_referral", "outcome": "refused", "date": ""})
    client.post(f"/recognitions/{r.pk}/exit/", {"reason": "voluntary", "note": "本人申请"})
    page = client.get(f"/recognitions/{r.pk}/").content.decode()
    assert "推荐岗位；参加培训" in page and "无正当理由拒绝" in page and "主动提出要求退出认定" in page
    case = ExitCase.objects.get(recognition=r)
    client.force_login(county_user)
    queue = client.get("/exits/").content.decode()
    assert r.applicant.name in queue and "确认退出" in queue
    client.post(f"/exits/{case.pk}/confirm/", {"note": "", "confirmed": "1"})
    case.refresh_from_db()
    assert case.state == "confirmed"
    assert client.get(f"/exits/{case.pk}/letter.pdf").content.startswith(b"%PDF")


def test_pages_out_of_scope_are_404(client, other_community_user):
    r = recognised()
    client.force_login(other_community_user)
    assert client.get(f"/recognitions/{r.pk}/").status_code == 404
    assert r.applicant.name not in client.get("/recognitions/").content.decode()


@pytest.mark.parametrize(
    ("username", "own", "other"), [("xj_county", "退役军人", "下岗失业人员"), ("jl_county", "下岗失业人员", "退役军人")]
)
def test_the_register_offers_the_categories_of_its_own_province(client, demo, username, own, other):
    """As the queue's filter does: a Xinjiang register was offered Jilin's categories and the other way round."""
    client.force_login(staff(username))
    page = client.get("/recognitions/").content.decode()
    assert f">{own}</option>" in page and f">{other}</option>" not in page


def _proposed(client, community_user, county_user):
    r = recognised()
    client.force_login(community_user)
    client.post(
        f"/recognitions/{r.pk}/exit/", {"reason": "voluntary", "effective_on": r.recognized_on.isoformat(), "note": ""}
    )
    client.force_login(county_user)
    return r, ExitCase.objects.get(recognition=r)


def test_it_asks_before_confirming_an_exit_and_only_the_confirmation_page_cancels(client, community_user, county_user):
    r, case = _proposed(client, community_user, county_user)
    queue = client.get("/exits/").content.decode()
    assert f'<label for="note-{case.pk}">' in queue and f'id="note-{case.pk}"' in queue
    page = client.post(f"/exits/{case.pk}/confirm/", {"note": "本人来电确认"})
    case.refresh_from_db()
    r.refresh_from_db()
    assert page.status_code == 200 and case.state == "proposed" and r.active
    html = page.content.decode()
    assert r.applicant.name in html and mask(r.applicant.id_number) in html and r.applicant.id_number not in html
    assert (
        case.reason_label in html
        and case.article in html
        and f"{case.effective_on:%Y-%m-%d}" in html
        and "本人来电确认" in html
    )
    assert 'name="confirmed" value="1"' in html and "返回" in html
    client.post(f"/exits/{case.pk}/confirm/", {"note": "本人来电确认", "confirmed": "1"})
    case.refresh_from_db()
    r.refresh_from_db()
    assert case.state == "confirmed" and not r.active and case.decision_note == "本人来电确认"


def test_it_asks_before_dismissing_and_keeps_the_page_when_the_reason_is_missing(client, community_user, county_user):
    _, case = _proposed(client, community_user, county_user)
    assert client.post(f"/exits/{case.pk}/dismiss/", {"note": "已电话联系"}).status_code == 200
    case.refresh_from_db()
    assert case.state == "proposed"
    page = client.post(f"/exits/{case.pk}/dismiss/", {"note": "", "confirmed": "1"})
    case.refresh_from_db()
    assert page.status_code == 400 and case.state == "proposed"
    assert "请说明不予退出的理由。" in page.content.decode() and 'name="confirmed" value="1"' in page.content.decode()
    client.post(f"/exits/{case.pk}/dismiss/", {"note": "已电话联系", "confirmed": "1"})
    case.refresh_from_db()
    assert case.state == "dismissed"


def test_it_asks_before_the_re_verification_outcome(client, community_user, county_user):
    r, case = _proposed(client, community_user, county_user)
    client.post(f"/exits/{case.pk}/confirm/", {"confirmed": "1"})
    client.force_login(community_user)
    client.post(f"/exits/{case.pk}/objection/", {"note": "本人仍未就业", "next": "detail"})
    client.force_login(county_user)
    page = client.post(f"/exits/{case.pk}/restore/", {"note": "核实未就业"})
    case.refresh_from_db()
    assert page.status_code == 200 and case.state == "objection" and "核实未就业" in page.content.decode()
    client.post(f"/exits/{case.pk}/restore/", {"note": "核实未就业", "confirmed": "1"})
    case.refresh_from_db()
    r.refresh_from_db()
    assert case.state == "restored" and r.active


def test_it_keeps_the_typed_plan_open_with_its_error(client, community_user):
    r = recognised()
    client.force_login(community_user)
    page = client.post(
        f"/recognitions/{r.pk}/plan/", {"steps": "先参加培训，再推荐岗位", "officer": "张敏", "review_on": "2025-06-30"}
    )
    html = page.content.decode()
    assert page.status_code == 400 and "请选择援助需求" in html
    assert '<details id="plan-form" open>' in html
    assert "先参加培训，再推荐岗位</textarea>" in html and 'value="2025-06-30"' in html and 'value="张敏"' in html


def test_it_keeps_the_typed_service_record_with_its_error(client, community_user):
    r = recognised()
    client.force_login(community_user)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = client.post(
        f"/recognitions/{r.pk}/service/",
        {"kind": "training", "outcome": "accepted", "date": tomorrow, "note": "报名电工培训"},
    )
    html = page.content.decode()
    assert page.status_code == 400 and "服务日期不能晚于今天。" in html
    assert 'value="报名电工培训"' in html and f'value="{tomorrow}"' in html
    assert '<option value="training" selected>' in html and '<option value="accepted" selected>' in html
    assert not r.services.exists()


def test_it_keeps_the_typed_subsidy_employment_and_exit_with_their_errors(client, community_user):
    r = recognised()
    client.force_login(community_user)
    page = client.post(f"/recognitions/{r.pk}/subsidy/", {"kind": "social_insurance", "start": "2001-02-03"})
    html = page.content.decode()
    assert page.status_code == 400 and 'value="2001-02-03"' in html and "认定" in html
    assert '<option value="social_insurance" selected>' in html and not r.subsidies.exists()

    page = client.post(f"/recognitions/{r.pk}/employment/", {"employed_on": "2001-02-04"})
    assert page.status_code == 400 and 'value="2001-02-04"' in page.content.decode()

    body = {"reason": "voluntary", "effective_on": "2001-02-05", "note": "本人来电申请退出"}
    html = client.post(f"/recognitions/{r.pk}/exit/", body).content.decode()
    assert 'value="2001-02-05"' in html and "本人来电申请退出</textarea>" in html
    assert '<option value="voluntary" selected>' in html and "<details open>" in html
    assert not ExitCase.objects.filter(recognition=r).exists()
