from datetime import date, datetime, time, timedelta

from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import OutboxMessage, OutboxState
from accounts.outbox import outbox_deliver, outbox_reclaim
from config.sweeps import register


@register("clear_expired_sessions")
def clear_expired_sessions(as_of: date) -> dict:
    """Sign-in sessions that expired before `as_of` began hold personal data for nothing."""
    cutoff = timezone.make_aware(datetime.combine(as_of, time.min))
    deleted, _ = Session.objects.filter(expire_date__lt=cutoff).delete()
    return {"deleted": deleted}


@register("clear_rate_windows")
def clear_rate_windows(as_of: date) -> dict:
    """Per-client rate-limit windows (config.throttling) whose latest request came more than a day before
    `as_of` began: no limit counts back that far (the longest DRF allows is a day)."""
    if connection.vendor != "postgresql":
        return {"deleted": 0}  # SQLite keeps its limits in the cache
    cutoff = timezone.make_aware(datetime.combine(as_of, time.min)).timestamp() - 86400
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_ratewindow WHERE hits[cardinality(hits)] < %s", [cutoff])
        return {"deleted": cursor.rowcount}


@register("outbox_deliver")
def outbox_sweep(as_of: date) -> dict:
    """Send every SMS / email copy still pending (DESIGN.md §10): what a broker or gateway outage held
    back goes out now. The sending itself runs after this sweep's transaction has committed, claiming
    rows by compare-and-swap, so a Celery task sending the same rows at once sends nothing twice.
    Copies that stopped retrying since the day before `as_of` are listed under problems."""
    now = timezone.now()
    reclaimed = outbox_reclaim(now=now)
    due = OutboxMessage.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=now).count()
    if due:
        transaction.on_commit(outbox_deliver)
    since = timezone.make_aware(datetime.combine(as_of - timedelta(days=1), time.min))
    given_up = OutboxMessage.objects.filter(state=OutboxState.FAILED, failed_at__gte=since).count()
    summary: dict = {"due": due, "reclaimed": reclaimed, "failed": given_up}
    if given_up:
        summary["problems"] = [f"{given_up} 条短信或邮件多次发送失败，已停止重试；通知仍在收件人的站内消息中。"]
    return summary
