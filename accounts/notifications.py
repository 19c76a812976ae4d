"""Messages to a user (DESIGN.md §10, API.md notifications). The inbox row and its SMS / email copies
(outbox rows) are written in the caller's transaction, so a state change and its messages commit or
roll back together; the copies are sent after the commit by Celery and, whatever happens to the broker
or the SMS gateway, by the outbox sweep (accounts.outbox). A message is delayed, never lost."""

import logging
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils import timezone

from accounts.models import Notification, OutboxChannel, OutboxMessage, User

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    user: User
    key: str  # one message per user and key: a sweep that runs twice writes nothing twice
    kind: str
    title: str
    body: str
    url: str = ""


def channels_for(user: User) -> list[str]:
    """A copy by SMS to a user with a mobile number, by email to one with an address."""
    return [
        channel for channel, address in ((OutboxChannel.SMS, user.phone), (OutboxChannel.EMAIL, user.email)) if address
    ]


def notify(*, user: User, key: str, kind: str, title: str, body: str, url: str = "") -> Notification:
    """One message: its inbox row and its copies, in the caller's transaction."""
    note = Notification.objects.create(user=user, key=key, kind=kind, title=title[:100], body=body[:500], url=url)
    now = timezone.now()
    copies = OutboxMessage.objects.bulk_create(
        OutboxMessage(notification=note, channel=channel, next_attempt_at=now) for channel in channels_for(user)
    )
    deliver_after_commit([c.pk for c in copies])
    return note


def notify_many(messages: list[Message]) -> dict[str, int]:
    """Set-based for sweeps: the messages not yet written (by user and key) and their copies.
    Returns how many inbox rows were written and how many copies were queued by channel."""
    if not messages:
        return {"notifications": 0, OutboxChannel.SMS: 0, OutboxChannel.EMAIL: 0}
    keys = {m.key for m in messages}
    users = {m.user.pk for m in messages}
    existing = set(Notification.objects.filter(key__in=keys, user_id__in=users).values_list("user_id", "key"))
    fresh = {(m.user.pk, m.key): m for m in messages if (m.user.pk, m.key) not in existing}
    Notification.objects.bulk_create(
        (
            Notification(user=m.user, key=m.key, kind=m.kind, title=m.title[:100], body=m.body[:500], url=m.url)
            for m in fresh.values()
        ),
        ignore_conflicts=True,  # a concurrent writer of the same key: its row stands
    )
    written = Notification.objects.filter(key__in={k for _, k in fresh}, user_id__in={u for u, _ in fresh})
    written = [n for n in written.only("pk", "user_id", "key") if (n.user_id, n.key) in fresh]
    now = timezone.now()
    OutboxMessage.objects.bulk_create(
        (
            OutboxMessage(notification_id=n.pk, channel=channel, next_attempt_at=now)
            for n in written
            for channel in channels_for(fresh[(n.user_id, n.key)].user)
        ),
        ignore_conflicts=True,
    )
    queued = list(
        OutboxMessage.objects.filter(notification_id__in=[n.pk for n in written]).values_list("pk", "channel")
    )
    deliver_after_commit([pk for pk, _ in queued])
    channels = [channel for _, channel in queued]
    return {
        "notifications": len(written),
        OutboxChannel.SMS: channels.count(OutboxChannel.SMS),
        OutboxChannel.EMAIL: channels.count(OutboxChannel.EMAIL),
    }


def deliver_after_commit(ids: list[int]) -> None:
    if ids:
        transaction.on_commit(partial(_enqueue, ids))


def _enqueue(ids: list[int]) -> None:
    from accounts.tasks import deliver_outbox

    try:  # a short retry: a web request does not wait long for a broker that is down
        deliver_outbox.apply_async((ids,), retry_policy={"max_retries": 2, "interval_start": 0, "interval_max": 1})
    except Exception:  # the broker is down: the rows stay pending and the outbox sweep sends them
        logger.exception("could not enqueue the delivery of outbox messages %s", ids)
