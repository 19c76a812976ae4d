"""What goes into the audit trail (DESIGN.md §9, API.md "Audit"): every transition in its own
transaction, identity checks, downloads of materials, forms, letters and notices, and every response
that shows staff a full ID number; nothing for a refused request."""

import pytest
from django.test import Client

from accounts.models import AuditEvent
from applications.identity import identity_verify_in_person
from tests.accounts.identity_helpers import register
from tests.conftest import api_as
from tests.exits.helpers import recognised
from tests.factories import ApplicationFactory, MaterialFactory, NoticeFactory

pytestmark = pytest.mark.django_db


def events(**filters) -> list[tuple]:
    return list(
        AuditEvent.objects.filter(**filters)
        .order_by("id")
        .values_list("actor__username", "action", "object_type", "object_id", "detail")
    )


def test_each_transition_is_recorded_with_its_states(community_user, township_user):
    app = ApplicationFactory(actor=community_user, state="initial_review")
    submitted = events(action="transition", object_id=str(app.pk))
    assert [(e[0], e[4]["name"], e[4]["to"]) for e in submitted] == [
        ("xj_community", "submit", "submitted"),
        ("xj_community", "accept", "initial_review"),
    ]
    response = api_as(community_user).post(
        f"/api/v1/applications/{app.pk}/transitions/fail_initial_review/", {"reason": "不符合"}, format="json"
    )
    assert response.status_code == 200
    actor, _, object_type, object_id, detail = events(action="transition")[-1]
    assert (actor, object_type, object_id) == ("xj_community", "application", str(app.pk))
    assert detail | {"log": None} == {
        "name": "fail_initial_review",
        "from": "initial_review",
        "to": "township_review",
        "log": None,
    }


def test_a_refused_transition_leaves_no_event(community_user, other_community_user):
    app = ApplicationFactory(actor=community_user, state="initial_review")
    before = AuditEvent.objects.count()
    missing_reason = api_as(community_user).post(f"/api/v1/applications/{app.pk}/transitions/fail_initial_review/", {})
    assert missing_reason.status_code == 400
    out_of_scope = api_as(other_community_user).post(f"/api/v1/applications/{app.pk}/transitions/pass_initial_review/")
    assert out_of_scope.status_code == 404
    assert AuditEvent.objects.count() == before


def test_exit_transitions_are_recorded_under_the_recognition(community_user, county_user):
    recognition = recognised()
    case = api_as(community_user).post(
        f"/api/v1/recognitions/{recognition.pk}/exits/", {"reason": "fraud", "note": "隐瞒收入"}, format="json"
    )
    assert case.status_code == 201, case.content
    assert api_as(county_user).post(f"/api/v1/exits/{case.json()['id']}/confirm/", {}, format="json").status_code == 200
    recorded = events(object_type="recognition", action="transition")
    assert [(e[0], e[4]["name"], e[4]["to"], e[4]["exit_case"]) for e in recorded] == [
        ("xj_community", "propose", "proposed", case.json()["id"]),
        ("xj_county", "confirm", "confirmed", case.json()["id"]),
    ]
    letter = api_as(county_user).get(f"/api/v1/exits/{case.json()['id']}/letter.pdf")
    assert letter.status_code == 200
    assert events(action="download")[-1][:4] == ("xj_county", "download", "recognition", str(recognition.pk))


def test_an_identity_check_is_recorded(community_user, demo):
    app = ApplicationFactory(actor=community_user)
    number = app.applicant.id_number
    assert register("本人", number, "13900001111").status_code == 201
    account = type(community_user).objects.get(username=number)
    identity_verify_in_person(officer=community_user, account_id=account.pk)
    actor, _, object_type, object_id, detail = events(action="verify_identity")[-1]
    assert (actor, object_type, object_id) == ("xj_community", "account", str(account.pk))
    assert detail["method"] == "in_person" and detail["takeover"] is False


def test_downloads_are_recorded_and_refusals_are_not(community_user, other_community_user):
    app = ApplicationFactory(actor=community_user)
    material = MaterialFactory(application=app, actor=community_user)
    client, web = api_as(community_user), Client()
    web.force_login(community_user)
    assert client.get(f"/api/v1/applications/{app.pk}/materials/{material.pk}/file").status_code == 200
    assert web.get(f"/applications/{app.pk}/materials/{material.pk}/file").status_code == 200
    assert client.get(f"/api/v1/applications/{app.pk}/approval-form.pdf").status_code == 200
    outsider = api_as(other_community_user)
    assert outsider.get(f"/api/v1/applications/{app.pk}/materials/{material.pk}/file").status_code == 404
    assert client.get(f"/api/v1/applications/{app.pk}/decision-letter.pdf").status_code == 409
    downloads = events(action="download")
    assert [(e[0], e[2], e[3], e[4]["document"]) for e in downloads] == [
        ("xj_community", "application", str(app.pk), "material"),
        ("xj_community", "application", str(app.pk), "material"),
        ("xj_community", "application", str(app.pk), "approval_form"),
    ]
    assert downloads[0][4]["material"] == material.pk


def test_a_decision_letter_download_is_recorded(community_user, township_user, county_user):
    app = ApplicationFactory(actor=community_user, state="approved")
    assert api_as(county_user).get(f"/api/v1/applications/{app.pk}/decision-letter.pdf").status_code == 200
    assert events(action="download")[-1][0::4] == ("xj_county", {"document": "decision_letter"})


def test_notice_pdf_downloads_by_staff_are_recorded(community_user):
    notice = NoticeFactory(actor=community_user, size=2, state="published")
    assert api_as(community_user).get(f"/api/v1/notices/{notice.pk}/pdf").status_code == 200
    web = Client()
    web.force_login(community_user)
    assert web.get(f"/staff/notices/{notice.pk}/pdf").status_code == 200
    assert [e[:4] for e in events(action="download")] == [("xj_community", "download", "notice", str(notice.pk))] * 2


def test_full_id_numbers_shown_to_staff_are_recorded(community_user, applicant):
    app = ApplicationFactory(actor=community_user, state="initial_review")
    client = api_as(community_user)
    assert client.get("/api/v1/applications/").status_code == 200  # masked: nothing recorded
    assert events(action="view_full_id") == []
    body = client.get(f"/api/v1/applications/{app.pk}/").json()
    assert body["applicant"]["id_number"] == app.applicant.id_number
    web = Client()
    web.force_login(community_user)
    assert app.applicant.id_number in web.get(f"/applications/{app.pk}/").content.decode()
    assert web.get(f"/applications/{app.pk}/edit/").status_code == 200
    assert [e[:4] for e in events(action="view_full_id")] == [
        ("xj_community", "view_full_id", "application", str(app.pk))
    ] * 3


def test_an_applicant_seeing_their_own_number_is_not_recorded(community_user, applicant):
    app = ApplicationFactory(actor=community_user, account=applicant)
    assert api_as(applicant).get(f"/api/v1/applications/{app.pk}/").status_code == 200
    assert events(action="view_full_id") == []


def test_the_identity_page_opened_from_a_case_is_recorded(community_user):
    app = ApplicationFactory(actor=community_user)
    web = Client()
    web.force_login(community_user)
    assert web.get(f"/accounts/identity/?application={app.pk}").status_code == 200
    assert [e[:4] for e in events(action="view_full_id")] == [
        ("xj_community", "view_full_id", "application", str(app.pk))
    ]
