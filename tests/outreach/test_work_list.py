"""The community's work list 推送名单待核实 (第十三条): consent before any application, decline, unreachable
(returned to the pushing unit), scope, and the whole path from a push to a recognition on both policies."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from applications.models import Application, Channel, State
from exits.models import Recognition
from outreach.models import PushedPerson, PushedState
from tests.conftest import api_as
from tests.factories import ApplicationFactory, _notice_over_by_today, _walk, on, provide_materials, staff
from tests.outreach.helpers import push, row

pytestmark = pytest.mark.django_db


def pushed(unit_code="650102001001", pusher="xj_province", **facts) -> PushedPerson:
    response = push(staff(pusher), [row(unit_code=unit_code, **facts)])
    assert response.json()["pushed"] == 1, response.json()
    return PushedPerson.objects.latest("id")


def consent(user, person, **body):
    body = {"method": "in_person", "note": "本人当面同意并签字。", **body}
    return api_as(user).post(f"/api/v1/pushed-persons/{person.pk}/consent/", body, format="json")


def test_consent_creates_a_proactive_application_through_the_intake(community_user):
    person = pushed()

    response = consent(community_user, person)

    assert response.status_code == 201, response.json()
    application = Application.objects.get(pk=response.json()["application_id"])
    assert application.channel == Channel.PROACTIVE and application.consent_recorded
    assert application.state == State.SUBMITTED and application.applicant.id_number == person.id_number
    assert application.log.get().name == "submit"  # the same intake as every other application
    person.refresh_from_db()
    assert person.state == PushedState.CONSENTED and person.application == application
    assert (person.outcome_by, person.consent_method) == (community_user, "in_person") and person.outcome_at
    again = consent(community_user, person)
    assert again.status_code == 409
    assert Application.objects.count() == 1


def test_nothing_is_applied_for_without_recorded_consent(community_user):
    person = pushed()

    assert consent(community_user, person, method="").status_code == 400
    assert consent(community_user, person, method="nodded").status_code == 400
    assert not Application.objects.exists()
    person.refresh_from_db()
    assert person.state == PushedState.PENDING
    other = ApplicationFactory(actor=community_user)
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses it too
        PushedPerson.objects.filter(pk=person.pk).update(state=PushedState.CONSENTED, application=other)


def test_only_the_receiving_unit_records_an_outcome(township_user, other_community_user, community_user):
    person = pushed()

    assert consent(other_community_user, person).status_code == 404  # out of scope
    assert consent(township_user, person).status_code == 403  # sees it, but the community verifies
    assert api_as(township_user).get("/api/v1/pushed-persons/").json()["count"] == 1
    assert api_as(other_community_user).get("/api/v1/pushed-persons/").json()["count"] == 0
    assert not Application.objects.exists()


def test_decline_and_unreachable_need_a_reason_and_return_to_the_pushing_unit(community_user, province_user):
    declined, gone = pushed(), pushed()
    client = api_as(community_user)

    assert client.post(f"/api/v1/pushed-persons/{declined.pk}/decline/", {"reason": " "}).status_code == 400
    ok = client.post(f"/api/v1/pushed-persons/{declined.pk}/decline/", {"reason": "本人已在企业务工，不愿申报。"})
    assert ok.status_code == 200 and ok.json()["state"] == "declined"
    back = client.post(f"/api/v1/pushed-persons/{gone.pk}/unreachable/", {"reason": "已搬离本社区半年。"})
    assert back.status_code == 200 and back.json()["state"] == "unreachable"
    assert client.post(f"/api/v1/pushed-persons/{gone.pk}/decline/", {"reason": "x"}).status_code == 409

    listed = api_as(province_user).get("/api/v1/pushed-persons/?state=unreachable").json()
    assert [p["id"] for p in listed["results"]] == [gone.pk]
    assert listed["results"][0]["note"] == "已搬离本社区半年。"
    assert not Application.objects.exists()


def test_the_work_list_masks_ids_and_keeps_its_query_count(community_user, django_assert_num_queries):
    client = api_as(community_user)
    push(staff("xj_province"), [row() for _ in range(2)])
    client.get("/api/v1/pushed-persons/?state=pending")  # warm: the user's unit

    with django_assert_num_queries(2):  # count, page
        body = client.get("/api/v1/pushed-persons/?state=pending").json()
    push(staff("xj_province"), [row() for _ in range(8)])
    with django_assert_num_queries(2):
        more = client.get("/api/v1/pushed-persons/?state=pending").json()

    assert body["count"] == 2 and more["count"] == 10
    first = more["results"][0]
    assert set(first) >= {"id", "name", "id_number", "unit_code", "eligibility", "due_on", "state"}
    assert "*" in first["id_number"] and first["eligibility"]["categories"][0]["article"]
    assert client.get("/api/v1/pushed-persons/?state=nonsense").status_code == 400


@pytest.mark.parametrize(
    ("unit_code", "pusher", "community"),
    [("650102001001", "xj_province", "xj_community"), ("220102001001", "jl_province", "jl_community")],
)
def test_the_whole_path_from_a_push_to_a_recognition(demo, unit_code, pusher, community):
    officer = staff(community)
    with on(_notice_over_by_today(unit_code)):  # the notice's period is over by today
        person = pushed(unit_code, pusher)
        application = Application.objects.get(pk=consent(officer, person).json()["application_id"])
        provide_materials(application, officer)
        application = _walk(application, to=State.PUBLIC_NOTICE, actor=officer, passed=True)
    application = _walk(application, to=State.APPROVED, actor=officer, passed=True)

    recognition = Recognition.objects.get(application=application)
    assert recognition.active and recognition.policy_code == person.policy_code
    figures = api_as(staff(pusher)).get("/api/v1/outreach/conversion/").json()
    assert figures["total"] == {"pushed": 1, "contacted": 1, "consented": 1, "applied": 1, "recognised": 1}
    assert figures["by_child_unit"][0]["recognised"] == 1
    stats = api_as(staff(pusher)).get("/api/v1/stats/").json()  # the oversight API's outreach block
    assert stats["outreach"] == figures["total"]
    assert [r["outreach_recognised"] for r in stats["by_child_unit"] if r["outreach_pushed"]] == [1]
    dashboard = Client()
    dashboard.force_login(staff(pusher))
    assert "推送名单转化（第十三条）" in dashboard.get("/dashboard/").text
