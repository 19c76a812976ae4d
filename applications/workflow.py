"""The review procedure (DESIGN.md §5): one service performs every transition, for the browser,
the API, admin actions and sweeps alike."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed, can_proceed

from accounts.models import Level, Role, User
from applications.models import (
    FINAL_STATES,
    Application,
    Decision,
    Material,
    ReviewOpinion,
    Stage,
    State,
    TransitionLog,
)
from eligibility import policies, workdays
from eligibility.engine import evaluate
from eligibility.facts import facts_from_json

GENESIS = "0" * 64


@dataclass(frozen=True)
class Spec:
    label: str
    actor: str  # handling | township | county | applicant_or_handling
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
    "withdraw": Spec("撤回申请", "applicant_or_handling"),
}
LOG_LABELS = {"submit": "提交申请", **{name: spec.label for name, spec in SPECS.items()}}
DEFAULT_OPINIONS = {
    "pass_initial_review": "经初审，符合就业困难人员认定条件。",
    "township_approve": "经复核，符合就业困难人员认定条件。",
    "county_approve": "经审批，认定为就业困难人员。",
}


def may_act(user: User, application: Application, name: str) -> bool:
    """Whether `user` holds the role that performs `name` on this application (state aside)."""
    if not user.is_authenticated:
        return False
    if name == "withdraw" and user.is_admin:  # data correction from the admin, logged as the admin
        return True
    actor = SPECS[name].actor
    own = application.applicant.user_id is not None and application.applicant.user_id == user.pk
    handling = user.is_staff_officer and user.unit_id == application.handling_unit_id
    in_scope = user.is_staff_officer and application.unit_id.startswith(user.unit.prefix)
    return {
        "handling": handling,
        "township": user.role == Role.TOWNSHIP and in_scope,
        "county": user.role == Role.COUNTY and in_scope,
        "applicant_or_handling": own or handling,
    }[actor]


def available_transitions(application: Application, user: User) -> list[str]:
    return [
        name
        for name in SPECS
        if name not in ("publish", "close_notice")  # done through notices, with their period
        and can_proceed(getattr(application, name))
        and may_act(user, application, name)
    ]


def next_after_initial(application: Application) -> State:
    """新人社规〔2025〕1号 第七条/第十条: the township re-reviews what a community reviewed;
    where the township reviewed first, and in Jilin (二(三)), the county decides next."""
    procedure = policies.get(application.policy_code).procedure
    by_community = application.handling_unit.level == Level.COMMUNITY
    return State.TOWNSHIP_REVIEW if procedure.township_review and by_community else State.COUNTY_REVIEW


def next_after_negative_initial(application: Application) -> State:
    """Xinjiang 第九条 forwards a negative initial opinion upward; Jilin 二(二) tells the applicant."""
    procedure = policies.get(application.policy_code).procedure
    return next_after_initial(application) if procedure.forward_negative_initial else State.REJECTED


def required_materials(application: Application) -> list[dict]:
    """The checklist for this policy and the categories found at receipt, marking what is in hand
    and what is on file from earlier applications (offered for reuse, 第八条)."""
    policy = policies.get(application.policy_code)
    categories = set(application.category_codes)
    attached = set(application.materials.values_list("kind", flat=True))
    on_file = {}
    for material in Material.objects.filter(applicant_id=application.applicant_id).exclude(
        application_id=application.pk
    ):
        on_file[material.kind] = material.pk
    return [
        {
            "code": item.code,
            "label": item.label,
            "article": item.article,
            "provided": item.code in attached,
            "on_file_material_id": None if item.code in attached else on_file.get(item.code),
        }
        for item in policy.materials
        if item.applies_to(categories)
    ]


def missing_required_materials(application: Application) -> list[str]:
    return [item["code"] for item in required_materials(application) if not item["provided"]]


def stage_deadline(application: Application, today: date, calendar: workdays.WorkingCalendar):
    """Due date of the stage the application has just entered (None: no statutory limit)."""
    procedure = policies.get(application.policy_code).procedure
    state = application.state
    if state in FINAL_STATES or state in (State.SUBMITTED, State.AWAITING_MATERIALS):
        return None
    if procedure.whole_working_days:  # Jilin 二(四): 10 working days from acceptance for the whole
        return calendar.add_working_days(application.accepted_on, procedure.whole_working_days)
    if state == State.PUBLIC_NOTICE and application.notice_end:
        return workdays.Dated(application.notice_end, calendar.is_provisional(application.notice_end))
    if state == State.PENDING_NOTICE:  # still within the initial verification limit
        return workdays.Dated(application.stage_due_on, application.stage_due_provisional)
    days = procedure.stage_working_days.get(state)
    return calendar.add_working_days(today, days) if days else None


def _opinion_text(name: str, opinion: str, reason: str) -> str:
    return (reason or opinion).strip() or DEFAULT_OPINIONS.get(name, "")


def append_log(application, name, from_state, actor, opinion, reason, payload, at):
    """Append to the application's hash chain; the caller holds the row lock."""
    previous = application.log.order_by("-id").values_list("hash", flat=True).first()
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
        prev_hash=previous or GENESIS,
    )
    entry.hash = entry.compute_hash()
    entry.save()
    return entry


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
    """Perform one transition in one transaction with the row locked.

    Raises PermissionDenied (403) for the wrong actor, ValidationError (400) for a missing reason or
    bad payload, TransitionNotAllowed (409) from the wrong state or after losing a race."""
    if name not in SPECS:
        raise TransitionNotAllowed(f"未知的操作：{name}")
    spec = SPECS[name]
    reason, opinion = (reason or "").strip(), (opinion or "").strip()
    with transaction.atomic():
        application = (
            Application.objects.select_for_update().select_related("applicant", "handling_unit").get(pk=application_id)
        )
        if actor is not None and not may_act(actor, application, name):
            raise PermissionDenied("您不能对该申请执行此操作。")
        method = getattr(application, name)
        if not can_proceed(method):
            raise TransitionNotAllowed(f"申请当前状态为“{application.get_state_display()}”，不能执行“{spec.label}”。")
        if spec.needs_reason and not reason:
            raise ValidationError({"reason": "请填写不通过的原因。"})
        today = today or timezone.localdate()  # a sweep passes its as_of
        now = timezone.now()
        payload: dict = {}
        kwargs: dict = {}

        if name == "request_materials":
            payload["missing_materials"] = _validate_missing(application, missing_materials)
            application.missing_materials = payload["missing_materials"]
        elif name == "supplement":
            application.missing_materials = []
        elif name == "accept":
            if missing := missing_required_materials(application):
                raise ValidationError(
                    {"materials": f"材料不齐，不能受理。还缺：{_material_labels(application, missing)}"}
                )
            application.accepted_on = today
        elif name == "fail_initial_review":
            kwargs["next_state"] = next_after_negative_initial(application)
        elif name == "publish":
            if notice_period is None:
                raise ValidationError({"notice": "发布公示需要公示期。"})
            application.notice_start, application.notice_end = notice_period.start, notice_period.end
        elif name == "close_notice":
            if application.notice_end is None or today <= application.notice_end:
                raise TransitionNotAllowed("公示期尚未结束，不能结束公示。")
            kwargs["next_state"] = (
                next_after_negative_initial(application) if objection_upheld else next_after_initial(application)
            )
        from_state = application.state
        method(**kwargs)

        text = _opinion_text(name, opinion, reason)
        if spec.opinion or (name == "close_notice" and objection_upheld):
            stage, decision = spec.opinion or (Stage.INITIAL, Decision.FAIL)
            decision_now = evaluate(application.policy_code, facts_from_json(application.facts), today).as_dict()
            ReviewOpinion.objects.create(
                application=application,
                stage=stage,
                decision=decision,
                reason=text,
                officer=actor,
                unit_id=actor.unit_id if actor else application.handling_unit_id,
                eligibility=decision_now,
                at=now,
            )
        if application.state in FINAL_STATES:
            application.decided_on = today
        due = stage_deadline(application, today, workdays.load())
        application.stage_due_on = due.date if due else None
        application.stage_due_provisional = bool(due and due.provisional)
        application.save()
        if name == "county_approve":
            _recognise(application, actor, today)
        append_log(application, name, from_state, actor, opinion, reason, payload, now)
    return application


def _validate_missing(application: Application, codes: list[str] | None) -> list[str]:
    policy = policies.get(application.policy_code)
    known = {m.code for m in policy.materials}
    codes = list(dict.fromkeys(codes or []))
    if not codes:
        raise ValidationError({"missing_materials": "请一次性列出需要补正的全部材料。"})
    if unknown := [c for c in codes if c not in known]:
        raise ValidationError({"missing_materials": f"不在本政策材料清单中：{'、'.join(unknown)}"})
    return codes


def _material_labels(application: Application, codes: list[str]) -> str:
    labels = {m.code: m.label for m in policies.get(application.policy_code).materials}
    return "、".join(labels.get(c, c) for c in codes)


def _recognise(application: Application, actor: User, today: date) -> None:
    from exits.models import Recognition

    Recognition.objects.create(
        application=application,
        applicant=application.applicant,
        unit=application.unit,
        policy_code=application.policy_code,
        categories=application.category_codes,
        recognized_on=today,
        recognized_by=actor,
        approving_unit_id=actor.unit_id,
    )
