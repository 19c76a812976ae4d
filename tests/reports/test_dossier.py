"""一人一册 (issue 11 item 8): one person's whole file as one PDF — a rejected application and a later approved one,
the notice with its objection, the recognition with plan, services, subsidy and an exit; a cover and a table of
contents; the full ID number for county level and above only; scoped (404 out of scope or for applicants); audited;
a fixed number of queries whatever the history's length."""

import os
import subprocess
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.idnumber import mask, mask_name
from accounts.models import AuditEvent
from exits.models import Recognition
from exits.services import exit_propose, exit_transition, plan_put, service_record, subsidy_record
from reports.dossier import dossier_for
from tests.conftest import api_as
from tests.factories import ApplicationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def text_of(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return out.decode()


def long_history(community, county, services=1):
    """A person rejected once, then approved, assisted and exited."""
    person = PersonFactory()
    ApplicationFactory(actor=community, person=person, state="rejected", passed=False)
    approved = ApplicationFactory(actor=community, person=person, state="approved")
    recognition = Recognition.objects.get(application=approved)
    today = timezone.localdate()
    plan_put(
        actor=community,
        recognition_id=recognition.pk,
        needs=["job"],
        steps="推荐岗位三次",
        officer="张敏",
        review_on=None,
    )
    for _ in range(services):
        service_record(actor=community, recognition_id=recognition.pk, kind="contact", day=today, outcome="accepted")
    subsidy_record(actor=county, recognition_id=recognition.pk, kind="social_insurance", start=today, end=None)
    case = exit_propose(actor=community, recognition_id=recognition.pk, reason="enrolled_in_school", effective_on=today)
    exit_transition(case_id=case.pk, name="confirm", actor=county)
    return approved.applicant


def test_a_county_officer_prints_the_whole_file_with_the_full_id(community_user, county_user):
    person = long_history(community_user, county_user)
    response = api_as(county_user).get(f"/api/v1/persons/{person.pk}/dossier.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    if path := os.environ.get("DOSSIER_PDF"):  # to look at it: pdftoppm -png -r 60
        with open(path, "wb") as f:
            f.write(response.content)
    text = text_of(response.content)
    flat = "".join(text.split())
    pages = text.split("\f")
    assert "就业困难人员档案" in pages[0] and person.id_number in pages[0]  # the cover
    assert "目录" in "".join(pages[1].split())
    for expected in [
        "认定申请（1）", "认定申请（2）", "不通过", "审批意见", "低保人员（第五条(二)）", "公示与异议",
        "办理过程", "援助方案", "推荐岗位三次", "跟踪联系", "社会保险补贴", "已取消认定", "第2页共",
    ]:  # fmt: skip
        assert expected in flat, expected
    name = unquote(response["Content-Disposition"].split("filename*=UTF-8''")[1])
    assert name == f"就业困难人员档案（一人一册）-{mask_name(person.name)}.pdf"
    events = AuditEvent.objects.filter(actor=county_user, object_type="person", object_id=str(person.pk))
    assert sorted(events.values_list("action", flat=True)) == ["download", "view_full_id"]


def test_community_staff_get_the_id_masked_and_the_download_is_audited(community_user, county_user):
    person = long_history(community_user, county_user)
    community_user.refresh_from_db()
    text = text_of(api_as(community_user).get(f"/api/v1/persons/{person.pk}/dossier.pdf").content)
    assert person.id_number not in text and mask(person.id_number) in text
    events = AuditEvent.objects.filter(actor=community_user, object_type="person", object_id=str(person.pk))
    assert list(events.values_list("action", flat=True)) == ["download"]


def test_out_of_scope_and_applicants_find_nothing(client, community_user, county_user, other_county_user, applicant):
    person = ApplicationFactory(actor=community_user, state="approved").applicant
    assert api_as(other_county_user).get(f"/api/v1/persons/{person.pk}/dossier.pdf").status_code == 404
    assert api_as(applicant).get(f"/api/v1/persons/{person.pk}/dossier.pdf").status_code == 404
    assert api_as(county_user).get("/api/v1/persons/999999/dossier.pdf").status_code == 404
    client.force_login(other_county_user)
    assert client.get(f"/persons/{person.pk}/dossier.pdf").status_code == 404
    client.force_login(county_user)
    application = person.applications.get()
    assert f"/persons/{person.pk}/dossier.pdf" in client.get(f"/applications/{application.pk}/").content.decode()
    recognition = person.recognitions.get()
    assert f"/persons/{person.pk}/dossier.pdf" in client.get(f"/recognitions/{recognition.pk}/").content.decode()
    page = client.get(f"/persons/{person.pk}/dossier.pdf")
    assert page.status_code == 200 and page.content.startswith(b"%PDF")
    assert not AuditEvent.objects.filter(actor=other_county_user).exists()


def test_the_queries_do_not_grow_with_the_history(community_user, county_user):
    short = ApplicationFactory(actor=community_user, state="approved").applicant
    long = long_history(community_user, county_user, services=5)
    counts = []
    for person in (short, long):
        with CaptureQueriesContext(connection) as queries:
            dossier_for(county_user, person.pk)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 14
