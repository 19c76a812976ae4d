import json
from datetime import date, timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.utils import timezone

from config import sweeps
from config.celery import app
from config.tasks import run_sweeps_task


@pytest.fixture
def failing_sweep():
    @sweeps.register("always_fails_for_test")
    def always_fails(as_of):
        raise RuntimeError("boom")

    yield
    sweeps._registry.pop("always_fails_for_test")


def make_session(expires_in_days: int) -> str:
    store = SessionStore()
    store.set_expiry(timedelta(days=expires_in_days))
    store.create()
    return store.session_key


def test_it_discovers_sweeps_registered_by_apps():
    assert "clear_expired_sessions" in sweeps.registered()


def test_it_refuses_two_sweeps_with_one_name():
    with pytest.raises(ValueError, match="twice"):
        sweeps.register("clear_expired_sessions")(lambda as_of: {})


def test_it_clears_expired_sessions_once(db):
    old, fresh = make_session(-3), make_session(3)
    first = sweeps.run_all(timezone.localdate())
    assert first["ok"] and first["sweeps"]["clear_expired_sessions"] == {"deleted": 1}
    assert set(Session.objects.values_list("session_key", flat=True)) == {fresh}
    assert old != fresh
    second = sweeps.run_all(timezone.localdate())
    assert second["sweeps"]["clear_expired_sessions"] == {"deleted": 0}


def test_it_honours_as_of(db):
    make_session(3)
    assert sweeps.run_all(timezone.localdate())["sweeps"]["clear_expired_sessions"] == {"deleted": 0}
    later = timezone.localdate() + timedelta(days=5)
    assert sweeps.run_all(later)["sweeps"]["clear_expired_sessions"] == {"deleted": 1}


def test_it_prints_a_json_summary_last(db, capsys):
    make_session(-1)
    call_command("run_sweeps", "--as-of", "2099-01-01")
    last = capsys.readouterr().out.strip().splitlines()[-1]
    summary = json.loads(last)
    assert summary["as_of"] == "2099-01-01" and summary["ok"] is True
    assert summary["sweeps"]["clear_expired_sessions"]["deleted"] == 1


def test_it_keeps_going_when_one_sweep_fails(db, capsys, failing_sweep):
    make_session(-1)
    with pytest.raises(CommandError, match="always_fails_for_test"):
        call_command("run_sweeps", "--as-of", "2099-01-01")
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["failed"] == ["always_fails_for_test"]
    assert summary["sweeps"]["always_fails_for_test"]["error"] == "RuntimeError: boom"
    assert summary["sweeps"]["clear_expired_sessions"] == {"deleted": 1}


def test_it_refuses_a_bad_date(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("run_sweeps", "--as-of", "2026-02-30")


def test_it_runs_the_same_sweeps_from_celery(db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    try:
        result = run_sweeps_task.delay(as_of="2099-01-01").get()
    finally:
        app.conf.task_always_eager = False
    assert result["as_of"] == "2099-01-01" and "clear_expired_sessions" in result["sweeps"]


def test_it_schedules_the_sweeps_daily_on_beat():
    entry = app.conf.beat_schedule["run-sweeps-daily"]
    assert entry["task"] == run_sweeps_task.name
    assert run_sweeps_task.name in app.tasks
    assert entry["schedule"].hour == {0}


def test_it_uses_china_time_for_today(settings):
    assert sweeps.today() == timezone.localdate()
    assert isinstance(sweeps.today(), date)
