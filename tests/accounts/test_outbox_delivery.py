"""SMS and email copies go through an outbox (DESIGN.md §10): written with the state change, sent after
the commit, retried with a growing delay, taken up by the sweep, and never sent twice."""

import threading
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from accounts import sms
from accounts.models import Notification, NotificationKind, OutboxMessage, OutboxState, User
from accounts.notifications import notify
from accounts.outbox import outbox_claim, outbox_deliver, outbox_send_claimed
from accounts.sms import BaseBackend
from applications.identity import identity_verify_in_person
from config import sweeps
from config.celery import app as celery
from tests.accounts.identity_helpers import act, person, provide_materials, received, register


class GatewayDown(BaseBackend):
    """An SMS gateway that refuses every message (an outside service, not ours)."""

    def send(self, message):
        raise ConnectionError("gateway unreachable")


@pytest.fixture(autouse=True)
def _sms(settings):
    settings.SMS_BACKEND = "accounts.sms.LocmemBackend"
    sms.outbox.clear()


@pytest.fixture
def eager():
    celery.conf.task_always_eager = True
    yield
    celery.conf.task_always_eager = False


@pytest.fixture
def case_with_account(community_user):
    """A case whose person holds a verified account with a phone and an email address."""
    who = person(51)
    case = received(community_user, who)
    register(who["name"], who["id_number"], "13944440051")
    account = User.objects.get(username=who["id_number"])
    identity_verify_in_person(officer=community_user, account_id=account.pk)
    account.email = "person@example.org"
    account.save(update_fields=["email"])
    return case, account


def test_a_state_change_writes_the_copies_and_sends_them_after_the_commit(
    community_user, case_with_account, eager, django_capture_on_commit_callbacks
):
    case, account = case_with_account
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert act(community_user, case, "withdraw", reason="核实后撤回。").status_code == 200
    note = Notification.objects.get(user=account)
    copies = {c.channel: c for c in note.copies.all()}
    assert set(copies) == {"sms", "email"} and {c.state for c in copies.values()} == {"pending"}
    assert sms.outbox == [] and mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert [m.to for m in sms.outbox] == ["13944440051"] and "撤回申请" in sms.outbox[0].text
    assert mail.outbox[0].to == ["person@example.org"] and "撤回申请" in mail.outbox[0].body
    assert set(note.copies.values_list("state", "sent_to")) == {
        ("sent", "13944440051"),
        ("sent", "person@example.org"),
    }
    # the sweep finds nothing left; a late duplicate task sends nothing again
    with django_capture_on_commit_callbacks(execute=True):
        assert sweeps.run_all(timezone.localdate())["sweeps"]["outbox_deliver"]["due"] == 0
    outbox_deliver(ids=list(note.copies.values_list("pk", flat=True)))
    assert len(sms.outbox) == 1 and len(mail.outbox) == 1


def test_a_rolled_back_change_leaves_no_message(community_user):
    community_user.phone = "13944440000"
    community_user.save(update_fields=["phone"])
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(user=community_user, key="k", kind=NotificationKind.OVERDUE, title="t", body="b")
        raise RuntimeError
    assert not Notification.objects.exists() and not OutboxMessage.objects.exists()


def test_a_gateway_outage_delays_the_copy_and_the_sweep_sends_it_once(
    community_user, settings, django_capture_on_commit_callbacks
):
    community_user.phone = "13944440001"
    community_user.save(update_fields=["phone"])
    note = notify(user=community_user, key="k", kind=NotificationKind.OVERDUE, title="办理超期提醒", body="超期")
    settings.SMS_BACKEND = f"{__name__}.GatewayDown"
    result = outbox_deliver()
    copy = note.copies.get()
    assert (result.retrying, copy.state, copy.attempts) == (1, "pending", 1)
    assert "gateway unreachable" in copy.last_error and copy.next_attempt_at > timezone.now()
    outbox_deliver()  # not due yet: not tried again
    assert note.copies.get().attempts == 1

    settings.SMS_BACKEND = "accounts.sms.LocmemBackend"
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        with django_capture_on_commit_callbacks(execute=True):
            summary = sweeps.run_all(timezone.localdate())
        assert summary["sweeps"]["outbox_deliver"]["due"] == 1
        with django_capture_on_commit_callbacks(execute=True):
            sweeps.run_all(timezone.localdate())
    assert [m.to for m in sms.outbox] == ["13944440001"]
    assert note.copies.get().state == "sent"


def test_it_stops_after_the_last_attempt_and_the_sweep_says_so(community_user, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    community_user.phone = "13944440002"
    community_user.save(update_fields=["phone"])
    note = notify(user=community_user, key="k", kind=NotificationKind.OVERDUE, title="t", body="b")
    settings.SMS_BACKEND = f"{__name__}.GatewayDown"
    outbox_deliver()
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert outbox_deliver().failed == 1
        summary = sweeps.run_all(timezone.localdate())
    copy = note.copies.get()
    assert (copy.state, copy.attempts) == ("failed", 2)
    assert summary["ok"] is False and "outbox_deliver" in summary["attention"]
    assert "停止重试" in summary["sweeps"]["outbox_deliver"]["problems"][0]
    assert Notification.objects.filter(pk=note.pk).exists()  # the inbox keeps the text


def test_a_claimed_row_is_not_claimed_again(community_user):
    community_user.phone = "13944440003"
    community_user.save(update_fields=["phone"])
    notify(user=community_user, key="k", kind=NotificationKind.OVERDUE, title="t", body="b")
    now = timezone.now()
    token = outbox_claim(now=now)
    assert token is not None and outbox_claim(now=now) is None
    assert outbox_send_claimed(token).sent == 1 and outbox_send_claimed(token).sent == 0
    assert len(sms.outbox) == 1


def test_a_claim_left_by_a_dead_sender_is_taken_back_by_the_sweep(community_user, django_capture_on_commit_callbacks):
    community_user.phone = "13944440004"
    community_user.save(update_fields=["phone"])
    notify(user=community_user, key="k", kind=NotificationKind.OVERDUE, title="t", body="b")
    assert outbox_claim(now=timezone.now())  # …and the sender died before sending
    with django_capture_on_commit_callbacks(execute=True):
        assert sweeps.run_all(timezone.localdate())["sweeps"]["outbox_deliver"]["reclaimed"] == 0  # not yet
    assert sms.outbox == []
    later = timezone.now() + timedelta(minutes=11)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        assert sweeps.run_all(timezone.localdate())["sweeps"]["outbox_deliver"]["reclaimed"] == 1
    assert len(sms.outbox) == 1 and OutboxMessage.objects.get().state == "sent"


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_copy_once(demo):
    users = list(User.objects.filter(unit__isnull=False).order_by("pk")[:6])
    for i, user in enumerate(users):
        user.phone = f"139444401{i:02d}"
        user.email = f"u{i}@example.org"
        user.save(update_fields=["phone", "email"])
        for n in range(5):
            notify(user=user, key=f"race:{n}", kind=NotificationKind.OVERDUE, title="t", body=f"{i}-{n}")
    start = threading.Barrier(2)
    errors = []

    def sender():
        try:
            start.wait()
            outbox_deliver()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(sms.outbox) == 30 and len({m.key for m in sms.outbox}) == 30
    assert len(mail.outbox) == 30
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxState.SENT}


def test_overdue_alerts_to_staff_go_through_the_outbox(community_user, django_capture_on_commit_callbacks):
    community_user.phone = "13944440005"
    community_user.email = "zhang@example.org"
    community_user.save(update_fields=["phone", "email"])
    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):
        case = received(community_user, person(52))
        provide_materials(community_user, case)
        assert act(community_user, case, "accept").status_code == 200  # initial review due 2026-11-25
    with django_capture_on_commit_callbacks(execute=True):
        summary = sweeps.run_all(date(2026, 11, 26))["sweeps"]["flag_overdue_stages"]
    assert summary == {"flagged": 1, "notifications": 1, "emails": 1, "sms": 1}
    note = Notification.objects.get(user=community_user)
    assert note.kind == "overdue" and note.title == "办理超期提醒" and "超过办理期限" in note.body
    assert [m.to for m in sms.outbox] == ["13944440005"] and mail.outbox[0].to == ["zhang@example.org"]


def test_beat_sends_what_is_due_every_few_minutes(settings):
    entry = celery.conf.beat_schedule["deliver-outbox"]
    assert entry["task"] == "accounts.tasks.deliver_outbox_due" and entry["task"] in celery.tasks
    assert entry["schedule"] == settings.OUTBOX_SWEEP_SECONDS
