import itertools
from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import Notification
from exits.models import ExitCase, ExitLog, Recognition, Subsidy
from exits.services import exit_transition
from tests.applications.helpers import submit
from tests.conftest import api_as
from tests.exits.helpers import jilin_recognised, recognised
from tests.factories import on, staff

pytestmark = pytest.mark.django_db


def propose(user, recognition, **body):
    return api_as(user).post(
        f"/api/v1/recognitions/{recognition.pk}/exits/", {"reason": "deceased", **body}, format="json"
    )


def test_it_records_the_recognition_with_categories_unit_officer_and_date(county_user):
    r = recognised()
    assert r.active and r.categories and r.unit_id == "650102001001"
    assert r.recognized_by == county_user and r.approving_unit_id == "650102000000"
    assert r.statutory_retirement_on and r.last_contact_on == r.recognized_on and r.identity_check_due_on
    body = api_as(county_user).get(f"/api/v1/recognitions/{r.pk}/").json()
    assert body["active"] is True and body["categories"] == r.categories and body["application_id"] == r.application_id
    assert "card_category" not in body


def test_jilin_records_the_card_entry_at_approval(demo):
    r = jilin_recognised()
    body = api_as(staff("jl_county")).get(f"/api/v1/recognitions/{r.pk}/").json()
    assert body["card_category"] == "下岗失业人员"
    assert body["card_agency"] == "长春市南关区" and body["card_handler"] == "南关区就业服务局 刘洋"


def test_exit_confirm_objection_restore(county_user, community_user):
    r = recognised()
    response = propose(community_user, r, reason="deceased", note="家属告知")
    assert response.status_code == 201 and response.json()["state"] == "proposed"
    case_id = response.json()["id"]
    # only the county confirms
    assert api_as(community_user).post(f"/api/v1/exits/{case_id}/confirm/", {}, format="json").status_code == 403
    response = api_as(county_user).post(f"/api/v1/exits/{case_id}/confirm/", {}, format="json")
    body = response.json()
    today = timezone.localdate()
    assert response.status_code == 200 and body["state"] == "confirmed"
    assert body["notified_on"] == today.isoformat()
    assert body["objection_deadline"] == (today + timedelta(days=30)).isoformat()
    r.refresh_from_db()
    assert not r.active and r.end_reason == "deceased"
    # a second confirmation is a state conflict
    assert api_as(county_user).post(f"/api/v1/exits/{case_id}/confirm/", {}, format="json").status_code == 409
    response = api_as(community_user).post(
        f"/api/v1/exits/{case_id}/objection/", {"content": "本人健在"}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == "objection"
    response = api_as(county_user).post(
        f"/api/v1/exits/{case_id}/reverify/", {"upheld": True, "finding": "经核实本人健在"}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == "restored"
    r.refresh_from_db()
    assert r.active and r.ended_on is None
    history = api_as(county_user).get(f"/api/v1/recognitions/{r.pk}/").json()["history"]
    assert [(h["event"], h["active"]) for h in history] == [
        ("application", True),
        ("confirm", False),
        ("restore", True),
    ]
    names = list(ExitLog.objects.filter(case_id=case_id).values_list("name", flat=True))
    assert names == ["propose", "confirm", "objection", "restore"]
    entries = list(ExitLog.objects.filter(case_id=case_id))
    assert all(e.hash == e.compute_hash() for e in entries)
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))


def test_reverification_may_uphold(county_user, community_user):
    r = recognised()
    case_id = propose(community_user, r, reason="voluntary").json()["id"]
    api_as(county_user).post(f"/api/v1/exits/{case_id}/confirm/", {}, format="json")
    api_as(community_user).post(f"/api/v1/exits/{case_id}/objection/", {"content": "不同意"}, format="json")
    response = api_as(county_user).post(
        f"/api/v1/exits/{case_id}/reverify/", {"upheld": False, "finding": "本人书面申请属实"}, format="json"
    )
    assert response.json()["state"] == "upheld"
    r.refresh_from_db()
    assert not r.active


def test_objection_after_30_days_is_409(county_user, community_user):
    r = recognised()
    case_id = propose(community_user, r).json()["id"]
    api_as(county_user).post(f"/api/v1/exits/{case_id}/confirm/", {}, format="json")
    deadline = ExitCase.objects.get(pk=case_id).objection_deadline  # the 30th day itself is still in time
    case = exit_transition(case_id=case_id, name="objection", actor=community_user, content="有异议", today=deadline)
    assert case.state == "objection"
    r2 = recognised()
    case_id = propose(community_user, r2).json()["id"]
    api_as(county_user).post(f"/api/v1/exits/{case_id}/confirm/", {}, format="json")
    with on(timezone.localdate() + timedelta(days=31)):
        response = api_as(community_user).post(f"/api/v1/exits/{case_id}/objection/", {"content": "x"}, format="json")
    assert response.status_code == 409 and "第十九条" in response.json()["detail"]


def test_a_reason_the_policy_does_not_name_is_a_400(county_user, community_user):
    r = recognised()
    response = propose(community_user, r, reason="moved_out_of_province")  # jilin only
    assert response.status_code == 400 and "reason" in response.json()
    jl = jilin_recognised()
    response = propose(staff("jl_community"), jl, reason="lost_contact")  # xinjiang only
    assert response.status_code == 400 and "reason" in response.json()
    assert propose(staff("jl_community"), jl, reason="moved_out_of_province").status_code == 201


def test_out_of_scope_is_404(other_community_user, other_county_user, county_user, community_user):
    r = recognised()
    case_id = propose(community_user, r).json()["id"]
    for user in (other_community_user, other_county_user):
        client = api_as(user)
        assert client.get(f"/api/v1/recognitions/{r.pk}/").status_code == 404
        assert propose(user, r).status_code == 404
        assert client.post(f"/api/v1/exits/{case_id}/confirm/", {}, format="json").status_code == 404
        assert client.get(f"/api/v1/exits/?recognition={r.pk}").json()["count"] == 0


def test_fraud_flags_the_subsidies_for_recovery(county_user, community_user):
    r = recognised()
    response = api_as(community_user).post(
        f"/api/v1/recognitions/{r.pk}/subsidies/",
        {"kind": "social_insurance", "start": r.recognized_on.isoformat(), "end": None},
        format="json",
    )
    assert response.status_code == 201
    response = propose(community_user, r, reason="fraud")
    assert response.status_code == 400 and "note" in response.json()
    case_id = propose(community_user, r, reason="fraud", note="隐瞒营业执照").json()["id"]
    api_as(county_user).post(f"/api/v1/exits/{case_id}/confirm/", {}, format="json")
    assert Subsidy.objects.get(recognition=r).recovery_flagged_on == timezone.localdate()


def test_the_person_is_told_with_the_article_and_the_30_days(county_user, community_user, applicant):
    from django.utils import timezone as tz

    from applications.models import Applicant

    r = recognised()
    Applicant.objects.filter(pk=r.applicant_id).update(user=applicant, id_number=applicant.id_number)
    applicant.identity_verified_at = tz.now()
    applicant.save(update_fields=["identity_verified_at"])
    case_id = propose(community_user, r, reason="deceased").json()["id"]
    api_as(county_user).post(f"/api/v1/exits/{case_id}/confirm/", {}, format="json")
    note = Notification.objects.get(user=applicant, key__startswith="exit-log:")
    assert "第十六条(四)" in note.body and "30日内" in note.body and "第十九条" in note.body
    # the person may ask for re-verification themself
    response = api_as(applicant).post(f"/api/v1/exits/{case_id}/objection/", {"content": "有异议"}, format="json")
    assert response.status_code == 200


def test_after_a_confirmed_exit_the_person_may_apply_again(county_user, community_user):
    r = recognised()
    person = {"name": r.applicant.name, "id_number": r.applicant.id_number}
    assert submit(community_user, person=person).status_code == 409
    case_id = propose(community_user, r, reason="voluntary").json()["id"]
    api_as(county_user).post(f"/api/v1/exits/{case_id}/confirm/", {}, format="json")
    assert submit(community_user, person=person).status_code == 201  # 第十八条


def test_exit_list_is_paginated_and_filtered(county_user, community_user, django_assert_max_num_queries):
    ids = []
    for _ in range(3):
        ids.append(propose(community_user, recognised()).json()["id"])
    api_as(county_user).post(f"/api/v1/exits/{ids[0]}/confirm/", {}, format="json")
    client = api_as(county_user)
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/exits/?state=proposed").json()
    assert body["count"] == 2 and {row["source"] for row in body["results"]} == {"manual"}
    assert client.get("/api/v1/exits/?state=confirmed").json()["count"] == 1
    assert client.get("/api/v1/recognitions/?active=false").json()["count"] == 1
    assert client.get("/api/v1/recognitions/?active=maybe").status_code == 400


def test_recognition_date_is_a_date(county_user):
    r = recognised()
    assert isinstance(Recognition.objects.get(pk=r.pk).recognized_on, date)
