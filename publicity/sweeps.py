from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django_fsm import TransitionNotAllowed

from config.sweeps import register
from publicity.models import Notice, NoticeState
from publicity.services import NotPublished, ObjectionsPending, notice_close


@register("close_ended_notices")
def close_ended_notices(as_of: date) -> dict:
    """Close every notice whose 3 working days ended before `as_of`. Each is closed under its own
    row lock, so a second worker (or a second run) finds it closed and skips it."""
    closed, blocked, problems = [], [], []
    for notice_id in Notice.objects.filter(state=NoticeState.PUBLISHED, period_end__lt=as_of).values_list(
        "pk", flat=True
    ):
        try:
            with transaction.atomic():
                notice_close(notice_id=notice_id, actor=None, today=as_of)
            closed.append(notice_id)
        except ObjectionsPending:
            blocked.append(notice_id)
        except NotPublished:  # closed meanwhile by another worker: nothing left to do
            continue
        except (TransitionNotAllowed, ValidationError) as exc:  # said in the summary, never swallowed
            problems.append({"notice_id": notice_id, "reason": "；".join(getattr(exc, "messages", [str(exc)]))})
    return {"closed": len(closed), "closed_ids": closed, "waiting_for_objections": blocked, "problems": problems}
