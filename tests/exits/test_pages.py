import pytest

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
    client.post(f"/exits/{case.pk}/confirm/", {"note": ""})
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
