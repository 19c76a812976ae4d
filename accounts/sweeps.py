from datetime import date, datetime, time

from django.contrib.sessions.models import Session
from django.utils import timezone

from config.sweeps import register


@register("clear_expired_sessions")
def clear_expired_sessions(as_of: date) -> dict:
    """Sign-in sessions that expired before `as_of` began hold personal data for nothing."""
    cutoff = timezone.make_aware(datetime.combine(as_of, time.min))
    deleted, _ = Session.objects.filter(expire_date__lt=cutoff).delete()
    return {"deleted": deleted}
