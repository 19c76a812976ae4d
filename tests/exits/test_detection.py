"""Each detection rule on both sides of its boundary; one proposal per cause however often the sweep runs;
a query count that does not grow with the number of recognitions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Notification
from config.sweeps import run_all
from eligibility.dates import add_months
from exits.models import ExitCase, ExitLog
from exits.sweeps import detect_exits, identity_checks_due
from tests.conftest import api_as
from tests.exits.helpers import jilin_recognised, recognised
from tests.factories import on, staff

pytestmark = pytest.mark.django_db


def proposals(recognition, reason=None):
    cases = ExitCase.objects.filter(recognition=recognition)
    return list(cases.filter(reason=reason) if reason else cases)


def serve(user, recognition, kind="job_referral", outcome="refused", day=None):
    day = day or timezone.localdate()
    body = {"kind": kind, "outcome": outcome, "date": day.isoformat()}
    response = api_as(user).post(f"/api/v1/recognitions/{recognition.pk}/services/", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_retirement_age_on_the_day_not_before(county_user):
    r = recognised()
    day = r.statutory_retirement_on
    detect_exits(day - timedelta(days=1))
    assert not proposals(r, "retirement_age")
    detect_exits(day)
    [case] = proposals(r, "retirement_age")
    assert case.source == "sweep" and case.article == "第十六条(三)" and case.effective_on == day
    assert ExitLog.objects.get(case=case).name == "propose"


def test_retirement_age_may_be_confirmed_automatically(settings, county_user):
    settings.EXITS_AUTO_CONFIRM_RETIREMENT = True
    r = recognised()
    summary = detect_exits(r.statutory_retirement_on)
    [case] = proposals(r, "retirement_age")
    assert summary["auto_confirmed"] == 1 and case.state == "confirmed" and case.decided_by is None
    r.refresh_from_db()
    assert not r.active


def test_three_refusals_without_good_reason_within_six_months(community_user):
    r = recognised()
    today = timezone.localdate()
    serve(community_user, r)
    serve(community_user, r)
    serve(community_user, r, outcome="refused_with_good_reason")
    detect_exits(today)
    assert not proposals(r, "refused_services")
    serve(community_user, r)
    detect_exits(add_months(today, 6) + timedelta(days=1))  # the refusals are older than 6 months
    assert not proposals(r, "refused_services")
    detect_exits(add_months(today, 6))  # the oldest is 6 months old: still within
    [case] = proposals(r, "refused_services")
    assert case.detail["refusals"] == 3 and case.article == "第十六条(七)"


def test_jilin_refusals_cite_part_three(demo):
    r = jilin_recognised()
    for _ in range(3):
        serve(staff("jl_community"), r)
    detect_exits(timezone.localdate())
    [case] = proposals(r, "refused_services")
    assert case.article == "三(五)"


def test_xinjiang_lost_contact_after_six_consecutive_months(community_user):
    r = recognised()
    start = r.last_contact_on
    detect_exits(add_months(start, 6) - timedelta(days=1))
    assert not proposals(r, "lost_contact")
    later = start + timedelta(days=40)
    with on(later):
        serve(community_user, r, kind="contact", outcome="unreachable", day=later)  # an attempt is no contact
    detect_exits(add_months(start, 6))
    [case] = proposals(r, "lost_contact")
    assert case.article == "第十六条(八)" and case.cause == f"lost_contact:{start}"


def test_a_successful_contact_or_request_restarts_the_six_months(community_user):
    r = recognised()
    later = r.last_contact_on + timedelta(days=40)
    with on(later):
        serve(community_user, r, kind="request", outcome="accepted", day=later)
    detect_exits(add_months(r.last_contact_on, 6))
    assert not proposals(r, "lost_contact")
    detect_exits(add_months(later, 6))
    assert proposals(r, "lost_contact")


def test_jilin_has_no_lost_contact_rule_but_an_assistance_period(demo):
    r = jilin_recognised()
    end = r.recognized_on + timedelta(days=365)
    body = {"needs": ["job"], "steps": "推荐岗位", "officer": "孙丽", "assistance_ends_on": end.isoformat()}
    assert (
        api_as(staff("jl_community")).put(f"/api/v1/recognitions/{r.pk}/plan/", body, format="json").status_code == 200
    )
    detect_exits(end)
    assert not proposals(r)  # neither expired on its last day, nor lost contact (xinjiang only)
    detect_exits(end + timedelta(days=1))
    [case] = proposals(r)
    assert case.reason == "policy_period_expired" and case.article == "三(二)"


def test_employed_with_a_subsidy_leaves_when_the_subsidy_ends(community_user):
    r = recognised()
    today = timezone.localdate()
    end = today + timedelta(days=90)
    client = api_as(community_user)
    body = {"kind": "social_insurance", "start": today.isoformat(), "end": end.isoformat()}
    assert client.post(f"/api/v1/recognitions/{r.pk}/subsidies/", body, format="json").status_code == 201
    # a manual 'employed' exit while the subsidy runs is refused with the article
    response = client.post(f"/api/v1/recognitions/{r.pk}/exits/", {"reason": "employed"}, format="json")
    assert response.status_code == 400 and "第十六条(一)" in response.json()["effective_on"][0]
    body = {"employed_on": today.isoformat()}
    assert client.post(f"/api/v1/recognitions/{r.pk}/employment/", body, format="json").status_code == 200
    detect_exits(end)
    assert not proposals(r, "employed")
    detect_exits(end + timedelta(days=1))
    [case] = proposals(r, "employed")
    assert case.effective_on == end and case.article == "第十六条(一)"


def test_employed_without_a_subsidy_is_proposed_at_once(community_user):
    r = recognised()
    today = timezone.localdate()
    body = {"employed_on": today.isoformat()}
    api_as(community_user).post(f"/api/v1/recognitions/{r.pk}/employment/", body, format="json")
    detect_exits(today)
    assert proposals(r, "employed")


def test_repeated_sweeps_propose_each_cause_once_even_after_a_dismissal(county_user):
    r = recognised()
    far = add_months(r.last_contact_on, 7)
    first = run_all(far)
    assert first["ok"], first
    run_all(far)
    run_all(far + timedelta(days=1))
    [case] = proposals(r, "lost_contact")
    response = api_as(county_user).post(f"/api/v1/exits/{case.pk}/dismiss/", {"note": "已电话联系"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "dismissed"
    assert api_as(county_user).post(f"/api/v1/exits/{case.pk}/dismiss/", {}, format="json").status_code == 409
    detect_exits(far + timedelta(days=2))
    assert len(proposals(r, "lost_contact")) == 1  # the same cause is not proposed again


def test_identity_checks_due_are_listed_for_the_community(community_user):
    r = recognised()
    due = r.identity_check_due_on
    assert identity_checks_due(due - timedelta(days=1))["due"] == 0
    summary = identity_checks_due(due)
    assert summary["due"] == 1 and summary["notifications"] >= 1
    assert Notification.objects.filter(user=community_user, key__startswith="identity-checks:").count() == 1
    identity_checks_due(due)
    assert Notification.objects.filter(user=community_user, key__startswith="identity-checks:").count() == 1
    with on(due):
        serve(community_user, r, kind="identity_check", outcome="completed", day=due)
    assert identity_checks_due(due)["due"] == 0


def test_the_sweep_runs_a_fixed_number_of_queries(demo, django_assert_max_num_queries):
    as_of = timezone.localdate().replace(year=timezone.localdate().year + 40)
    for _ in range(2):
        recognised()
    recognised(actor=staff("jl_community"))
    with django_assert_max_num_queries(60) as small:
        detect_exits(as_of)
    ExitLog.objects.all()._raw_delete(ExitLog.objects.db)
    ExitCase.objects.all().delete()
    for _ in range(4):
        recognised()
    recognised(actor=staff("jl_community"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        summary = detect_exits(as_of)
    assert summary["proposed"]["retirement_age"] == 8 and summary["proposed"]["lost_contact"] == 6
