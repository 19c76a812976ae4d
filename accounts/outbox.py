"""Delivering the outbox (DESIGN.md §10; STYLE.md: background work as compare-and-swap row claims).

A sender first claims rows with one UPDATE that moves them from pending to sending under its own
token; a row claimed by one sender matches no other sender's UPDATE, so two workers (a Celery task and
the sweep, or two of either) never send one row. Each claim and each result commits on its own, before
and after the send. A failed send puts the row back to pending with a growing delay; after
OUTBOX_MAX_ATTEMPTS it stops trying (state failed, reported by the sweep; the inbox keeps the text).
A sender that died between claim and result leaves a row in sending: after OUTBOX_CLAIM_SECONDS the
sweep returns it to pending. If that sender had already handed the message over, the gateway sees
the same `key` again (accounts.sms); that is the one window in which a copy could go out twice."""

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone

from accounts import sms
from accounts.models import OutboxChannel, OutboxMessage, OutboxState

logger = logging.getLogger(__name__)


@dataclass
class Delivery:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    retry_in: list[int] = field(default_factory=list)  # seconds until each retrying row is due


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after each failed attempt, at most OUTBOX_MAX_DELAY_SECONDS."""
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), settings.OUTBOX_MAX_DELAY_SECONDS))


def outbox_claim(*, now: datetime, ids: Iterable[int] | None = None, limit: int | None = None) -> str | None:
    """Claim the due pending rows (those of `ids` only, when given). Returns the claim token, or None
    when another sender had them all."""
    due = OutboxMessage.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=now)
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    picked = due.order_by("next_attempt_at", "pk").values("pk")[: limit or settings.OUTBOX_BATCH]
    token = secrets.token_hex(16)
    # The state test is in the UPDATE itself: a row another sender claimed first no longer matches.
    claimed = OutboxMessage.objects.filter(pk__in=picked, state=OutboxState.PENDING).update(
        state=OutboxState.SENDING, claim=token, claimed_at=now, attempts=F("attempts") + 1
    )
    return token if claimed else None


def outbox_send_claimed(token: str) -> Delivery:
    """Send what `token` claimed, recording each result as soon as it is known."""
    result = Delivery()
    claimed = OutboxMessage.objects.filter(claim=token, state=OutboxState.SENDING).select_related("notification__user")
    for message in claimed:
        mine = OutboxMessage.objects.filter(pk=message.pk, claim=token, state=OutboxState.SENDING)
        address = _address(message)
        try:
            if not address:
                raise LookupError("收件人没有手机号码或电子邮箱。")
            _send(message, address)
        except Exception as exc:
            now = timezone.now()
            error = f"{type(exc).__name__}: {exc}"[:300]
            if isinstance(exc, LookupError) or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                logger.error("outbox message %s failed for good: %s", message.pk, error)
                mine.update(state=OutboxState.FAILED, claim="", failed_at=now, last_error=error)
                result.failed += 1
            else:
                logger.warning("outbox message %s failed (attempt %s): %s", message.pk, message.attempts, error)
                delay = backoff(message.attempts)
                mine.update(state=OutboxState.PENDING, claim="", next_attempt_at=now + delay, last_error=error)
                result.retrying += 1
                result.retry_in.append(int(delay.total_seconds()))
            continue
        mine.update(state=OutboxState.SENT, claim="", sent_at=timezone.now(), sent_to=address, last_error="")
        result.sent += 1
    return result


def outbox_deliver(*, ids: Iterable[int] | None = None) -> Delivery:
    """Claim and send the due rows (of `ids`), one batch after another until none is left."""
    total = Delivery()
    ids = list(ids) if ids is not None else None
    while token := outbox_claim(now=timezone.now(), ids=ids):
        done = outbox_send_claimed(token)
        total.sent += done.sent
        total.retrying += done.retrying
        total.failed += done.failed
        total.retry_in += done.retry_in  # a row put back to pending is due later: the loop ends
    return total


def outbox_reclaim(*, now: datetime) -> int:
    """Rows a sender claimed and never settled (it died): pending again, to be sent by the next sender."""
    stale = now - timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS)
    return OutboxMessage.objects.filter(state=OutboxState.SENDING, claimed_at__lt=stale).update(
        state=OutboxState.PENDING, claim="", next_attempt_at=now, last_error="发送中断，重新发送。"
    )


def _address(message: OutboxMessage) -> str:
    """Read when it is sent: a phone or address corrected meanwhile is the one used."""
    user = message.notification.user
    return user.phone if message.channel == OutboxChannel.SMS else user.email


def _send(message: OutboxMessage, address: str) -> None:
    note = message.notification
    if message.channel == OutboxChannel.SMS:
        sms.send_sms(to=address, text=f"{note.title}：{note.body}", key=f"outbox-{message.pk}")
    else:
        send_mail(f"就业困难人员认定：{note.title}", note.body, settings.DEFAULT_FROM_EMAIL, [address])
