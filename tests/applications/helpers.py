"""Building applications through the real services and API, as users would."""

from datetime import timedelta

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications import workflow
from applications.models import Application
from eligibility import workdays
from tests.conftest import api_as

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

XJ_PERSON = {"name": "阿依努尔", "id_number": "650102197901011235", "phone": "13800000001", "address": "东风路1号"}
JL_PERSON = {"name": "王丽", "id_number": "220102197901011235", "phone": "13800000002", "address": "永吉街2号"}
FACTS = {
    "female_original_retirement_age": 50,  # asked of women (DESIGN.md §3); men's applications ignore it
    "local_resident": True,
    "local_hukou": True,
    "urban": True,
    "able_to_work": True,
    "willing_to_work": True,
    "unemployment_registered_on": "2024-01-02",
    "receiving_dibao": True,
}


def png(name="scan.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def submit(user, *, unit_code="650102001001", person=XJ_PERSON, facts=None, **extra):
    body = {
        "unit_code": unit_code,
        "channel": "offline",
        "applicant": person,
        "facts": {**FACTS, **(facts or {})},
        "commitments": ["truthfulness"],
        **extra,
    }
    return api_as(user).post("/api/v1/applications/", body, format="json")


def provide_materials(user, application_id):
    client = api_as(user)
    detail = client.get(f"/api/v1/applications/{application_id}/").json()
    for item in detail["required_materials"]:
        if not item["provided"]:
            response = client.post(
                f"/api/v1/applications/{application_id}/materials/",
                {"kind": item["code"], "file": png()},
                format="multipart",
            )
            assert response.status_code == 201, response.json()


def act(user, application_id, name, **body):
    return api_as(user).post(f"/api/v1/applications/{application_id}/transitions/{name}/", body, format="json")


def publish_and_close(handling_user, application_id, *, objection_upheld=False):
    """The notice step (its batches arrive with the publicity issue) through the same service."""
    today = timezone.localdate()
    period = workdays.notice_period(today)
    workflow.application_transition(
        application_id=application_id, name="publish", actor=handling_user, notice_period=period
    )
    with time_machine.travel(
        timezone.make_aware(timezone.datetime.combine(period.end + timedelta(days=1), timezone.datetime.min.time()))
    ):
        workflow.application_transition(
            application_id=application_id, name="close_notice", actor=handling_user, objection_upheld=objection_upheld
        )
    return Application.objects.get(pk=application_id)


def received(user, **kwargs) -> int:
    response = submit(user, **kwargs)
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def accepted(user, **kwargs) -> int:
    application_id = received(user, **kwargs)
    provide_materials(user, application_id)
    assert act(user, application_id, "accept").status_code == 200
    return application_id
