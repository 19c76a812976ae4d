from datetime import date

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse

from accounts import areas
from accounts.models import ROLE_LEVEL, NotificationKind, OutboxChannel, Role, User
from accounts.notifications import Message, notify_many
from applications.models import OPEN_STATES, Application, State
from config.sweeps import register

BATCH = 1000  # rows claimed, updated and notified together: memory stays flat with any backlog

# Who answers for each stage's deadline.
RESPONSIBLE = {
    State.INITIAL_REVIEW: "handling",
    State.PENDING_NOTICE: "handling",
    State.PUBLIC_NOTICE: "handling",
    State.TOWNSHIP_REVIEW: Role.TOWNSHIP,
    State.COUNTY_REVIEW: Role.COUNTY,
}


def responsible_unit(application: Application) -> str:
    """The unit that answers for the stage: the handling unit, or the township / county above the
    applicant's unit, found by level (the unit may be a community or a township itself)."""
    who = RESPONSIBLE[application.state]
    if who == "handling":
        return application.handling_unit_id
    return areas.ancestor_at(application.unit_id, ROLE_LEVEL[who])


@register("flag_overdue_stages")
def flag_overdue_stages(as_of: date) -> dict:
    """Tell the responsible unit's staff, once per due date, that a stage is overdue. Set-based in
    batches (issue 13): a batch of rows is locked (others' locked rows skipped: another worker has
    them), marked with one UPDATE and notified together, so two workers never notify twice."""
    due = Application.objects.filter(state__in=OPEN_STATES, stage_due_on__lt=as_of).filter(
        Q(overdue_notified_for__isnull=True) | ~Q(overdue_notified_for=F("stage_due_on"))
    )
    totals = {"flagged": 0, "notifications": 0, "emails": 0, "sms": 0}
    after = 0
    while True:
        with transaction.atomic():  # one batch: claimed, marked and notified together
            claimed = list(
                due.filter(pk__gt=after)
                .order_by("pk")
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("applicant")
                .only("pk", "reference", "state", "unit_id", "handling_unit_id", "stage_due_on", "applicant__name")[
                    :BATCH
                ]
            )
            if not claimed:
                return totals
            after = claimed[-1].pk
            Application.objects.filter(pk__in=[a.pk for a in claimed]).update(overdue_notified_for=F("stage_due_on"))
            queued = _notify_overdue(claimed)
        for key in totals:
            totals[key] += queued[key]


def _notify_overdue(claimed: list[Application]) -> dict:
    units = {a.pk: responsible_unit(a) for a in claimed if a.state in RESPONSIBLE}
    staff: dict[str, list[User]] = {}
    for user in User.objects.filter(unit_id__in=set(units.values()), is_active=True):
        staff.setdefault(user.unit_id, []).append(user)
    messages = []
    for application in claimed:
        text = (
            f"{application.reference} {application.applicant.name}：{application.get_state_display()}环节已超过办理期限"
            f"（{application.stage_due_on:%Y-%m-%d}）。"
        )
        url = reverse("applications:detail", args=[application.pk])
        messages += [
            Message(
                user=user,
                key=f"overdue:{application.pk}:{application.stage_due_on}",
                kind=NotificationKind.OVERDUE,
                title="办理超期提醒",
                body=text,
                url=url,
            )
            for user in staff.get(units.get(application.pk), [])
        ]
    # the inbox rows and their SMS / email copies (the outbox) in the batch's transaction
    queued = notify_many(messages)
    return {
        "flagged": len(claimed),
        "notifications": queued["notifications"],
        "emails": queued[OutboxChannel.EMAIL],
        "sms": queued[OutboxChannel.SMS],
    }
