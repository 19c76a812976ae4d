"""Writes of the exits app (DESIGN.md §7). Other apps call these; exits reaches applications only by
string foreign keys and the objects it is handed: applications imports exits, never the other way round.

Every change of an exit case goes through `exit_transition`: one transaction, the row locked, the
django-fsm transition declared on ExitCase, `update_fields`, a hash-chained ExitLog, the recognition's
status, and the person's message in the same transaction (accounts.notifications)."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed, can_proceed

from accounts import audit
from accounts.models import AuditAction, NotificationKind, User
from accounts.notifications import notify
from config.records import GENESIS
from eligibility import policies
from eligibility.dates import add_months
from exits.access import access_for, person_account
from exits.models import (
    ExitCase,
    ExitLog,
    ExitSource,
    ExitState,
    Need,
    Outcome,
    Plan,
    Recognition,
    ServiceKind,
    ServiceRecord,
    Subsidy,
    SubsidyKind,
)
from exits.tally import recognition_counts, tally_move

IDENTITY_CHECK_ARTICLE = {"xinjiang-2025": "第十七条", "jilin-2022": "四(一)"}  # 定期身份核验 / 动态维护
JILIN_MINIMUM_REFERRALS = 3  # jilin-2022 四(二): 对具有市场就业能力的，至少提供 3 个岗位信息


def identity_check_months() -> int:
    return getattr(settings, "EXITS_IDENTITY_CHECK_MONTHS", 6)


def has_active_recognition(*, applicant_id: int, policy_code: str) -> bool:
    """第十八条: a person holding an active recognition may not apply again until they exit."""
    return Recognition.objects.filter(applicant_id=applicant_id, policy_code=policy_code, active=True).exists()


def recognition_create(
    *,
    application,
    officer,
    recognized_on: date,
    card_category: str = "",
    card_agency: str = "",
    card_handler: str = "",
) -> Recognition:
    """County approval (第十一条, Jilin 二(三)) recognises the person: categories, unit, officer, date.
    Jilin 二(三): the 就业创业证 entry (类别、认定机构、经办人) is recorded with the approval."""
    policy = policies.get(application.policy_code)
    codes = application.category_codes
    retirement = (application.eligibility or {}).get("statutory_retirement_date")
    recognition = Recognition(
        application=application,
        applicant_id=application.applicant_id,
        unit_id=application.unit_id,
        policy_code=application.policy_code,
        categories=codes,
        recognized_on=recognized_on,
        recognized_by=officer,
        approving_unit_id=officer.unit_id,
        statutory_retirement_on=date.fromisoformat(retirement) if retirement else None,
        last_contact_on=recognized_on,
        identity_check_due_on=add_months(recognized_on, identity_check_months()),
        zero_employment_household="zero_employment_household" in codes,
    )
    if application.policy_code == "jilin-2022":
        labels = {rule.code: rule.label for rule in policy.categories}
        recognition.card_category = card_category or "、".join(labels.get(c, c) for c in codes)
        recognition.card_agency = card_agency or (officer.unit.name if officer.unit else "")
        recognition.card_handler = card_handler or str(officer)
    recognition.save()
    tally_move(after=recognition_counts(recognition))
    return recognition


# --- assistance (xinjiang 第十四条, 第十五条, 第二十条; jilin 四)


def _may_assist(actor: User, recognition: Recognition) -> None:
    if not access_for(actor, recognition).may("assist"):
        raise PermissionDenied("您不能为该人员记录就业援助。")


def _not_before(recognition: Recognition, field: str, day: date | None, what: str) -> None:
    """A recognition's plan, services, subsidies and exits come after it (and a year-1 date is a typing error)."""
    if day is not None and day < recognition.recognized_on:
        raise ValidationError({field: f"{what}不能早于认定日期（{recognition.recognized_on:%Y-%m-%d}）。"})


def _lock(recognition_id: int) -> Recognition:
    return (
        Recognition.objects.select_for_update(of=("self",))
        .select_related("applicant__user", "unit")
        .get(pk=recognition_id)
    )


def plan_put(
    *,
    actor: User,
    recognition_id: int,
    needs: list[str],
    steps: str,
    officer: str,
    review_on: date | None,
    market_capable: bool = True,
    assistance_ends_on: date | None = None,
    zero_employment_household: bool | None = None,
    household_employed_on: date | None = None,
) -> Plan:
    """The one-to-one plan (xinjiang 第十四条: 步骤、援助内容、援助途径、负责人员; jilin 四(二) 一人一策)."""
    unknown = [n for n in needs if n not in Need.values]
    if not needs or unknown:
        raise ValidationError({"needs": "请选择援助需求：就业、创业、培训或公益性岗位。"})
    if not steps.strip():
        raise ValidationError({"steps": "请填写援助步骤与内容。"})
    if not officer.strip():
        raise ValidationError({"officer": "请填写负责人员。"})
    with transaction.atomic():
        recognition = _lock(recognition_id)
        _may_assist(actor, recognition)
        if not recognition.active:
            raise TransitionNotAllowed("该人员的认定已退出，不能再制定援助方案。")
        _not_before(recognition, "review_on", review_on, "回访日期")
        plan = Plan.objects.filter(recognition=recognition).first() or Plan(recognition=recognition)
        plan.needs, plan.steps, plan.officer = list(dict.fromkeys(needs)), steps.strip(), officer.strip()
        plan.review_on, plan.market_capable, plan.updated_by = review_on, market_capable, actor
        plan.save()
        fields = []
        if assistance_ends_on is not None:  # jilin 三(二): the assistance period the sweep watches
            recognition.assistance_ends_on = assistance_ends_on
            fields.append("assistance_ends_on")
        if zero_employment_household is not None:  # xinjiang 第二十条
            recognition.zero_employment_household = zero_employment_household
            fields.append("zero_employment_household")
        if household_employed_on is not None:
            recognition.household_employed_on = household_employed_on
            fields.append("household_employed_on")
        if fields:
            recognition.save(update_fields=fields)
    return plan


def service_record(
    *, actor: User, recognition_id: int, kind: str, day: date, outcome: str, note: str = ""
) -> tuple[ServiceRecord, list[str]]:
    """A service offered or a contact made. A successful contact or a service request resets the
    6 months of xinjiang 第十六条(八); an identity check sets the next one (第十七条).
    Returns the record and the warnings the officer should see (jilin 四(二))."""
    if kind not in ServiceKind.values:
        raise ValidationError({"kind": "未知的服务类型。"})
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "未知的服务结果。"})
    if day > timezone.localdate():
        raise ValidationError({"date": "服务日期不能晚于今天。"})
    with transaction.atomic():
        recognition = _lock(recognition_id)
        _may_assist(actor, recognition)
        if not recognition.active:
            raise TransitionNotAllowed("该人员的认定已退出，不能再记录援助服务。")
        _not_before(recognition, "date", day, "服务日期")
        record = ServiceRecord.objects.create(
            recognition=recognition, kind=kind, date=day, outcome=outcome, note=note.strip(), recorded_by=actor
        )
        fields = []
        if outcome != Outcome.UNREACHABLE and (
            recognition.last_contact_on is None or day > recognition.last_contact_on
        ):
            recognition.last_contact_on = day
            fields.append("last_contact_on")
        if kind == ServiceKind.IDENTITY_CHECK and outcome != Outcome.UNREACHABLE:
            recognition.identity_check_due_on = add_months(day, identity_check_months())
            fields.append("identity_check_due_on")
        if fields:
            recognition.save(update_fields=fields)
    return record, assistance_warnings(recognition)


def assistance_warnings(recognition: Recognition) -> list[str]:
    """jilin-2022 四(二): a market-capable person is offered at least 3 job referrals."""
    if not recognition.is_jilin or not recognition.active:
        return []
    plan = Plan.objects.filter(recognition=recognition).only("market_capable").first()
    if plan is not None and not plan.market_capable:
        return []
    offered = recognition.services.filter(kind=ServiceKind.JOB_REFERRAL).count()
    if offered >= JILIN_MINIMUM_REFERRALS:
        return []
    return [f"对具有市场就业能力的，至少提供3个岗位信息（吉人社发〔2022〕10号 四(二)），目前已提供{offered}个。"]


def subsidy_record(
    *, actor: User, recognition_id: int, kind: str, start: date, end: date | None, note: str = ""
) -> Subsidy:
    """xinjiang 第十五条: the subsidies and policies a person enjoys, with start and end."""
    if kind not in SubsidyKind.values:
        raise ValidationError({"kind": "未知的补贴或政策类型。"})
    if end is not None and end < start:
        raise ValidationError({"end": "结束日期不能早于开始日期。"})
    with transaction.atomic():
        recognition = _lock(recognition_id)
        _may_assist(actor, recognition)
        if not recognition.active:
            raise TransitionNotAllowed("该人员的认定已退出，不能再登记享受政策。")
        _not_before(recognition, "start", start, "开始日期")
        return Subsidy.objects.create(
            recognition=recognition, kind=kind, start=start, end=end, note=note.strip(), recorded_by=actor
        )


def employment_record(*, actor: User, recognition_id: int, employed_on: date) -> Recognition:
    """xinjiang 第十六条(一): found work. Without a running difficulty subsidy the exit is proposed at
    once; with one, the daily sweep proposes it when the subsidy ends (延长至该政策享受期满)."""
    if employed_on > timezone.localdate():
        raise ValidationError({"employed_on": "就业日期不能晚于今天。"})
    with transaction.atomic():
        recognition = _lock(recognition_id)
        _may_assist(actor, recognition)
        if not recognition.active:
            raise TransitionNotAllowed("该人员的认定已退出。")
        _not_before(recognition, "employed_on", employed_on, "就业日期")  # the exit it brings dates from it
        recognition.employed_on = employed_on
        recognition.save(update_fields=["employed_on"])
    return recognition


# --- exit cases (xinjiang 第十六条–第十九条; jilin 三, 五(三))


def reason_for(policy_code: str, code: str):
    for reason in policies.get(policy_code).exit_reasons:
        if reason.code == code:
            return reason
    return None


def running_subsidy_end(recognition: Recognition, on: date) -> date | None:
    """The last end of the subsidies still running on `on` (an open end counts as running)."""
    running = list(recognition.subsidies.filter(start__lte=on).values_list("end", flat=True))
    running = [end for end in running if end is None or end >= on]
    if not running:
        return None
    return date.max if None in running else max(running)


def exit_propose(
    *,
    actor: User,
    recognition_id: int,
    reason: str,
    effective_on: date,
    note: str = "",
    today: date | None = None,
) -> ExitCase:
    """A manual proposal (community, township or county in scope), with a reason the policy allows."""
    today = today or timezone.localdate()
    with transaction.atomic():
        recognition = _lock(recognition_id)
        _may_assist(actor, recognition)
        found = reason_for(recognition.policy_code, reason)
        if found is None:
            allowed = "、".join(r.code for r in policies.get(recognition.policy_code).exit_reasons)
            raise ValidationError({"reason": f"本政策没有这一退出情形。可选：{allowed}"})
        if effective_on > today:
            raise ValidationError({"effective_on": "退出情形发生日期不能晚于今天。"})
        if reason in ("other", "no_longer_eligible", "fraud") and not note.strip():
            raise ValidationError({"note": "请说明具体情形和依据。"})
        if not recognition.active:
            raise TransitionNotAllowed("该人员的认定已退出。")
        _not_before(recognition, "effective_on", effective_on, "退出情形发生日期")
        if reason == "employed" and (end := running_subsidy_end(recognition, effective_on)):
            shown = "无截止日期" if end == date.max else f"至 {end:%Y-%m-%d}"
            raise ValidationError(
                {
                    "effective_on": f"该人员正在享受就业困难人员补贴政策（{shown}），退出延长至该政策享受期满"
                    f"（第十六条(一)）：请登记就业日期，期满后由系统提出退出。"
                }
            )
        if ExitCase.objects.filter(recognition=recognition, reason=reason, state=ExitState.PROPOSED).exists():
            raise TransitionNotAllowed("该人员已有同一情形的退出待确认。")
        try:
            with transaction.atomic():  # the sweep may have proposed the same reason a moment ago
                case = ExitCase.objects.create(
                    recognition=recognition,
                    reason=reason,
                    article=found.article,
                    reason_label=found.label,
                    source=ExitSource.MANUAL,
                    effective_on=effective_on,
                    note=note.strip(),
                    proposed_by=actor,
                    proposed_on=today,
                )
        except IntegrityError:
            raise TransitionNotAllowed("该人员已有同一情形的退出待确认。") from None
        audit_transition(append_log(case, "propose", "", actor, note.strip(), {}, timezone.now()))
    return case


@dataclass(frozen=True)
class Spec:
    label: str
    actor: str  # exits.access.Access.may


SPECS: dict[str, Spec] = {
    "confirm": Spec("确认退出，取消认定", "county"),
    "dismiss": Spec("不予退出", "county"),
    "objection": Spec("申请重核", "own_or_assist"),
    "restore": Spec("重核：恢复认定", "county"),
    "uphold": Spec("重核：维持取消", "county"),
}
LOG_LABELS = {"propose": "提出退出", **{name: spec.label for name, spec in SPECS.items()}}
# Every field a transition may change: saved with update_fields.
CASE_FIELDS = [
    "state",
    "decided_by",
    "decided_on",
    "decision_note",
    "notified_on",
    "objection_deadline",
    "objection_content",
    "objection_on",
    "finding",
    "reverified_on",
    "updated_at",
]


def append_log(case: ExitCase, name: str, from_state: str, actor: User | None, note: str, payload: dict, at):
    """Append to the case's hash chain; the caller holds the row lock (or has just created the row)."""
    previous = case.log.order_by("-id").values_list("hash", flat=True).first()
    entry = ExitLog(
        case=case,
        name=name,
        from_state=from_state,
        to_state=case.state,
        actor=actor,
        role=getattr(actor, "role", "system") if actor else "system",
        unit_code=(actor.unit_id or "") if actor else "",
        note=note,
        payload=payload,
        at=at,
        prev_hash=previous or GENESIS,
    )
    entry.hash = entry.compute_hash()
    entry.save()
    case.seal(entry)
    return entry


def audit_transition(entry: ExitLog) -> None:
    """DESIGN.md §9: every state change is in the audit trail (under the recognition), in its transaction."""
    audit.record(
        actor=entry.actor,
        action=AuditAction.TRANSITION,
        object_type="recognition",
        object_id=entry.case.recognition_id,
        detail={"exit_case": entry.case_id, "name": entry.name, "from": entry.from_state, "to": entry.to_state},
    )


def exit_check(*, case: ExitCase, name: str, actor: User | None) -> None:
    """Whether `actor` (None: the system) may take `name` on the case as it stands: PermissionDenied or
    TransitionNotAllowed if not. exit_transition asks it under the row lock; the pages ask it before
    asking for confirmation, so nothing is confirmed that would then be refused. No query."""
    spec = SPECS[name]
    if actor is not None and not access_for(actor, case.recognition).may(spec.actor):
        raise PermissionDenied("您不能对该退出执行此操作。")
    if not can_proceed(getattr(case, name)):
        raise TransitionNotAllowed(f"当前状态为“{case.get_state_display()}”，不能执行“{spec.label}”。")
    if name == "confirm" and not case.recognition.active:
        raise TransitionNotAllowed("该人员的认定已经退出。")


def exit_transition(
    *,
    case_id: int,
    name: str,
    actor: User | None,
    note: str = "",
    content: str = "",
    finding: str = "",
    today: date | None = None,
) -> ExitCase:
    """One change of an exit case in one transaction with the row locked. `actor` None is the system
    (the retirement-age auto-confirmation). PermissionDenied → 403, ValidationError → 400,
    TransitionNotAllowed → 409 (wrong state, a lost race, after the 30 days of 第十九条)."""
    if name not in SPECS:
        raise TransitionNotAllowed(f"未知的操作：{name}")
    note, content, finding = (note or "").strip(), (content or "").strip(), (finding or "").strip()
    today = today or timezone.localdate()
    with transaction.atomic():
        case = (
            ExitCase.objects.select_for_update(of=("self",))
            .select_related("recognition__applicant__user", "recognition__unit")
            .get(pk=case_id)
        )
        recognition = (
            Recognition.objects.select_for_update(of=("self",))
            .select_related("applicant__user", "unit")
            .get(pk=case.recognition_id)
        )
        case.recognition = recognition
        exit_check(case=case, name=name, actor=actor)
        method = getattr(case, name)
        from_state = case.state
        payload: dict = {}
        if name in ("confirm", "dismiss"):
            method(today, note)
        elif name == "objection":
            method(today, content)
        else:
            method(today, finding)
        if name in ("confirm", "dismiss"):
            case.decided_by = actor
        case.save(update_fields=CASE_FIELDS)
        counted = recognition_counts(recognition)
        if name == "confirm":
            recognition.active, recognition.ended_on, recognition.end_reason = False, today, case.reason
            recognition.save(update_fields=["active", "ended_on", "end_reason"])
            tally_move(before=counted, after=recognition_counts(recognition))
            if case.reason == "fraud":  # 第十七条, jilin 五(三): 补贴资金应当予以追回
                flagged = list(
                    recognition.subsidies.filter(recovery_flagged_on__isnull=True).values_list("pk", flat=True)
                )
                Subsidy.objects.filter(pk__in=flagged).update(recovery_flagged_on=today)
                payload["subsidies_flagged_for_recovery"] = flagged
        elif name == "restore":
            recognition.active, recognition.ended_on, recognition.end_reason = True, None, ""
            try:
                with transaction.atomic():
                    recognition.save(update_fields=["active", "ended_on", "end_reason"])
            except IntegrityError:
                raise TransitionNotAllowed("该人员已有新的有效认定，不能恢复原认定。") from None
            tally_move(before=counted, after=recognition_counts(recognition))
            flagged = case.log.filter(name="confirm").values_list("payload", flat=True).first() or {}
            if ids := flagged.get("subsidies_flagged_for_recovery"):
                Subsidy.objects.filter(pk__in=ids).update(recovery_flagged_on=None)
        entry = append_log(case, name, from_state, actor, note or content or finding, payload, timezone.now())
        audit_transition(entry)
        notify_person(case, entry)
    return case


def notify_person(case: ExitCase, entry: ExitLog) -> None:
    """The person's message (DESIGN.md §7, §10): on confirmation with the reason, the article and the
    right to ask for re-verification within 30 days (第十九条); on the re-verification's outcome."""
    recognition = case.recognition
    user = person_account(recognition.applicant)
    if user is None or entry.actor_id == user.pk or case.state not in ("confirmed", "restored", "upheld"):
        return
    document = policies.get(recognition.policy_code).document
    if case.state == ExitState.CONFIRMED:
        title = "取消就业困难人员认定告知"
        body = (
            f"经核实，您因“{case.reason_label}”（{document} {case.article}），自 {case.decided_on:%Y-%m-%d} "
            f"起取消就业困难人员认定。如有异议，可在收到本告知后30日内（{case.objection_deadline:%Y-%m-%d} 前）"
            f"向做出核定的人力资源和社会保障部门申请重核（第十九条）。"
        )
    elif case.state == ExitState.RESTORED:
        title = "重核结果：恢复就业困难人员认定"
        body = f"经重核，恢复您的就业困难人员认定。重核结论：{case.finding}"
    else:
        title = "重核结果：维持取消认定"
        body = f"经重核，维持取消您的就业困难人员认定。重核结论：{case.finding}"
    notify(user=user, key=f"exit-log:{entry.pk}", kind=NotificationKind.RECOGNITION, title=title, body=body)
