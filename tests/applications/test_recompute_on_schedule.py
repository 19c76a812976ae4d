"""DESIGN.md §4: dates computed on a provisional calendar are recomputed, and the change logged on
each case, once the year's official schedule is entered."""

import json

import time_machine
from django.core.management import call_command

from accounts.models import User
from applications.models import Application
from publicity.models import Notice
from tests.conftest import api_as
from tests.factories import ApplicationFactory

# A schedule unlike the provisional guess: 4 January 2027 is also a day off.
OFFICIAL_2027 = {
    "year": 2027,
    "notice": "国办发明电〔2026〕测试号",
    "holidays": [{"name": "元旦", "start": "2027-01-01", "end": "2027-01-04"}],
}


def enter_schedule(tmp_path, django_capture_on_commit_callbacks, schedule=OFFICIAL_2027):
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(schedule, ensure_ascii=False), encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_holidays", str(path))


def test_a_provisional_stage_deadline_is_recomputed_and_logged(demo, tmp_path, django_capture_on_commit_callbacks):
    jilin = User.objects.select_related("unit").get(username="jl_community")
    with time_machine.travel("2026-12-28 10:00 +0800", tick=False):  # Jilin 二(四): 10 working days
        application = ApplicationFactory(actor=jilin, state="initial_review")
    assert (str(application.stage_due_on), application.stage_due_provisional) == ("2027-01-12", True)
    enter_schedule(tmp_path, django_capture_on_commit_callbacks)
    application.refresh_from_db()
    assert (str(application.stage_due_on), application.stage_due_provisional) == ("2027-01-13", False)
    entry = application.log.get(name="recompute_deadline")
    assert entry.actor is None and entry.payload["before"]["due_date"] == "2027-01-12"
    assert entry.payload["after"] == {"due_date": "2027-01-13", "provisional": False, "notice_end": None}
    # entering the same schedule again changes nothing and logs nothing more
    enter_schedule(tmp_path, django_capture_on_commit_callbacks)
    assert application.log.filter(name="recompute_deadline").count() == 1


def test_a_provisional_notice_period_is_recomputed_with_its_applications(
    demo, tmp_path, django_capture_on_commit_callbacks
):
    jilin = User.objects.select_related("unit").get(username="jl_community")
    with time_machine.travel("2026-12-31 10:00 +0800", tick=False):
        ids = [ApplicationFactory(actor=jilin, state="pending_notice").pk]
        client = api_as(jilin)
        notice = client.post(
            "/api/v1/notices/",
            {
                "unit_code": "220102001001",
                "application_ids": ids,
                "supervision_phone": "0431-1234567",
                "contact_person": "李强",
                "agency_name": "南关区就业服务站",
            },
            format="json",
        ).json()["id"]
        published = client.post(f"/api/v1/notices/{notice}/publish/", {}, format="json").json()
    assert (published["period_end"], published["period_provisional"]) == ("2027-01-05", True)
    enter_schedule(tmp_path, django_capture_on_commit_callbacks)
    notice = Notice.objects.get(pk=notice)
    assert (str(notice.period_end), notice.period_provisional) == ("2027-01-06", False)
    application = Application.objects.get(pk=ids[0])
    assert str(application.notice_end) == "2027-01-06"
    assert application.log.get(name="recompute_deadline").payload["after"]["notice_end"] == "2027-01-06"


def test_a_regional_schedule_changes_only_its_province(demo, tmp_path, django_capture_on_commit_callbacks):
    jilin = User.objects.select_related("unit").get(username="jl_community")
    with time_machine.travel("2026-12-28 10:00 +0800", tick=False):
        app = ApplicationFactory(actor=jilin, state="initial_review")
    enter_schedule(tmp_path, django_capture_on_commit_callbacks, {**OFFICIAL_2027, "province": "65"})
    assert not app.log.filter(name="recompute_deadline").exists()
