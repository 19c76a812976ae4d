from datetime import date

from django.db.models import F, Q
from django.urls import reverse

from accounts import areas
from accounts.models import ROLE_LEVEL, NotificationKind, OutboxChannel, Role, User
from accounts.notifications import Message, notify_many
from applications.models import OPEN_STATES, Application, State
from config.sweeps import register

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
    """Tell the responsible unit's staff, once per due date, that a stage is overdue. Rows are claimed
    with a compare-and-swap on overdue_notified_for, so two workers never notify twice."""
    candidates = list(
        Application.objects.filter(state__in=OPEN_STATES, stage_due_on__lt=as_of)
        .filter(Q(overdue_notified_for__isnull=True) | ~Q(overdue_notified_for=F("stage_due_on")))
        .select_related("applicant")
        .only("pk", "reference", "state", "unit_id", "handling_unit_id", "stage_due_on", "applicant__name")
    )
    claimed = [
        a
        for a in candidates
        if Application.objects.filter(pk=a.pk, stage_due_on=a.stage_due_on)
        .filter(Q(overdue_notified_for__isnull=True) | ~Q(overdue_notified_for=F("stage_due_on")))
        .update(overdue_notified_for=F("stage_due_on"))
    ]
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
    # the inbox rows and their SMS / email copies (the outbox) in this sweep's transaction
    queued = notify_many(messages)
    return {
        "flagged": len(claimed),
        "notifications": queued["notifications"],
        "emails": queued[OutboxChannel.EMAIL],
        "sms": queued[OutboxChannel.SMS],
    }
