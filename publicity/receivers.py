"""What publicity does when an application or the calendar changes elsewhere: neither applications
nor eligibility imports publicity, so it listens to django-fsm's post_transition and to the calendar's
schedule_entered."""

from django.db import transaction
from django.dispatch import receiver
from django_fsm.signals import post_transition

from applications.models import Application
from applications.workflow import recompute_deadline
from eligibility import workdays
from eligibility.signals import schedule_entered
from publicity.models import Notice, NoticeState
from publicity.services import mark_withdrawn


@receiver(post_transition, sender=Application, dispatch_uid="publicity.withdrawn_line")
def mark_line_of_withdrawn_application(sender, instance: Application, name: str, method_args=(), **kwargs) -> None:
    """Inside the transition's transaction: the withdrawn person's line is marked on its notice."""
    if name == "withdraw":
        mark_withdrawn(application_id=instance.pk, on=method_args[0].today)  # the transition's Act


@receiver(schedule_entered, dispatch_uid="publicity.recompute_periods")
def recompute_provisional_periods(sender, *, year: int, province: str, **kwargs) -> None:
    """DESIGN.md §4: a published notice whose period was computed on a provisional calendar gets its
    real 3 working days once the year's official schedule is entered; its applications follow, each
    change logged on the case."""
    notices = Notice.objects.filter(
        state=NoticeState.PUBLISHED,
        period_provisional=True,
        period_end__year__gte=year,
        unit__code__startswith=province,
    )
    for notice in notices:
        period = workdays.notice_period(notice.published_on, province=notice.unit_id)
        with transaction.atomic():
            Notice.objects.filter(pk=notice.pk).update(
                period_start=period.start, period_end=period.end, period_provisional=period.provisional
            )
            for application_id in notice.lines.filter(withdrawn_on__isnull=True).values_list(
                "application_id", flat=True
            ):
                recompute_deadline(application_id=application_id, notice_period=period, year=year)
