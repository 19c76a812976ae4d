"""`schedule_entered`: sent once a year's official schedule is entered, so that other apps recompute the
dates they computed provisionally for that year (DESIGN.md §4)."""

import json
import logging

import pytest
from django.core.management import CommandError, call_command

from eligibility.models import OfficialYear
from eligibility.signals import schedule_entered

pytestmark = pytest.mark.django_db

SCHEDULE_2027 = {
    "year": 2027,
    "notice": "国办发明电〔2026〕测试号",
    "holidays": [{"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"}],
}


@pytest.fixture
def received():
    calls = []

    def receiver(sender, **kwargs):
        calls.append((sender, kwargs))

    schedule_entered.connect(receiver)
    yield calls
    schedule_entered.disconnect(receiver)


def import_file(tmp_path, schedule: dict) -> None:
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(schedule, ensure_ascii=False), encoding="utf-8")
    call_command("import_holidays", str(path))


@pytest.mark.parametrize(("extra", "province"), [({}, ""), ({"province": "65"}, "65")])
def test_an_import_sends_it_once_after_the_commit(
    tmp_path, received, django_capture_on_commit_callbacks, extra, province
):
    with django_capture_on_commit_callbacks() as callbacks:
        import_file(tmp_path, {**SCHEDULE_2027, **extra})
        assert received == []  # not before the schedule is committed
    for callback in callbacks:
        callback()
    assert received == [(OfficialYear, {"signal": schedule_entered, "year": 2027, "province": province})]


def test_a_refused_schedule_sends_nothing(tmp_path, received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CommandError):
        import_file(tmp_path, {**SCHEDULE_2027, "notice": ""})
    assert received == []


def test_the_admin_sends_it_when_an_official_year_is_saved(
    client, admin_user, received, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/eligibility/officialyear/add/", {"year": "2027", "province": "65", "notice": "测试通知"}
        )
    assert response.status_code == 302
    assert received == [(OfficialYear, {"signal": schedule_entered, "year": 2027, "province": "65"})]


def test_a_failing_receiver_is_logged_and_does_not_undo_the_import(
    tmp_path, received, django_capture_on_commit_callbacks, caplog
):
    def broken(sender, **kwargs):
        raise RuntimeError("重算失败")

    schedule_entered.connect(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True), caplog.at_level(logging.ERROR):
            import_file(tmp_path, SCHEDULE_2027)
    finally:
        schedule_entered.disconnect(broken)
    assert OfficialYear.objects.filter(year=2027, province="").exists()
    assert len(received) == 1  # the other receivers still ran
    assert "schedule_entered" in caplog.text and "重算失败" in caplog.text
