from datetime import date

import pytest
import time_machine
from django.core import mail

from accounts.models import Notification, User
from applications.models import Application, State
from config import sweeps
from publicity.models import Notice, NoticeState
from tests.conftest import api_as
from tests.factories import ApplicationFactory, NoticeDetailsFactory, NoticeFactory


def create(user, ids, unit_code="650102001001"):
    body = {"unit_code": unit_code, "application_ids": ids, **NoticeDetailsFactory(jilin=unit_code.startswith("22"))}
    return api_as(user).post("/api/v1/notices/", body, format="json")


def states(ids):
    return [Application.objects.get(pk=i).state for i in ids]


@time_machine.travel("2026-02-13 10:00 +0800", tick=False)
def test_publishing_fixes_a_three_working_day_period_across_spring_festival(community_user):
    ids = [a.pk for a in ApplicationFactory.create_batch(2, actor=community_user, state="pending_notice")]
    response = create(community_user, ids)
    assert response.status_code == 201 and response.json()["state"] == "draft"
    assert [line["id_number"][6:14] for line in response.json()["lines"]] == ["********"] * 2
    notice = response.json()["id"]
    published = api_as(community_user).post(f"/api/v1/notices/{notice}/publish/", {}, format="json").json()
    # Friday 13th, Saturday 14th (a make-up working day), then Tuesday 24th after the holiday
    assert (published["state"], published["period_start"], published["period_end"]) == (
        "published",
        "2026-02-13",
        "2026-02-24",
    )
    assert states(ids) == [State.PUBLIC_NOTICE] * 2
    assert api_as(community_user).post(f"/api/v1/notices/{notice}/publish/", {}, format="json").status_code == 409


def test_a_notice_takes_only_the_units_pending_applications(community_user, other_community_user):
    ids = [ApplicationFactory(actor=community_user, state="pending_notice").pk]
    assert create(other_community_user, ids, "650102002001").status_code == 400
    assert create(other_community_user, ids).status_code == 404  # another community: out of scope, as unknown
    assert create(community_user, ids).status_code == 201
    assert "另一份公示草稿" in create(community_user, ids).json()["application_ids"][0]


def test_the_publication_date_cannot_be_in_the_future(community_user):
    ids = [ApplicationFactory(actor=community_user, state="pending_notice").pk]
    notice = create(community_user, ids).json()["id"]
    response = api_as(community_user).post(
        f"/api/v1/notices/{notice}/publish/", {"published_on": "2099-01-01"}, format="json"
    )
    assert response.status_code == 400 and "published_on" in response.json()


@time_machine.travel("2026-11-23 10:00 +0800", tick=False)
def test_closing_before_the_period_ends_is_refused(community_user):
    notice = NoticeFactory(actor=community_user, published_on=date(2026, 11, 20)).pk  # 20 (Fri), 23, 24 November
    response = api_as(community_user).post(f"/api/v1/notices/{notice}/close/")
    assert response.status_code == 409 and "2026-11-24" in response.json()["detail"]


@time_machine.travel("2026-11-23 10:00 +0800", tick=False)
def test_xinjiang_objections_upheld_and_dismissed(community_user):
    ids = [a.pk for a in ApplicationFactory.create_batch(3, actor=community_user, state="pending_notice")]
    notice = NoticeFactory(actor=community_user, applications=ids, published_on=date(2026, 11, 20)).pk
    client = api_as(community_user)
    objections = [
        client.post(
            f"/api/v1/notices/{notice}/objections/",
            {
                "application_id": app,
                "content": "有营业执照",
                "reporter_name": "李某",
                "reporter_contact": "13900000000",
            },
            format="json",
        ).json()["id"]
        for app in ids[:2]
    ]
    assert (
        client.post(
            f"/api/v1/objections/{objections[0]}/resolve/", {"upheld": True, "finding": "经核查属实"}, format="json"
        ).json()["state"]
        == "upheld"
    )
    assert client.post(f"/api/v1/notices/{notice}/close/").status_code == 409  # one still unverified
    with time_machine.travel("2026-11-25 09:00 +0800", tick=False):  # verified after the period, before closing
        assert (
            client.post(
                f"/api/v1/objections/{objections[1]}/resolve/", {"upheld": False, "finding": "不属实"}, format="json"
            ).json()["state"]
            == "dismissed"
        )
        assert client.post(f"/api/v1/notices/{notice}/close/").json()["state"] == "closed"
    # 第九条: an upheld objection still goes up to the township, with a negative initial opinion
    assert states(ids) == [State.TOWNSHIP_REVIEW] * 3
    upheld = Application.objects.get(pk=ids[0])
    assert list(upheld.opinions.values_list("stage", "decision")) == [("initial", "pass"), ("initial", "fail")]
    assert upheld.opinions.last().reason == "公示有异议，经核查属实：经核查属实"
    assert list(Application.objects.get(pk=ids[1]).opinions.values_list("decision", flat=True)) == ["pass"]


@time_machine.travel("2026-11-23 10:00 +0800", tick=False)
def test_jilin_upheld_objection_rejects(demo):
    community = User.objects.select_related("unit").get(username="jl_community")
    ids = [a.pk for a in ApplicationFactory.create_batch(2, actor=community, state="pending_notice")]
    notice = create(community, ids, "220102001001").json()["id"]
    client = api_as(community)
    client.post(f"/api/v1/notices/{notice}/publish/", {"published_on": "2026-11-23"}, format="json")
    objection = client.post(
        f"/api/v1/notices/{notice}/objections/", {"application_id": ids[0], "content": "在职"}, format="json"
    ).json()["id"]
    client.post(f"/api/v1/objections/{objection}/resolve/", {"upheld": True, "finding": "属实"}, format="json")
    with time_machine.travel("2026-11-26 09:00 +0800", tick=False):  # 23, 24, 25 November
        client.post(f"/api/v1/notices/{notice}/close/")
    assert states(ids) == [State.REJECTED, State.COUNTY_REVIEW]


@time_machine.travel("2026-11-23 10:00 +0800", tick=False)
def test_objections_only_during_the_period(community_user):
    ids = [ApplicationFactory(actor=community_user, state="pending_notice").pk]
    notice = NoticeFactory(actor=community_user, applications=ids, published_on=date(2026, 11, 20)).pk
    with time_machine.travel("2026-11-25 09:00 +0800", tick=False):
        response = api_as(community_user).post(
            f"/api/v1/notices/{notice}/objections/", {"application_id": ids[0], "content": "x"}, format="json"
        )
    assert response.status_code == 409


@time_machine.travel("2026-11-23 10:00 +0800", tick=False)
def test_the_sweep_closes_at_the_right_date_and_only_once(community_user):
    ids = [a.pk for a in ApplicationFactory.create_batch(2, actor=community_user, state="pending_notice")]
    notice = NoticeFactory(actor=community_user, applications=ids, published_on=date(2026, 11, 20)).pk
    assert sweeps.run_all(sweeps.today())["sweeps"]["close_ended_notices"]["closed"] == 0
    assert sweeps.run_all(date(2026, 11, 24))["sweeps"]["close_ended_notices"]["closed"] == 0  # last day
    first = sweeps.run_all(date(2026, 11, 25))
    assert first["sweeps"]["close_ended_notices"]["closed_ids"] == [notice]
    assert Notice.objects.get(pk=notice).state == NoticeState.CLOSED and states(ids) == [State.TOWNSHIP_REVIEW] * 2
    again = sweeps.run_all(date(2026, 11, 25))
    assert again["sweeps"]["close_ended_notices"]["closed"] == 0
    assert Application.objects.get(pk=ids[0]).log.filter(name="close_notice").count() == 1


def test_overdue_stages_are_notified_once(
    community_user, township_user, county_user, django_capture_on_commit_callbacks
):
    community_user.email = "zhang@example.org"
    community_user.save(update_fields=["email"])
    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):
        app = ApplicationFactory(actor=community_user, state="pending_notice").pk  # due 2026-11-25

    assert sweeps.run_all(date(2026, 11, 25))["sweeps"]["flag_overdue_stages"]["flagged"] == 0
    with django_capture_on_commit_callbacks(execute=True):  # the email copy leaves after the commit (outbox)
        summary = sweeps.run_all(date(2026, 11, 26))["sweeps"]["flag_overdue_stages"]
    assert summary == {"flagged": 1, "notifications": 1, "emails": 1, "sms": 0}
    note = Notification.objects.get()
    assert note.user == community_user and "超过办理期限" in note.body and note.url == f"/applications/{app}/"
    assert mail.outbox[0].to == ["zhang@example.org"]
    assert sweeps.run_all(date(2026, 11, 27))["sweeps"]["flag_overdue_stages"]["flagged"] == 0


def test_the_unread_count_is_in_the_header(client, community_user):
    Notification.objects.create(
        user=community_user, key="k", kind="overdue", title="办理超期提醒", body="申请超期", url="/queue/"
    )
    client.force_login(community_user)
    assert '<b class="badge">1</b>' in client.get("/queue/").content.decode()
    assert "申请超期" in client.get("/accounts/notifications/").content.decode()
    assert 'class="badge"' not in client.get("/queue/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_close_each_notice_once(demo):
    import threading

    community = User.objects.select_related("unit").get(username="xj_community")
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        ids = [a.pk for a in ApplicationFactory.create_batch(3, actor=community, state="pending_notice")]
        NoticeFactory(actor=community, applications=ids, state="published")
    barrier, results = threading.Barrier(2), []

    def worker():
        from django.db import connection

        try:
            barrier.wait()
            results.append(sweeps.run_all(date(2026, 11, 25)))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert all(r["ok"] for r in results), results
    assert sorted(r["sweeps"]["close_ended_notices"]["closed"] for r in results) == [0, 1]
    assert all(Application.objects.get(pk=i).log.filter(name="close_notice").count() == 1 for i in ids)


def test_full_id_numbers_never_reach_the_notice(community_user):
    applications = ApplicationFactory.create_batch(2, actor=community_user, state="pending_notice")
    notice = create(community_user, [a.pk for a in applications]).json()["id"]
    body = api_as(community_user).get(f"/api/v1/notices/{notice}/").content.decode()
    assert not any(a.applicant.id_number in body for a in applications)
