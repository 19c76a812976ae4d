"""A withdrawn line does not hold a notice back, and a notice cannot be backdated (第九条: 3 working days)."""

from datetime import date

import time_machine

from applications.models import Application, State
from config import sweeps
from publicity.models import Notice, NoticeState
from tests.applications.helpers import act
from tests.conftest import api_as
from tests.factories import ApplicationFactory, NoticeFactory
from tests.publicity.test_notices import create


@time_machine.travel("2026-11-23 10:00 +0800", tick=False)
def test_a_notice_with_a_withdrawn_line_closes_for_the_others(community_user, client):
    applications = ApplicationFactory.create_batch(2, actor=community_user, state="pending_notice")
    ids = [a.pk for a in applications]
    notice = NoticeFactory(actor=community_user, applications=ids, published_on=date(2026, 11, 23)).pk  # 23-25 Nov
    assert act(community_user, ids[0], "withdraw", reason="申请人已就业。").status_code == 200
    line = Notice.objects.get(pk=notice).lines.get(application_id=ids[0])
    assert line.withdrawn_on is not None
    with time_machine.travel("2026-11-26 09:00 +0800", tick=False):
        objection = api_as(community_user).post(
            f"/api/v1/notices/{notice}/objections/", {"application_id": ids[0], "content": "x"}, format="json"
        )
        assert objection.status_code in (400, 409)
        summary = sweeps.run_all(sweeps.today())["sweeps"]["close_ended_notices"]
    assert summary["closed_ids"] == [notice] and summary["problems"] == []
    assert Notice.objects.get(pk=notice).state == NoticeState.CLOSED
    assert [Application.objects.get(pk=i).state for i in ids] == [State.WITHDRAWN, State.TOWNSHIP_REVIEW]
    # the withdrawn person no longer appears on the public page
    page = client.get(f"/notices/{notice}/").content.decode()
    assert applications[0].applicant.name not in page and applications[1].applicant.name in page


@time_machine.travel("2026-11-23 10:00 +0800", tick=False)
def test_the_close_endpoint_closes_with_a_withdrawn_line(community_user):
    ids = [a.pk for a in ApplicationFactory.create_batch(2, actor=community_user, state="pending_notice")]
    notice = NoticeFactory(actor=community_user, applications=ids, published_on=date(2026, 11, 23)).pk
    act(community_user, ids[1], "withdraw", reason="本人申请撤回。")
    with time_machine.travel("2026-11-26 09:00 +0800", tick=False):
        response = api_as(community_user).post(f"/api/v1/notices/{notice}/close/")
    assert response.status_code == 200 and response.json()["state"] == "closed"


@time_machine.travel("2026-11-23 10:00 +0800", tick=False)
def test_a_draft_with_a_withdrawn_line_publishes_the_rest(community_user):
    ids = [a.pk for a in ApplicationFactory.create_batch(2, actor=community_user, state="pending_notice")]
    notice = create(community_user, ids).json()["id"]
    act(community_user, ids[0], "withdraw", reason="本人申请撤回。")
    response = api_as(community_user).post(f"/api/v1/notices/{notice}/publish/", {}, format="json")
    assert response.status_code == 200
    assert [Application.objects.get(pk=i).state for i in ids] == [State.WITHDRAWN, State.PUBLIC_NOTICE]


@time_machine.travel("2026-11-23 10:00 +0800", tick=False)
def test_a_notice_cannot_be_backdated(community_user):
    notice = create(community_user, [ApplicationFactory(actor=community_user, state="pending_notice").pk]).json()["id"]
    client = api_as(community_user)
    response = client.post(f"/api/v1/notices/{notice}/publish/", {"published_on": "2026-10-24"}, format="json")
    assert response.status_code == 400 and "2026-11-23" in response.json()["published_on"][0]
    assert Notice.objects.get(pk=notice).state == NoticeState.DRAFT
    assert (
        client.post(f"/api/v1/notices/{notice}/publish/", {"published_on": "2026-11-23"}, format="json").json()[
            "period_end"
        ]
        == "2026-11-25"
    )


def test_absurd_numbers_are_a_400_or_404_not_a_500(community_user):
    huge = 10**30
    response = create(community_user, [huge])
    assert response.status_code == 400 and "application_ids" in response.json()
    client = api_as(community_user)
    assert client.get(f"/api/v1/applications/{huge}/").status_code == 404
    assert client.get(f"/api/v1/notices/{huge}/").status_code == 404
    assert client.post("/api/v1/notices/1/objections/", {"application_id": huge, "content": "x"}).status_code == 404


def test_absurd_numbers_in_forms_are_refused_quietly(client, community_user, county_user):
    huge = str(10**30)
    client.force_login(county_user)
    response = client.post("/queue/bulk/", {"ids": [huge], "name": "county_approve", "opinion": ""}, follow=True)
    assert response.status_code == 400 and "请先勾选申请，再选择操作。" in response.content.decode()
    client.force_login(community_user)
    form = {"application_ids": [huge], "supervision_phone": "1", "contact_person": "张", "agency_name": "站"}
    assert client.post("/staff/notices/", form).status_code == 200
    notice = create(community_user, [ApplicationFactory(actor=community_user, state="pending_notice").pk]).json()["id"]
    response = client.post(f"/staff/notices/{notice}/resolve/", {"objection_id": huge})
    assert response.status_code == 404


@time_machine.travel("2026-11-23 10:00 +0800", tick=False)
def test_a_notice_the_sweep_cannot_close_is_reported_not_hidden(community_user):
    ids = [ApplicationFactory(actor=community_user, state="pending_notice").pk]
    notice = NoticeFactory(actor=community_user, applications=ids, published_on=date(2026, 11, 23)).pk
    Application.objects.filter(pk=ids[0]).update(state=State.COUNTY_REVIEW)  # moved out of band
    with time_machine.travel("2026-11-26 09:00 +0800", tick=False):
        run = sweeps.run_all(sweeps.today())
    summary = run["sweeps"]["close_ended_notices"]
    assert summary["closed_ids"] == [] and summary["problems"][0]["notice_id"] == notice
    assert "不能执行" in summary["problems"][0]["reason"]
    assert run["ok"] is False and run["attention"] == ["close_ended_notices"]
