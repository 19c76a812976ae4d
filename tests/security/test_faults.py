"""Faults (issue 12, proof 3).

(a) Redis stopped — a real redis-server of the test's own holding the Celery broker and the cache — and
transitions through `application_transition` and the API still commit, with their log entries and the
applicant's message and its SMS / email copies (the outbox); once Redis is back, a Celery worker, the
beat task and the outbox sweep all race to send, and each copy reaches the SMS gateway and the mail
outbox exactly once.

(b) A sweep killed halfway resumes: `manage.py run_sweeps` in a subprocess against this test's own
database (a file on SQLite, the test database on PostgreSQL) with a backlog of overdue stages whose
notices go out by SMS, SIGKILLed once some of its messages are out, then run again (two at once); the
end state equals that of one uninterrupted run over a copy of the same database, every message reached
a phone once, and `manage.py verify_logs` is clean. A message the gateway took just before the kill and
whose row was not yet marked sent is handed over again with the same key, which the gateway drops
(accounts.sms, accounts.outbox): at most one such repeat per killed sender.

FAULTS_FULL=1 (`make faults`) runs (b) with a larger backlog."""

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accounts.models import IdentityMethod, Notification, OutboxMessage, OutboxState, Role, User
from accounts.outbox import outbox_deliver
from accounts.tasks import deliver_outbox, deliver_outbox_due
from applications.models import OverdueReminder, State, TransitionLog
from applications.workflow import application_transition
from config import sweeps
from config.celery import app
from tests.conftest import api_as
from tests.factories import ApplicationFactory, PersonFactory
from tests.redis_server import celery_broker, forget_broker_connections
from tests.security import fault_tools
from tests.security.fault_tools import read_gateway_file

pytestmark = pytest.mark.django_db(transaction=True)
needs_redis_server = pytest.mark.skipif(shutil.which("redis-server") is None, reason="no redis-server")
FULL = bool(os.environ.get("FAULTS_FULL"))
REPO = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------------------------------------- (a)


@pytest.fixture
def redis_stack(redis_server, settings):
    """Broker and cache on our own Redis, as settings configure them with REDIS_URL; the SMS gateway
    and the mail outbox count what they are handed."""
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.FailoverRedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.SMS_BACKEND = "tests.security.fault_tools.SlowLocmemGateway"
    settings.OUTBOX_BATCH = 2  # senders claim two rows at a time: they take turns, not one sender all
    fault_tools.handed.clear()
    with celery_broker(redis_server.url):
        yield redis_server
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def applicant_account(n: int) -> User:
    """A verified applicant with a mobile number and an email address: two copies of each message."""
    person = PersonFactory()
    user = User.objects.create_user(
        username=person["id_number"],
        password="applicant-pass-2025",
        role=Role.APPLICANT,
        full_name=person["name"],
        phone=f"1390000{n:04d}",
        email=f"a{n}@example.cn",
        identity_verified_at=timezone.now(),
        identity_method=IdentityMethod.IN_PERSON,
    )
    user.id_number = user.username
    user.save(update_fields=["id_number"])
    return user


@needs_redis_server
def test_with_redis_down_transitions_commit_and_each_message_is_delivered_once_when_it_is_back(
    redis_stack, community_user
):
    from celery.contrib.testing.worker import start_worker

    cases = [
        ApplicationFactory(actor=community_user, account=applicant_account(n), state=State.INITIAL_REVIEW)
        for n in range(6)
    ]
    mail.outbox.clear()
    fault_tools.handed.clear()
    OutboxMessage.objects.update(state=OutboxState.SENT)  # what intake sent before the outage is not counted
    log_before = {c.pk: c.log.count() for c in cases}

    redis_stack.stop()
    started = time.monotonic()
    for case in cases[:3]:  # the service, as the browser and admin actions call it
        application_transition(application_id=case.pk, name="pass_initial_review", actor=community_user)
    api = api_as(community_user)
    for case in cases[3:]:  # the API
        answer = api.post(f"/api/v1/applications/{case.pk}/transitions/pass_initial_review/", {}, format="json")
        assert answer.status_code == 200, answer.content
    assert time.monotonic() - started < 30  # each enqueue gives up after a short retry

    for case in cases:  # committed: state, log entry, message and its two copies, none sent
        case.refresh_from_db()
        assert case.state == State.PENDING_NOTICE
        assert case.log.count() == log_before[case.pk] + 1
        assert case.log.last().name == "pass_initial_review"
    pending = OutboxMessage.objects.filter(state=OutboxState.PENDING)
    assert pending.count() == 12 and not fault_tools.handed and not mail.outbox
    ids = list(pending.values_list("pk", flat=True))
    call_command("verify_logs", stdout=io.StringIO())  # raises on a broken chain

    redis_stack.start()
    forget_broker_connections()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"):
        # senders at once: the task a transition would have queued, beat's task, the sweep, two more
        deliver_outbox.delay(ids)
        deliver_outbox_due.delay()
        racers = [threading.Thread(target=outbox_deliver) for _ in range(2)]
        for racer in racers:
            racer.start()
        summary = sweeps.run_all(timezone.localdate())["sweeps"]["outbox_deliver"]
        for racer in racers:
            racer.join()
        wait_for(lambda: not OutboxMessage.objects.exclude(state=OutboxState.SENT).exists())
        time.sleep(0.5)  # anything still queued in the worker would send now
    assert "error" not in summary

    copies = OutboxMessage.objects.filter(pk__in=ids).select_related("notification__user")
    assert {c.state for c in copies} == {OutboxState.SENT}
    keys = Counter(m.key for m in fault_tools.handed)
    assert keys == Counter({f"outbox-{c.pk}": 1 for c in copies if c.channel == "sms"})  # once each, no repeat
    emails = Counter((tuple(m.to), m.body) for m in mail.outbox)
    expected = Counter(((c.notification.user.email,), c.notification.body) for c in copies if c.channel == "email")
    assert emails == expected and len(emails) == 6


def wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


# ---------------------------------------------------------------------------------------------- (b)

BACKLOG = (60, 30) if FULL else (16, 14)  # overdue cases, extra staff with a phone in their community


def database_url(name: str) -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def copy_database(name: str) -> str:
    """A copy of the test database as it is now (committed), for the uninterrupted reference run."""
    source = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        import sqlite3

        target = f"{source}.reference"
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return target
    target = f"{source}_reference"[:63]
    connection.close()  # a template database may have no other session
    with connection._nodb_cursor() as cursor:
        # nor one left by an earlier test's threads (their connections end with the thread's garbage
        # collection, not with the test): CREATE DATABASE … TEMPLATE refuses while any is open
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [source],
        )
        cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')
        cursor.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    return target


def drop_database(name: str) -> None:
    if connection.vendor == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
    else:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def manage(db: str, gateway: Path, *args: str, wait: bool = True):
    """`manage.py` in a subprocess against `db`, with Celery tasks run in the process (as a worker
    would run them) and the SMS gateway writing to `gateway`."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "TEST_DB_NAME")}
    env.update(
        DATABASE_URL=database_url(db),
        SECRET_KEY=django_settings.SECRET_KEY,
        LOG_CHAIN_KEY=django_settings.LOG_CHAIN_KEY,
        CELERY_TASK_ALWAYS_EAGER="1",
        SMS_BACKEND="tests.security.fault_tools.FileGateway",
        SMS_GATEWAY_FILE=str(gateway),
        OUTBOX_BATCH="20",
        OUTBOX_CLAIM_SECONDS="2",  # a killed sender's claims are taken back after 2 s (default 600)
    )
    command = [sys.executable, "manage.py", *args]
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if not wait:
        return process
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, f"{' '.join(args)}: {out[-2000:]}{err[-2000:]}"
    return out


def dump(db: str, gateway: Path) -> dict:
    out = manage(db, gateway, "shell", "-c", "from tests.security.fault_tools import print_state; print_state()")
    return json.loads(out.strip().splitlines()[-1])


def delivered(run: dict, gateway: Path) -> tuple[Counter, int]:
    """What reached phones, by (user, message key), and how many hand-overs the gateway dropped."""
    lines = read_gateway_file(gateway)
    reached = Counter(tuple(run["keys"][line["key"]]) for line in lines if line["status"] == "new")
    return reached, sum(line["status"] == "repeat" for line in lines)


def test_a_sweep_killed_halfway_resumes_to_the_state_of_one_uninterrupted_run(community_user, tmp_path):
    cases, extra_staff = BACKLOG
    for _ in range(cases):
        ApplicationFactory(actor=community_user, state=State.INITIAL_REVIEW)
    User.objects.bulk_create(
        User(username=f"dongfeng{n}", role=Role.COMMUNITY, unit_id=community_user.unit_id, phone=f"1370000{n:04d}")
        for n in range(extra_staff)
    )
    OutboxMessage.objects.update(state=OutboxState.SENT)  # the intake's own messages are not the backlog
    recipients = User.objects.filter(unit_id=community_user.unit_id, is_active=True).exclude(phone="").count()
    backlog = cases * recipients  # one overdue notice by SMS per case and officer
    as_of = (timezone.localdate() + timedelta(days=30)).isoformat()  # every stage overdue by then

    main_db = connection.settings_dict["NAME"]
    reference_db = copy_database(main_db)
    try:
        reference_gateway = tmp_path / "reference.jsonl"
        manage(reference_db, reference_gateway, "run_sweeps", "--as-of", as_of)
        reference = dump(reference_db, reference_gateway)
        reference_reached, reference_repeats = delivered(reference, reference_gateway)
    finally:
        drop_database(reference_db)
    assert sum(reference_reached.values()) == backlog and set(reference_reached.values()) == {1}
    assert reference_repeats == 0

    gateway = tmp_path / "gateway.jsonl"
    sweep = manage(main_db, gateway, "run_sweeps", "--as-of", as_of, wait=False)
    deadline = time.monotonic() + 120
    while len(read_gateway_file(gateway)) < backlog // 3:
        assert sweep.poll() is None, "the sweep finished before it could be killed: raise BACKLOG"
        assert time.monotonic() < deadline, "the sweep sent nothing"
        time.sleep(0.005)
    sweep.send_signal(signal.SIGKILL)
    sweep.communicate(timeout=30)
    sent_before_resume = len(read_gateway_file(gateway))
    assert 0 < sent_before_resume < backlog, "killed halfway"
    assert OverdueReminder.objects.count() == cases  # flagged, committed
    assert OutboxMessage.objects.filter(state=OutboxState.PENDING).exists()  # …with messages left to send

    time.sleep(2.2)  # OUTBOX_CLAIM_SECONDS: the killed sender's claims are taken back
    resumers = [manage(main_db, gateway, "run_sweeps", "--as-of", as_of, wait=False) for _ in range(2)]
    for process in resumers:  # two senders at once: compare-and-swap claims
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, out[-2000:] + err[-2000:]
    manage(main_db, gateway, "verify_logs")

    resumed = dump(main_db, gateway)
    assert resumed["state"] == reference["state"]
    reached, repeats = delivered(resumed, gateway)
    assert reached == reference_reached  # every message reached its phone once, none was missed
    print(
        f"faults: {backlog} SMS, killed after {sent_before_resume}, resumed by two senders, {repeats} repeat(s) dropped"
    )
    assert repeats <= 1  # at most the one message in flight at the kill, handed over again with its key
    assert Notification.objects.count() == len(reference["state"]["notifications"])
    assert TransitionLog.objects.count() == len(reference["state"]["log"])
