"""SMS backends for the fault proofs (settings.SMS_BACKEND), standing in for a gateway: real backend
classes that count what they are handed, in this process or, for a sweep run in a subprocess, in a file.

A gateway keeps the `key` of every message it accepted and drops a repeated one (accounts.sms): the one
window in which the outbox may hand a message over twice is a sender killed after the gateway took it
and before its row was marked sent. `FileGateway` writes one line per hand-over, `new` or `repeat`, so a
test sees both what reached phones (the `new` lines) and what was handed over again."""

import fcntl
import json
import os
import threading
import time
from pathlib import Path

from accounts.sms import BaseBackend, SmsMessage

_lock = threading.Lock()
handed: list[SmsMessage] = []  # every hand-over in this process, repeats included


class SlowLocmemGateway(BaseBackend):
    """In-process: each send takes SMS_GATEWAY_DELAY seconds (default 10 ms), so senders overlap."""

    def send(self, message: SmsMessage) -> None:
        time.sleep(float(os.environ.get("SMS_GATEWAY_DELAY", "0.01")))
        with _lock:
            handed.append(message)


class FileGateway(BaseBackend):
    """Across processes: a JSON line per hand-over to the file named by SMS_GATEWAY_FILE."""

    def send(self, message: SmsMessage) -> None:
        time.sleep(float(os.environ.get("SMS_GATEWAY_DELAY", "0")))
        path = Path(os.environ["SMS_GATEWAY_FILE"])
        with path.open("a+", encoding="utf-8") as f:
            fcntl.flock(f, fcntl.LOCK_EX)  # two senders in two processes: one hand-over at a time
            f.seek(0)
            seen = {json.loads(line)["key"] for line in f if line.strip()}
            line = {"key": message.key, "to": message.to, "status": "repeat" if message.key in seen else "new"}
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())


def read_gateway_file(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def print_state() -> None:
    """The end state a sweep leaves, without database IDs (a reference run on a copy numbers rows
    differently), as one JSON line; and each outbox row's gateway key → (user, message key)."""
    from accounts.models import Notification, OutboxMessage
    from applications.models import Application, OverdueReminder, TransitionLog

    copies = OutboxMessage.objects.select_related("notification__user")
    log = TransitionLog.objects.select_related("application").order_by("application__reference", "id")
    reminded = dict(OverdueReminder.objects.order_by("due_on").values_list("application", "due_on"))
    state = {
        "applications": sorted(
            [a.reference, a.state, str(reminded.get(a.pk)), a.log_seq] for a in Application.objects.all()
        ),
        "log": [[e.application.reference, e.name, e.from_state, e.to_state] for e in log],
        "notifications": sorted(
            [n.user.username, n.key, n.kind, n.body] for n in Notification.objects.select_related("user")
        ),
        "outbox": sorted(
            [m.notification.user.username, m.notification.key, m.channel, m.state, m.sent_to] for m in copies
        ),
    }
    keys = {f"outbox-{m.pk}": [m.notification.user.username, m.notification.key] for m in copies}
    print(json.dumps({"state": state, "keys": keys}, ensure_ascii=False))
