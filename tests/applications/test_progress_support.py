"""Cases for the progress and decision-letter tests, built through the services the way officers
build them (applications.services.application_create, material_upload, workflow.application_transition),
on frozen days. No tests here."""

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts import idnumber
from accounts.models import User
from applications.models import Application
from applications.services import application_create, material_upload
from applications.workflow import application_transition
from eligibility import workdays
from eligibility.facts import Facts

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
DIBAO = {
    "female_original_retirement_age": 50,
    "local_resident": True,
    "local_hukou": True,
    "urban": True,
    "able_to_work": True,
    "willing_to_work": True,
    "unemployment_registered_on": date(2024, 1, 2),
    "receiving_dibao": True,
}


def make_id(region: str, birth: date, sex: str = "F", seq: int = 12) -> str:
    first17 = f"{region}{birth:%Y%m%d}{seq:02d}{1 if sex == 'M' else 2}"
    return first17 + idnumber.check_digit(first17)


def user(username: str) -> User:
    return User.objects.select_related("unit").get(username=username)


@contextmanager
def on(day: date, hour: int = 10):
    moment = timezone.make_aware(datetime.combine(day, time(hour)))
    with time_machine.travel(moment, tick=False):
        yield


def receive(actor: User, *, unit_code: str, name: str, id_number: str, facts: dict | None = None) -> Application:
    return application_create(
        actor=actor,
        unit_code=unit_code,
        channel="online" if actor.is_applicant else "offline",
        applicant={"name": name, "phone": "13800000001", "address": "东风路1号"},
        facts=Facts(id_number=id_number, **{**DIBAO, **(facts or {})}),
        commitments=["truthfulness"],
    )


def upload_all(actor: User, application: Application) -> None:
    for code in application.missing_required_materials():
        material_upload(
            actor=actor, application=application, kind=code, upload=SimpleUploadedFile("s.png", PNG, "image/png")
        )


def act(application: Application, name: str, actor: User | None, **kwargs) -> Application:
    return application_transition(application_id=application.pk, name=name, actor=actor, **kwargs)


def notice(application: Application, actor: User, published_on: date, *, upheld_finding: str = "") -> Application:
    """Publish on `published_on`, close the day after the period (as the sweep would)."""
    period = workdays.notice_period(published_on)
    with on(published_on):
        act(application, "publish", actor, notice_period=period)
    with on(period.end + timedelta(days=1)):
        reason = f"公示有异议，经核查属实：{upheld_finding}" if upheld_finding else ""
        return act(application, "close_notice", actor, objection_upheld=bool(upheld_finding), reason=reason)


def fresh(application: Application) -> Application:
    return Application.objects.select_related("applicant", "unit", "handling_unit").get(pk=application.pk)
