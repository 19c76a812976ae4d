"""A broker outage delays a message and never loses it, and nothing is sent twice (DESIGN.md §10), with a
real Redis: our own server on a free port (never the CI server of REDIS_URL), stopped and started again,
and a real Celery worker consuming from it."""

import os
import shutil
import time

import pytest
from django.utils import timezone

from accounts import sms
from accounts.models import Notification, OutboxMessage, OutboxState, User
from accounts.tasks import deliver_outbox_due
from applications.identity import identity_verify_in_person
from config import sweeps
from config.celery import app
from tests.accounts.identity_helpers import act, person, received, register
from tests.redis_server import celery_broker, forget_broker_connections

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="no REDIS_URL"),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="no redis-server"),
]


@pytest.fixture
def celery_on(redis_server, settings):
    """The Celery app sends to our own Redis for this test only."""
    settings.SMS_BACKEND = "accounts.sms.LocmemBackend"
    sms.outbox.clear()
    with celery_broker(redis_server.url):
        yield redis_server


@pytest.fixture
def case_with_account(demo):
    """A case whose person holds a verified account with a mobile number."""
    community = User.objects.select_related("unit").get(username="xj_community")
    who = person(61)
    case = received(community, who)
    register(who["name"], who["id_number"], "13933330061")
    account = User.objects.get(username=who["id_number"])
    identity_verify_in_person(officer=community, account_id=account.pk)
    return community, case, account


def wait_for(condition, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_a_broker_outage_delays_the_message_and_the_worker_sends_it_once_after(celery_on, case_with_account):
    from celery.contrib.testing.worker import start_worker

    community, case, account = case_with_account
    celery_on.stop()
    started = time.monotonic()
    assert act(community, case, "withdraw", reason="本人要求撤回。").status_code == 200  # the outage is not an error
    assert time.monotonic() - started < 10
    note = Notification.objects.get(user=account)
    copy = OutboxMessage.objects.get(notification=note)
    assert copy.state == OutboxState.PENDING and sms.outbox == []  # kept, not sent, not lost

    celery_on.start()
    forget_broker_connections()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20, loglevel="WARNING"):
        deliver_outbox_due.delay()  # what beat sends every few minutes
        wait_for(lambda: OutboxMessage.objects.get(pk=copy.pk).state == OutboxState.SENT)
        sweeps.run_all(timezone.localdate())  # the daily sweep too: nothing is left to send
        deliver_outbox_due.delay()
        time.sleep(1)
    assert [m.to for m in sms.outbox] == ["13933330061"] and "撤回申请" in sms.outbox[0].text
    assert OutboxMessage.objects.get(pk=copy.pk).sent_to == "13933330061"


def test_with_the_broker_up_the_task_sends_it_and_the_sweep_adds_nothing(celery_on, case_with_account):
    from celery.contrib.testing.worker import start_worker

    community, case, _ = case_with_account
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20, loglevel="WARNING"):
        assert act(community, case, "withdraw", reason="本人要求撤回。").status_code == 200
        wait_for(lambda: OutboxMessage.objects.filter(state=OutboxState.SENT).exists())
    summary = sweeps.run_all(timezone.localdate())["sweeps"]["outbox_deliver"]
    assert summary["due"] == 0
    assert len(sms.outbox) == 1 and sms.outbox[0].key == f"outbox-{OutboxMessage.objects.get().pk}"
