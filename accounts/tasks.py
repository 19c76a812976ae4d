from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from accounts.models import Notification


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_email(notification_id: int) -> None:
    """Fetch by ID and send (STYLE.md); a mail server error is retried with backoff."""
    note = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if note is None or not note.user.email:
        return
    send_mail("就业困难人员认定：办理进度通知", note.text, settings.DEFAULT_FROM_EMAIL, [note.user.email])
