"""Messages to a user: the inbox row is written in the caller's transaction, so it is never lost;
an email copy, for a user with an address, is sent by Celery once that transaction has committed."""

import logging
from functools import partial

from django.db import transaction

from accounts.models import Notification, User

logger = logging.getLogger(__name__)


def notify(*, user: User, key: str, text: str, url: str = "") -> Notification:
    note = Notification.objects.create(user=user, key=key, text=text[:300], url=url)
    if user.email:
        transaction.on_commit(partial(_enqueue_email, note.pk))
    return note


def _enqueue_email(notification_id: int) -> None:
    from accounts.tasks import send_notification_email

    try:
        send_notification_email.delay(notification_id)
    except Exception:  # a broker outage: the inbox already holds the message
        logger.exception("could not enqueue the email of notification %s", notification_id)
