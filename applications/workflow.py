"""The review procedure (DESIGN.md §5): one service performs every transition, for the browser,
the API, admin actions and sweeps alike. What a transition does and refuses is declared on
`Application`; this service locks the row, checks who acts, records the opinion, sets the
deadline, appends to the hash-chained log and writes the person's message, in one transaction."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_fsm import TransitionNotAllowed, can_proceed

from accounts import audit
from accounts.models import AuditAction, NotificationKind, User
from accounts.notifications import notify
from applications.access import access_for, applications_for_user, verified_owner
from applications.models import (
    FINAL_STATES,
    Act,
    Application,
    Decision,
    Material,
    ReviewOpinion,
    Stage,
    State,
    TransitionLog,
)
from applications.tally import application_counts
from config.records import GENESIS
from eligibility import workdays
from exits import services as exits
from exits.tally import tally_move


@dataclass(frozen=True)
class Spec:
    label: str
    actor: str  # the part the actor plays: applications.access.Access.may
    needs_reason: bool = False
    opinion: tuple[str, str] | None = None  # (stage, decision) recorded on the approval form


SPECS: dict[str, Spec] = {
    "request_materials": Spec("一次性告知补正材料", "handling"),
    "supplement": Spec("材料已补正", "applicant_or_handling"),
    "accept": Spec("材料齐全，受理", "handling"),
    "pass_initial_review": Spec("初审通过", "handling", opinion=(Stage.INITIAL, Decision.PASS)),
    "fail_initial_review": Spec("初审不通过", "handling", needs_reason=True, opinion=(Stage.INITIAL, Decision.FAIL)),
    "publish": Spec("发布公示", "handling"),
    "close_notice": Spec("公示结束", "handling"),
    "township_approve": Spec("复核通过", "township", opinion=(Stage.TOWNSHIP, Decision.PASS)),
    "township_reject": Spec("复核不通过", "township", needs_reason=True, opinion=(Stage.TOWNSHIP, Decision.FAIL)),
    "county_approve": Spec("审批认定通过", "county", opinion=(Stage.COUNTY, Decision.PASS)),
    "county_reject": Spec("审批不通过", "county", needs_reason=True, opinion=(Stage.COUNTY, Decision.FAIL)),
    "withdraw": Spec("撤回申请", "withdraw"),
}
NOTICE_TRANSITIONS = frozenset({"publish", "close_notice"})  # done through notices, with their period
LOG_LABELS = {
    "submit": "提交申请",
    "edit": "更正申请信息",
    "recompute_deadline": "按正式放假安排重算期限",
    **{name: spec.label for name, spec in SPECS.items()},
}
DEFAULT_OPINIONS = {
    "pass_initial_review": "经初审，符合就业困难人员认定条件。",
    "township_approve": "经复核，符合就业困难人员认定条件。",
    "county_approve": "经审批，认定为就业困难人员。",
}
# Every field a transition or the service may change: saved with update_fields.
TRANSITION_FIELDS = [
    "state",
    "missing_materials",
    "accepted_on",
    "decided_on",
    "eligibility",
    "categories",
    "notice_start",
    "notice_end",
    "stage_started_on",
    "stage_due_on",
    "stage_due_provisional",
    "updated_at",
]


def available_transitions(application: Application, user: User) -> list[str]:
    access = access_for(user, application)
    return [
        name
        for name, spec in SPECS.items()
        if name not in NOTICE_TRANSITIONS and can_proceed(getattr(application, name)) and access.may(spec.actor)
    ]


def required_materials(application: Application, user: User) -> list[dict]:
    """The checklist for this policy and the categories found, marking what is in hand and what
    is on file from the person's earlier applications that `user` may see (offered for reuse, 第八条)."""
    attached = set(application.materials.values_list("kind", flat=True))
    on_file = dict(
        Material.objects.filter(
            applicant_id=application.applicant_id, application__in=applications_for_user(user).values("pk")
        )
        .exclude(application_id=application.pk)
        .order_by("id")
        .values_list("kind", "pk")
    )
    return [
        {
            "code": item.code,
            "label": item.label,
            "article": item.article,
            "provided": item.code in attached,
            "on_file_material_id": None if item.code in attached else on_file.get(item.code),
        }
        for item in application.checklist()
    ]


def calendar_for(application: Application) -> workdays.WorkingCalendar:
    """Every deadline of a case counts the working days of its own province (DESIGN.md §4)."""
    return workdays.load(application.unit_id)


def stage_deadline(application: Application, calendar: workdays.WorkingCalendar) -> workdays.Dated | None:
    """Due date of the stage the application is in, from stored dates only, so it can be recomputed
    when a year's official schedule is entered (None: no statutory limit at this stage)."""
    procedure = application.policy.procedure
    state = application.state
    if state in FINAL_STATES or state in (State.SUBMITTED, State.AWAITING_MATERIALS):
        return None
    if procedure.whole_working_days:  # Jilin 二(四): 10 working days from acceptance for the whole
        return calendar.add_working_days(application.accepted_on, procedure.whole_working_days)
    if state == State.PUBLIC_NOTICE:
        return workdays.Dated(application.notice_end, calendar.is_provisional(application.notice_end))
    if state in (State.INITIAL_REVIEW, State.PENDING_NOTICE):  # 第九条: verified within 2 days of acceptance
        start, days = application.accepted_on, procedure.stage_working_days.get(State.INITIAL_REVIEW)
    else:  # 第十条, 第十一条: 2 working days from receipt at that level
        start, days = application.stage_started_on, procedure.stage_working_days.get(state)
    return calendar.add_working_days(start, days) if days and start else None


def set_deadline(application: Application, calendar: workdays.WorkingCalendar) -> None:
    due = stage_deadline(application, calendar)
    application.stage_due_on = due.date if due else None
    application.stage_due_provisional = bool(due and due.provisional)


def append_log(application, name, from_state, actor, opinion, reason, payload, at):
    """Append to the application's hash chain; the caller holds the row lock."""
    entry = chained_entry(
        application, name, from_state, actor, opinion, reason, payload, at, previous=_last_hash(application)
    )
    entry.save()
    application.seal(entry)
    return entry


def _last_hash(application) -> str:
    return application.log.order_by("-id").values_list("hash", flat=True).first() or GENESIS


def chained_entry(application, name, from_state, actor, opinion, reason, payload, at, *, previous: str):
    """The next entry of the application's chain after the entry hashed `previous`, hashed, not saved."""
    entry = TransitionLog(
        application=application,
        name=name,
        from_state=from_state,
        to_state=application.state,
        actor=actor,
        role=getattr(actor, "role", "system") if actor else "system",
        unit_code=(actor.unit_id or "") if actor else "",
        opinion=opinion,
        reason=reason,
        payload=payload,
        at=at,
        prev_hash=previous,
    )
    entry.hash = entry.compute_hash()
    return entry


def audit_transition(entry: TransitionLog) -> None:
    """DESIGN.md §9: every state change is in the audit trail, in the transaction that made it."""
    audit.record(
        actor=entry.actor,
        action=AuditAction.TRANSITION,
        object_type="application",
        object_id=entry.application_id,
        detail={"name": entry.name, "from": entry.from_state, "to": entry.to_state, "log": entry.pk},
    )


def notify_applicant(application: Application, entry: TransitionLog) -> None:
    """The person's message for a state change of their case (DESIGN.md §5: notifications enqueued
    with the transition), unless they did it themself."""
    user = verified_owner(application.applicant)  # DESIGN.md §10: only an account tied by verification
    if user is None or entry.actor_id == user.pk:
        return
    state = application.get_state_display()
    text = f"您的申请（受理编号 {application.reference}）：{entry.label}，当前状态为“{state}”。"
    if application.stage_due_on:
        text += f"本环节办理期限为 {application.stage_due_on:%Y-%m-%d}。"
    notify(
        user=user,
        key=f"log:{entry.pk}",
        kind=NotificationKind.APPLICATION,
        title=f"办理进度：{entry.label}",
        body=text,
        url=reverse("applications:detail", args=[application.pk]),
    )


def recompute_deadline(*, application_id: int, notice_period: workdays.Period | None = None, year: int) -> bool:
    """DESIGN.md §4: once `year`'s official schedule is entered, a date computed provisionally is
    computed again on the real calendar; a change is logged on the case. Returns whether it changed."""
    with transaction.atomic():
        application = Application.objects.select_for_update().select_related("applicant").get(pk=application_id)
        before = application.stage_due_on, application.stage_due_provisional, application.notice_end
        counted = application_counts(application)
        if notice_period is not None:
            application.notice_start, application.notice_end = notice_period.start, notice_period.end
        set_deadline(application, calendar_for(application))
        after = application.stage_due_on, application.stage_due_provisional, application.notice_end
        if after == before:
            return False
        application.save(
            update_fields=["notice_start", "notice_end", "stage_due_on", "stage_due_provisional", "updated_at"]
        )
        tally_move(before=counted, after=application_counts(application))
        keys = ("due_date", "provisional", "notice_end")
        payload = {
            "year": year,
            "before": {k: str(v) if isinstance(v, date) else v for k, v in zip(keys, before, strict=True)},
            "after": {k: str(v) if isinstance(v, date) else v for k, v in zip(keys, after, strict=True)},
        }
        append_log(application, "recompute_deadline", application.state, None, "", "", payload, timezone.now())
    return True


def application_transition(
    *,
    application_id: int,
    name: str,
    actor: User | None,
    reason: str = "",
    opinion: str = "",
    missing_materials: list[str] | None = None,
    objection_upheld: bool = False,
    notice_period: workdays.Period | None = None,
    today: date | None = None,
) -> Application:
    """Perform one transition in one transaction with the row locked. `actor` None is the system
    (a sweep).

    Raises PermissionDenied (403) for the wrong actor, ValidationError (400) for a missing reason or
    what the transition's article refuses, TransitionNotAllowed (409) from the wrong state or after
    losing a race."""
    if name not in SPECS:
        raise TransitionNotAllowed(f"未知的操作：{name}")
    spec = SPECS[name]
    reason, opinion = (reason or "").strip(), (opinion or "").strip()
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("applicant__user", "handling_unit")
            .get(pk=application_id)
        )
        if actor is not None and not access_for(actor, application).may(spec.actor):
            raise PermissionDenied("您不能对该申请执行此操作。")
        method = getattr(application, name)
        if not can_proceed(method):
            raise TransitionNotAllowed(f"申请当前状态为“{application.get_state_display()}”，不能执行“{spec.label}”。")
        if spec.needs_reason and not reason:
            raise ValidationError({"reason": "请填写不通过的原因。"})
        today = today or timezone.localdate()  # a sweep passes its as_of
        now = timezone.now()
        from_state = application.state
        calendar = calendar_for(application)
        counted = application_counts(application, calendar)
        method(
            Act(
                today=today,
                reason=reason,
                opinion=opinion,
                missing_materials=tuple(missing_materials or ()),
                objection_upheld=objection_upheld,
                notice_period=notice_period,
            )
        )
        if spec.opinion or (name == "close_notice" and objection_upheld):
            stage, decision = spec.opinion or (Stage.INITIAL, Decision.FAIL)
            ReviewOpinion.objects.create(
                application=application,
                stage=stage,
                decision=decision,
                reason=(reason or opinion) or DEFAULT_OPINIONS.get(name, ""),
                officer=actor,
                unit_id=actor.unit_id if actor else application.handling_unit_id,
                eligibility=application.evaluate(today).as_dict(),
                at=now,
            )
        if application.state in FINAL_STATES:
            application.decided_on = today
        application.stage_started_on = today
        set_deadline(application, calendar)
        # The log entry is hashed before the row is saved, so the row's UPDATE seals it too, and the
        # chain's head is the locked row's (a chain from before heads were kept is read): two queries
        # fewer than append_log (issue 13: ≤ 12 with the opinion, the recognition and the tally).
        payload = {"missing_materials": list(application.missing_materials)} if name == "request_materials" else {}
        previous = application.log_head if application.log_seq else _last_hash(application)
        entry = chained_entry(application, name, from_state, actor, opinion, reason, payload, now, previous=previous)
        application.log_seq, application.log_head = application.log_seq + 1, entry.hash
        application.save(update_fields=[*TRANSITION_FIELDS, "log_seq", "log_head"])
        tally_move(before=counted, after=application_counts(application, calendar))
        if application.state == State.APPROVED:
            exits.recognition_create(application=application, officer=actor, recognized_on=today)
        entry.save()
        audit_transition(entry)
        notify_applicant(application, entry)
    return application
