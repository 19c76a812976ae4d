"""What applications does when the calendar changes elsewhere (eligibility never imports it)."""

from django.dispatch import receiver

from applications.models import OPEN_STATES, Application, State
from applications.tally import applications_rebuild
from applications.workflow import recompute_deadline
from eligibility.signals import schedule_entered


@receiver(schedule_entered, dispatch_uid="applications.recompute_deadlines")
def recompute_provisional_deadlines(sender, *, year: int, province: str, **kwargs) -> None:
    """DESIGN.md §4: every stage due date computed on a provisional calendar is computed again once
    the official schedule of its year is entered (national: every province; regional: that one).
    Dates in public notice follow their notice (publicity's receiver)."""
    candidates = Application.objects.filter(
        state__in=OPEN_STATES - {State.PUBLIC_NOTICE},
        stage_due_provisional=True,
        stage_due_on__year__gte=year,
        unit__code__startswith=province,
    ).values_list("pk", flat=True)
    for application_id in candidates.iterator():
        recompute_deadline(application_id=application_id, year=year)


@receiver(schedule_entered, dispatch_uid="applications.recount_decision_days")
def recount_decision_days(sender, **kwargs) -> None:
    """The dashboard's working days to a decision (applications.tally) follow the calendar as entered."""
    applications_rebuild()
