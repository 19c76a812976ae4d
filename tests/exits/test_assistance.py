from datetime import timedelta

import pytest
from django.utils import timezone

from exits.models import ExitCase, ExitState
from tests.conftest import api_as
from tests.exits.helpers import jilin_recognised, recognised
from tests.factories import staff

pytestmark = pytest.mark.django_db


def test_the_plan_needs_needs_steps_and_an_officer(community_user):
    r = recognised()
    client = api_as(community_user)
    response = client.put(f"/api/v1/recognitions/{r.pk}/plan/", {"needs": ["flying"], "steps": ""}, format="json")
    assert response.status_code == 400 and {"needs", "steps", "officer"} <= set(response.json())
    body = {"needs": ["job", "public_welfare_post"], "steps": "推荐岗位，难以就业的公益性岗位托底", "officer": "张敏"}
    response = client.put(f"/api/v1/recognitions/{r.pk}/plan/", {**body, "review_on": "2027-01-05"}, format="json")
    assert response.status_code == 200
    assert response.json()["plan"]["needs"] == ["job", "public_welfare_post"]
    assert response.json()["plan"]["review_on"] == "2027-01-05"


def test_jilin_warns_until_three_job_referrals_for_a_market_capable_person(demo):
    r = jilin_recognised()
    client = api_as(staff("jl_community"))
    today = timezone.localdate().isoformat()
    warnings = []
    for _ in range(3):
        body = {"kind": "job_referral", "date": today, "outcome": "accepted"}
        warnings.append(client.post(f"/api/v1/recognitions/{r.pk}/services/", body, format="json").json()["warnings"])
    assert "四(二)" in warnings[0][0] and "已提供1个" in warnings[0][0]
    assert warnings[1] and warnings[2] == []
    assert client.get(f"/api/v1/recognitions/{r.pk}/").json()["warnings"] == []


def test_xinjiang_has_no_referral_minimum(community_user):
    r = recognised()
    body = {"kind": "contact", "date": timezone.localdate().isoformat(), "outcome": "accepted"}
    assert (
        api_as(community_user).post(f"/api/v1/recognitions/{r.pk}/services/", body, format="json").json()["warnings"]
        == []
    )


def test_a_service_in_the_future_or_of_an_unknown_kind_is_a_400(community_user):
    r = recognised()
    client = api_as(community_user)
    body = {"kind": "massage", "date": "2999-01-01", "outcome": "accepted"}
    response = client.post(f"/api/v1/recognitions/{r.pk}/services/", body, format="json")
    assert response.status_code == 400 and "kind" in response.json()
    body["kind"] = "training"
    response = client.post(f"/api/v1/recognitions/{r.pk}/services/", body, format="json")
    assert response.status_code == 400 and "date" in response.json()


def test_the_province_reads_but_does_not_act(province_user, county_user):
    r = recognised()
    client = api_as(province_user)
    assert client.get(f"/api/v1/recognitions/{r.pk}/").status_code == 200
    assert client.post(f"/api/v1/recognitions/{r.pk}/exits/", {"reason": "deceased"}, format="json").status_code == 403
    case = api_as(county_user).post(f"/api/v1/recognitions/{r.pk}/exits/", {"reason": "deceased"}, format="json")
    assert client.post(f"/api/v1/exits/{case.json()['id']}/confirm/", {}, format="json").status_code == 403


def test_the_recognition_list_runs_a_fixed_number_of_queries(county_user, django_assert_max_num_queries):
    recognised()
    client = api_as(county_user)
    with django_assert_max_num_queries(10) as small:
        assert client.get("/api/v1/recognitions/?active=true").json()["count"] == 1
    for _ in range(3):
        recognised()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/api/v1/recognitions/?active=true&category=dibao").json()["count"] == 4


def test_the_exit_machine_graph():
    """Pins every transition of the exit case (DESIGN.md §7)."""
    graph = {(t.source, t.target, t.name) for t in ExitCase._meta.get_field("state").get_all_transitions(ExitCase)}
    assert graph == {
        (ExitState.PROPOSED, ExitState.CONFIRMED, "confirm"),
        (ExitState.PROPOSED, ExitState.DISMISSED, "dismiss"),
        (ExitState.CONFIRMED, ExitState.OBJECTION, "objection"),
        (ExitState.OBJECTION, ExitState.RESTORED, "restore"),
        (ExitState.OBJECTION, ExitState.UPHELD, "uphold"),
    }


def test_dates_before_the_recognition_are_refused_by_name(community_user):
    """A recognition's plan, subsidies and exits happen after it: year 1 was taken (and printed "1-01-01")."""
    r = recognised()
    client = api_as(community_user)
    day = (r.recognized_on - timedelta(days=1)).isoformat()
    plan = {"needs": ["job"], "steps": "推荐岗位", "officer": "张敏", "review_on": day}
    response = client.put(f"/api/v1/recognitions/{r.pk}/plan/", plan, format="json")
    assert response.status_code == 400 and "不能早于认定日期" in response.json()["review_on"][0]
    for start in (day, "0001-01-01"):
        body = {"kind": "social_insurance", "start": start}
        response = client.post(f"/api/v1/recognitions/{r.pk}/subsidies/", body, format="json")
        assert response.status_code == 400 and "不能早于认定日期" in response.json()["start"][0]
        body = {"reason": "deceased", "effective_on": start, "note": "x"}
        response = client.post(f"/api/v1/recognitions/{r.pk}/exits/", body, format="json")
        assert response.status_code == 400 and "不能早于认定日期" in response.json()["effective_on"][0]
    assert not r.subsidies.exists() and not ExitCase.objects.filter(recognition=r).exists()
    assert not hasattr(r, "plan") or r.plan.review_on != r.recognized_on - timedelta(days=1)
