"""Writes of the outreach app: pushed lists (新人社规〔2025〕1号 第十三条), the work list's three outcomes,
household visits (第四条 调查摸底) and the register of persons (吉人社发〔2022〕10号 四(一) 一人一册)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django_fsm import TransitionNotAllowed

from accounts import areas, idnumber, phones
from accounts.models import Level, OrgUnit, Role, User
from accounts.selectors import unit_settings
from applications.models import OPEN_STATES, Application, Channel
from applications.services import application_create, handling_unit_for
from eligibility import policies, workdays
from eligibility.engine import Decision, FactError, evaluate
from eligibility.facts import FACT_NAMES, UNIT_PARAMETERS, Facts, facts_from_json, facts_to_json, with_unit_parameters
from eligibility.forms import LABELS as FACT_LABELS
from exits.importing import Row, read_table
from exits.models import Need, Recognition
from outreach.models import (
    ConsentMethod,
    Origin,
    Person,
    PersonChange,
    PushedPerson,
    PushedState,
    PushList,
    PushListState,
    Visit,
)

COLUMNS = ("id_number", "name", "unit_code", "phone")
FACT_COLUMNS = tuple(n for n in FACT_NAMES if n != "id_number" and n not in UNIT_PARAMETERS)
DATE_FACTS = ("unemployment_registered_on", "graduated_on")
TRUE, FALSE = {"1", "true", "t", "yes", "y", "是", "on"}, {"", "0", "false", "f", "no", "n", "否"}
PUSHING_ROLES = frozenset({Role.PROVINCE, Role.PREFECTURE})
CHUNK = 2000  # rows checked and stored per step; the progress moves after each
IN_CHUNK = 900  # values per `__in` lookup (SQLite's variable limit)


# --- reading a row

# The list's own columns by their Chinese names too, and the facts' by the labels of 资格预审
HEADERS = {"身份证号": "id_number", "身份证号码": "id_number", "姓名": "name", "联系电话": "phone", "手机号码": "phone"}
HEADERS |= dict.fromkeys(("常住地区划代码", "区划代码", "社区（村）区划代码", "单位代码"), "unit_code")
TEMPLATE_COLUMNS = (*COLUMNS, "female_original_retirement_age", "unemployment_registered_on", "receiving_dibao")


def column_labels() -> dict[str, str]:
    """Each column's Chinese name, as the template's header and each row's errors give it."""
    return {
        "id_number": "身份证号",
        "name": "姓名",
        "unit_code": "常住地区划代码",
        "phone": "联系电话",
        **{name: str(FACT_LABELS[name]) for name in FACT_COLUMNS if name in FACT_LABELS},
    }


def _error(column: str, message) -> str:
    labels = _LABELS.get(get_language()) or _LABELS.setdefault(get_language(), column_labels())  # once a language
    return f"{labels.get(column, column)}：{message}"


_LABELS: dict[str, dict[str, str]] = {}


def _facts_of(number: str, data: dict) -> tuple[Facts | None, list[str]]:
    """The optional fact columns (API.md "Facts"): booleans as 1/0, true/false or 是/否, dates YYYY-MM-DD.
    The unit parameters are never read from the file: they are the unit's (DESIGN.md §3)."""
    values: dict = {"id_number": number}
    errors = []
    for name in FACT_COLUMNS:
        raw = data.get(name, "").strip()
        if name in DATE_FACTS:
            try:
                values[name] = date.fromisoformat(raw) if raw else None
            except ValueError:
                errors.append(_error(name, "日期格式应为 YYYY-MM-DD。"))
        elif name == "female_original_retirement_age":
            if raw and raw not in ("50", "55"):
                errors.append(_error(name, "只能是50或55。"))
            values[name] = int(raw) if raw in ("50", "55") else None
        elif name == "monthly_income":
            try:
                values[name] = Decimal(raw or "0")
                if values[name] < 0:
                    raise InvalidOperation
            except InvalidOperation:
                errors.append(_error(name, "应为不小于0的金额。"))
        elif name == "other_note":
            values[name] = raw
        elif raw.lower() in TRUE | FALSE:
            values[name] = raw.lower() in TRUE
        else:
            errors.append(_error(name, "应填 是/否（或 1/0、true/false）。"))
    if (values.get("other_prescribed") or values.get("other_exclusion")) and not values.get("other_note"):
        errors.append(_error("other_note", "“其他情形”须注明依据的文件和条款。"))
    return (None if errors else Facts(**values)), errors


@dataclass
class Checked:
    """What checking a list found."""

    rows: int = 0
    bad: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    eligible: int = 0


class _Context:
    """Per list: the caller's units, each unit's parameters, route and due date, looked up once."""

    def __init__(self, actor: User, today: date):
        self.today = today
        self.units = {u.code: u for u in OrgUnit.objects.filter(code__startswith=actor.unit.prefix)}
        self.settings: dict = {}
        self.routes: dict = {}
        self.due: dict = {}
        self.seen: dict[str, int] = {}

    def unit_parameters(self, code):
        if code not in self.settings:
            self.settings[code] = unit_settings(code)
        return self.settings[code]

    def route(self, unit: OrgUnit) -> OrgUnit:
        """第七条: the community of residence, or its township where the community cannot accept."""
        if unit.code not in self.routes:
            self.routes[unit.code] = handling_unit_for(unit)
        return self.routes[unit.code]

    def due_on(self, unit_code: str) -> date:
        province = areas.province(unit_code)
        if province not in self.due:
            self.due[province] = contact_due_on(province, self.today)
        return self.due[province]


def contact_due_on(unit_code: str, pushed_on: date) -> date:
    """第十三条 sets no time limit for the verification; PUSH_CONTACT_WORKING_DAYS (a setting) does,
    counted in the working days of the person's province."""
    days = settings.PUSH_CONTACT_WORKING_DAYS
    return workdays.add_working_days(pushed_on, days, province=areas.province(unit_code)).date


def _check_row(ctx: _Context, row: Row) -> "Found | None":
    d = row.data
    try:
        number = idnumber.parse(d.get("id_number", "")).number
    except idnumber.InvalidIdNumber as exc:
        row.errors.append(_error("id_number", exc))
        number = None
    if not d.get("name"):
        row.errors.append(_error("name", "不能为空。"))
    elif len(d["name"]) > 50:
        row.errors.append(_error("name", "不能超过50个字。"))
    if (phone := d.get("phone", "")) and not phones.is_contact_phone(phone):
        row.errors.append(_error("phone", phones.CONTACT_MESSAGE))
    code = d.get("unit_code", "")
    unit = ctx.units.get(code)
    if unit is None:
        known = areas.is_valid(code) and OrgUnit.objects.filter(code=code).exists()
        row.errors.append(_error("unit_code", f"{code} 不在本单位辖区内。" if known else f"未知的单位 {code}。"))
    elif unit.level not in (Level.COMMUNITY, Level.TOWNSHIP):
        row.errors.append(_error("unit_code", "应填写常住地社区（村）或街道（乡镇）的区划代码。"))
    if number:
        if number in ctx.seen:
            row.errors.append(_error("id_number", f"与第{ctx.seen[number]}行重复。"))
        else:
            ctx.seen[number] = row.number
    facts, errors = _facts_of(number or "", d)
    row.errors.extend(errors)
    if row.errors:
        return None
    try:
        policy = policies.for_province(unit.code, ctx.today)
    except policies.UnknownPolicy as exc:
        row.errors.append(_error("unit_code", exc))
        return None
    facts = with_unit_parameters(facts, ctx.unit_parameters(unit.code))
    try:  # each row under its own province's policy, with its unit's parameters
        decision = evaluate(policy.code, facts, ctx.today)
    except FactError as exc:
        row.errors.append(_error(exc.field, exc.message))
        return None
    return Found(row.number, number, d["name"], d.get("phone", ""), unit, policy.code, facts, decision)


@dataclass(slots=True)
class Found:
    """A good row; it becomes a PushedPerson only when pushed (a dry run builds none)."""

    row: int
    id_number: str
    name: str
    phone: str
    unit: OrgUnit
    policy_code: str
    facts: Facts
    decision: Decision

    def pushed(self, ctx: "_Context", push_list: PushList) -> PushedPerson:
        return PushedPerson(
            push_list=push_list,
            row=self.row,
            id_number=self.id_number,
            name=self.name,
            phone=self.phone,
            unit=self.unit,
            receiving_unit=ctx.route(self.unit),
            policy_code=self.policy_code,
            facts=facts_to_json(self.facts),
            eligibility=self.decision.as_dict(),
            eligible=self.decision.eligible,
            pushed_on=ctx.today,
            due_on=ctx.due_on(self.unit.code),
        )


def _chunks(items: list, size: int = IN_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _skip_reasons(people: list[Found]) -> dict[str, str]:
    """Persons not pushed again (第十三条 finds those not yet helped): an open application in the
    province, an active recognition under the policy (第十八条), or already on a work list."""
    reasons: dict[str, str] = {}
    numbers = [p.id_number for p in people]
    for part in _chunks(numbers):
        for number, unit_code in Application.objects.filter(
            applicant__id_number__in=part, state__in=OPEN_STATES
        ).values_list("applicant__id_number", "unit_id"):
            reasons[f"{number}{unit_code[:2]}"] = "已有正在办理的认定申请。"
        for number, policy_code in Recognition.objects.filter(active=True, applicant__id_number__in=part).values_list(
            "applicant__id_number", "policy_code"
        ):
            reasons[f"{number}{policy_code}"] = "已被认定为就业困难人员（认定有效）。"
        for number, policy_code in PushedPerson.objects.filter(
            state=PushedState.PENDING, id_number__in=part
        ).values_list("id_number", "policy_code"):
            reasons.setdefault(f"{number}{policy_code}", "已在社区（村）的待核实名单中。")
    found = {}
    for p in people:
        reason = reasons.get(f"{p.id_number}{p.unit.code[:2]}") or reasons.get(f"{p.id_number}{p.policy_code}")
        if reason:
            found[p.id_number] = reason
    return found


def _check_chunk(ctx: _Context, rows: list[Row], out: Checked) -> list[Found]:
    people = [p for p in (_check_row(ctx, r) for r in rows) if p is not None]
    out.bad.extend({"row": r.number, "errors": r.errors} for r in rows if r.errors)
    reasons = _skip_reasons(people)
    out.skipped.extend({"row": p.row, "reason": reasons[p.id_number]} for p in people if p.id_number in reasons)
    people = [p for p in people if p.id_number not in reasons]
    out.eligible += sum(p.decision.eligible for p in people)
    out.rows += len(rows)
    return people


# --- pushing


def check_pusher(actor: User) -> None:
    """第十三条: the 自治区 pushes; prefectures push within their area too."""
    if not (actor.is_staff_officer and actor.role in PUSHING_ROLES):
        raise PermissionDenied("只有省（自治区）和市（地、州）人社部门可以推送名单。")


def push_list_read(*, name: str, data: bytes) -> list[Row]:
    try:
        return read_table(name, data, COLUMNS, aliases=HEADERS | {v: k for k, v in column_labels().items()})
    except ValueError as exc:
        raise ValidationError({"file": str(exc)}) from None


def push_list_check(*, actor: User, rows: list[Row]) -> Checked:
    """The dry run: every row checked and evaluated, nothing stored."""
    check_pusher(actor)
    ctx, out = _Context(actor, timezone.localdate()), Checked()
    for part in _chunks(rows, CHUNK):
        _check_chunk(ctx, part, out)
    return out


def push_list_create(*, actor: User, name: str, data: bytes, rows: list[Row], dry_run: bool = False) -> PushList:
    """A list small enough is pushed at once; a larger one (PUSH_LIST_SYNC_ROWS), or the dry run of one,
    is kept and queued for the Celery task, which calls push_list_run."""
    check_pusher(actor)
    push_list = PushList.objects.create(
        unit=actor.unit, created_by=actor, file_name=name[:200], rows=len(rows), dry_run=dry_run
    )
    if len(rows) > settings.PUSH_LIST_SYNC_ROWS:
        push_list.upload.save(f"{push_list.pk}{name[-5:]}", ContentFile(data))
        from outreach.tasks import run_push_list

        transaction.on_commit(lambda: run_push_list.delay(push_list.pk))
        return push_list
    return _push(push_list, actor, rows)


def push_list_run(*, push_list_id: int) -> PushList:
    """The queued list, claimed once (queued → running), so a second worker does nothing."""
    if not PushList.objects.filter(pk=push_list_id, state=PushListState.QUEUED).update(state=PushListState.RUNNING):
        return PushList.objects.get(pk=push_list_id)
    push_list = PushList.objects.select_related("created_by__unit").get(pk=push_list_id)
    try:
        with push_list.upload.open("rb") as f:
            rows = push_list_read(name=push_list.file_name, data=f.read())
        push_list = _push(push_list, push_list.created_by, rows)
    except Exception as exc:
        error = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)  # not "{'file': [...]}"
        PushList.objects.filter(pk=push_list_id).update(state=PushListState.FAILED, error=error[:300])
        raise
    push_list.upload.delete(save=False)
    PushList.objects.filter(pk=push_list_id).update(upload="")
    return push_list


def _push(push_list: PushList, actor: User, rows: list[Row]) -> PushList:
    ctx, out = _Context(actor, timezone.localdate()), Checked()
    for part in _chunks(rows, CHUNK):
        found = _check_chunk(ctx, part, out)
        people = [] if push_list.dry_run else [f.pushed(ctx, push_list) for f in found]
        with transaction.atomic():
            PushedPerson.objects.bulk_create(people, batch_size=500)
            _register_many(people)
            push_list.processed = out.rows
            push_list.pushed += len(people)
            push_list.save(update_fields=["processed", "pushed"])
    push_list.bad, push_list.skipped, push_list.state = out.bad, out.skipped, PushListState.DONE
    push_list.save(update_fields=["bad", "skipped", "state"])
    return push_list


def _register_many(people: list[PushedPerson]) -> None:
    """一人一册: each pushed person gets a record, an existing one is kept; the push itself is the
    PushedPerson row, which the person's page lists with its outcome."""
    Person.objects.bulk_create(
        [Person(id_number=p.id_number, name=p.name, phone=p.phone, unit=p.unit) for p in people],
        batch_size=500,
        ignore_conflicts=True,
    )


# --- the work list (推送名单待核实)


def check_receiver(actor: User, pushed: PushedPerson) -> None:
    """第十三条 各地需核实人员情况: the officers of the receiving community (or township) record the outcome."""
    if not (actor.is_staff_officer and actor.unit_id == pushed.receiving_unit_id):
        raise PermissionDenied("只有核实单位的工作人员可以登记核实结果。")


def _claim(actor: User, pushed_id: int) -> PushedPerson:
    """The row locked; only the receiving unit's officers act on it; an outcome is given once (409)."""
    pushed = PushedPerson.objects.select_for_update().get(pk=pushed_id)
    check_receiver(actor, pushed)
    if pushed.state != PushedState.PENDING:
        raise TransitionNotAllowed(f"该人员已核实（{pushed.get_state_display()}），不能重复登记。")
    return pushed


@transaction.atomic
def pushed_consent(
    *, actor: User, pushed_id: int, method: str, note: str = "", commitments: tuple[str, ...] = ("truthfulness",)
) -> Application:
    """第十三条 经本人同意后为其申报: the consent (who, when, how) and the `proactive` application,
    received through the same intake as every other (applications.services.application_create)."""
    if method not in ConsentMethod.values:
        raise ValidationError({"method": "请选择本人同意的方式。"})
    pushed = _claim(actor, pushed_id)
    pushed.state, pushed.outcome_by, pushed.outcome_at = PushedState.CONSENTED, actor, timezone.now()
    pushed.consent_method, pushed.note = method, note
    application = application_create(
        actor=actor,
        unit_code=pushed.unit_id,
        channel=Channel.PROACTIVE,
        applicant={"name": pushed.name, "id_number": pushed.id_number, "phone": pushed.phone},
        facts=facts_from_json(pushed.facts),
        commitments=list(commitments),
        consent_recorded=True,
    )
    pushed.application = application
    pushed.save(update_fields=["state", "outcome_by", "outcome_at", "consent_method", "note", "application"])
    _register_event(
        pushed,
        actor,
        "consent",
        f"本人同意申报（{pushed.get_consent_method_display()}），受理编号 {application.reference}",
    )
    return application


@transaction.atomic
def pushed_close(*, actor: User, pushed_id: int, state: str, reason: str) -> PushedPerson:
    """Declined (本人不同意), or unreachable / not resident: returned to the pushing unit with the reason."""
    if state not in (PushedState.DECLINED, PushedState.UNREACHABLE):
        raise ValidationError({"state": "未知的核实结果。"})
    if not reason.strip():
        raise ValidationError({"reason": "请填写原因。"})
    pushed = _claim(actor, pushed_id)
    pushed.state, pushed.outcome_by, pushed.outcome_at, pushed.note = state, actor, timezone.now(), reason.strip()
    pushed.save(update_fields=["state", "outcome_by", "outcome_at", "note"])
    _register_event(pushed, actor, state, f"{pushed.get_state_display()}：{pushed.note}")
    return pushed


def _register_event(pushed: PushedPerson, actor: User, event: str, summary: str) -> None:
    person, _ = Person.objects.get_or_create(
        id_number=pushed.id_number, defaults={"name": pushed.name, "phone": pushed.phone, "unit": pushed.unit}
    )
    PersonChange.objects.create(
        person=person, at=timezone.now(), actor=actor, event=event, summary=summary[:300], changes={"pushed": pushed.pk}
    )


# --- surveys and the register


def check_surveyor(actor: User) -> None:
    """第四条: communities (villages) and townships do the 调查摸底 of their residents."""
    if not (actor.is_staff_officer and actor.role in (Role.COMMUNITY, Role.TOWNSHIP)):
        raise PermissionDenied("入户调查由社区（村）或街道（乡镇）工作人员登记。")


def _survey_unit(actor: User, unit_code: str) -> OrgUnit:
    check_surveyor(actor)
    try:
        unit = OrgUnit.objects.get(code=unit_code)
    except OrgUnit.DoesNotExist:
        raise ValidationError({"unit_code": "没有这个单位。"}) from None
    if not unit.code.startswith(actor.unit.prefix) or unit.level not in (Level.COMMUNITY, Level.TOWNSHIP):
        raise ValidationError({"unit_code": "请选择本辖区的社区（村）。"})
    return unit


@transaction.atomic
def visit_record(
    *,
    actor: User,
    id_number: str,
    name: str,
    unit_code: str,
    visited_on: date,
    findings: str,
    job_wishes: str = "",
    service_needs: list[str] = (),
    phone: str = "",
) -> Visit:
    """入户调查 (第四条 调查摸底; 四(一) 定期组织入户调查): the visit is kept, and the register takes the
    job wishes and service needs it found as current, logging what they were."""
    unit = _survey_unit(actor, unit_code)
    try:
        number = idnumber.parse(id_number).number
    except idnumber.InvalidIdNumber as exc:
        raise ValidationError({"id_number": str(exc)}) from None
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": "调查日期不能晚于今天。"})
    if unknown := [n for n in service_needs if n not in Need.values]:
        raise ValidationError({"service_needs": f"未知的服务需求：{'、'.join(unknown)}"})
    if not findings.strip():
        raise ValidationError({"findings": "请填写调查情况。"})
    if phone and not phones.is_contact_phone(phone):
        raise ValidationError({"phone": phones.CONTACT_MESSAGE})
    person, created = Person.objects.select_for_update().get_or_create(
        id_number=number, defaults={"name": name, "phone": phone, "unit": unit}
    )
    if not created and person.unit_id != unit.code and not person.unit_id.startswith(actor.unit.prefix):
        person.unit = unit  # moved into this community: the register follows the residence
    visit = Visit.objects.create(
        person=person,
        unit=unit,
        visited_on=visited_on,
        officer=actor,
        findings=findings.strip(),
        job_wishes=job_wishes.strip(),
        service_needs=list(dict.fromkeys(service_needs)),
    )
    person_update(
        actor=actor,
        person=person,
        event="visit",
        summary=f"入户调查（{visited_on:%Y-%m-%d}）",
        name=name or person.name,
        phone=phone or person.phone,
        unit=unit,
        job_wishes=visit.job_wishes or person.job_wishes,
        service_needs=visit.service_needs or person.service_needs,
    )
    return visit


def person_update(*, actor: User, person: Person, event: str, summary: str, **values) -> Person:
    """The register's fields changed and the change appended to its history (before → after)."""
    changes = {}
    for key, value in values.items():
        before = getattr(person, key)
        if key == "unit":
            before, value = person.unit_id, value.code
            key = "unit_id"
        if before != value:
            changes[key] = [before, value]
            setattr(person, key, value)
    person.save()
    PersonChange.objects.create(
        person=person, at=timezone.now(), actor=actor, event=event, summary=summary[:300], changes=changes
    )
    return person


@transaction.atomic
def visit_to_work_list(*, actor: User, visit_id: int, facts: dict | None = None) -> PushedPerson:
    """A person met in a survey goes onto the community's own work list (第十三条 发现一人), evaluated
    under the province's policy like a pushed row; consent is asked there as for any pushed person."""
    check_surveyor(actor)
    visit = Visit.objects.select_related("person", "unit").get(pk=visit_id)  # callers: selectors.visit_for_user
    person = visit.person
    today = timezone.localdate()
    try:
        policy = policies.for_province(visit.unit_id, today)
    except policies.UnknownPolicy as exc:
        raise ValidationError({"unit_code": str(exc)}) from None
    row = Row(0, {k: str(v) for k, v in (facts or {}).items()})
    parsed, errors = _facts_of(person.id_number, row.data)
    if errors:
        raise ValidationError({"facts": errors})
    parsed = with_unit_parameters(parsed, unit_settings(visit.unit_id))
    try:
        decision = evaluate(policy.code, parsed, today)
    except FactError as exc:
        raise ValidationError({exc.field: exc.message}) from None
    pending = PushedPerson.objects.filter(state=PushedState.PENDING, policy_code=policy.code)
    if pending.filter(id_number=person.id_number).exists():
        raise TransitionNotAllowed("该人员已在待核实名单中。")
    pushed = PushedPerson.objects.create(
        origin=Origin.SURVEY,
        id_number=person.id_number,
        name=person.name,
        phone=person.phone,
        unit=visit.unit,
        receiving_unit=handling_unit_for(visit.unit),
        policy_code=policy.code,
        facts=facts_to_json(parsed),
        eligibility=decision.as_dict(),
        eligible=decision.eligible,
        pushed_on=today,
        due_on=contact_due_on(visit.unit_id, today),
    )
    PersonChange.objects.create(
        person=person, at=timezone.now(), actor=actor, event="listed", summary="入户调查后列入待核实名单", changes={}
    )
    return pushed
