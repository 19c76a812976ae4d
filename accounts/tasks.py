from celery import shared_task
from django.conf import settings
from django.utils import timezone

from accounts.outbox import outbox_deliver, outbox_reclaim


@shared_task(bind=True, max_retries=None)
def deliver_outbox(self, ids: list[int]) -> dict:
    """Send these outbox rows (fetched by ID, claimed by compare-and-swap: STYLE.md). A failed send is
    tried again when its delay is over; if the broker cannot take the retry, the outbox sweep sends it."""
    result = outbox_deliver(ids=ids)
    if result.retry_in and self.request.retries < settings.OUTBOX_MAX_ATTEMPTS:
        raise self.retry(countdown=min(result.retry_in))
    return {"sent": result.sent, "retrying": result.retrying, "failed": result.failed}


@shared_task
def deliver_outbox_due() -> dict:
    """Beat, every OUTBOX_SWEEP_SECONDS: the outbox sweep's sending, between the daily runs."""
    reclaimed = outbox_reclaim(now=timezone.now())
    result = outbox_deliver()
    return {"reclaimed": reclaimed, "sent": result.sent, "retrying": result.retrying, "failed": result.failed}
