"""Public notices (DESIGN.md §6): a batch of a handling unit's applications in pending_notice,
published for 3 working days, objections verified, then closed — moving each application on
through the one application service."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from accounts.idnumber import mask
from accounts.models import User
from accounts.scoping import covers
from applications import workflow
from applications.models import Application, State
from eligibility import policies, workdays
from publicity.access import acts_for_notice
from publicity.models import Notice, NoticeLine, NoticeState, Objection, ObjectionState


class ObjectionsPending(TransitionNotAllowed):
    """409: a notice does not close while an objection to it is still unverified."""


class NotPublished(TransitionNotAllowed):
    """409: the notice is not (or no longer) published, e.g. another worker has just closed it."""


class PeriodNotOver(TransitionNotAllowed):
    """409: a notice closes only after its period."""


def _handling_staff(actor: User, notice_or_unit_code: Notice | str) -> None:
    unit_code = notice_or_unit_code if isinstance(notice_or_unit_code, str) else notice_or_unit_code.unit_id
    if not acts_for_notice(actor, unit_code):
        raise PermissionDenied("只有公示单位的工作人员可以办理。")


def notice_title(unit_name: str, policy_code: str) -> str:
    """附件3 / 二(二): the unit's name before the policy's own heading of the list."""
    return f"{unit_name}{policies.get(policy_code).notice_list_heading}"


@transaction.atomic
def notice_create(
    *,
    actor: User,
    unit_code: str,
    application_ids: list[int],
    supervision_phone: str,
    contact_person: str,
    agency_name: str,
    title: str = "",
    external_url: str = "",
) -> Notice:
    if not covers(actor, unit_code):
        raise Http404  # a unit outside the officer's scope: 404, whether it exists or not (API.md "Errors")
    _handling_staff(actor, unit_code)
    ids = list(dict.fromkeys(application_ids))
    if not ids:
        raise ValidationError({"application_ids": "请选择要公示的申请。"})
    applications = list(
        Application.objects.select_for_update().filter(pk__in=ids, handling_unit_id=unit_code).order_by("id")
    )
    if missing := sorted(set(ids) - {a.pk for a in applications}):
        raise ValidationError({"application_ids": f"不是本单位受理的申请：{missing}"})
    if not_ready := [a.reference for a in applications if a.state != State.PENDING_NOTICE]:
        raise ValidationError({"application_ids": f"以下申请不在待公示状态：{'、'.join(not_ready)}"})
    taken = NoticeLine.objects.filter(application__in=applications, notice__state=NoticeState.DRAFT)
    if references := sorted(set(taken.values_list("application__reference", flat=True))):
        raise ValidationError({"application_ids": f"以下申请已在另一份公示草稿中：{'、'.join(references)}"})
    unit = actor.unit
    notice = Notice.objects.create(
        unit=unit,
        policy_code=applications[0].policy_code,
        title=title.strip() or notice_title(unit.name, applications[0].policy_code),
        supervision_phone=supervision_phone.strip(),
        contact_person=contact_person.strip(),
        agency_name=agency_name.strip(),
        external_url=external_url.strip(),
        created_by=actor,
    )
    _write_lines(notice, applications)
    return notice


def _write_lines(notice: Notice, applications: list[Application]) -> None:
    rows = Application.objects.filter(pk__in=[a.pk for a in applications]).select_related("unit", "unit__parent")
    NoticeLine.objects.bulk_create(
        NoticeLine(
            notice=notice,
            application=a,
            seq=i,
            name=a.applicant_name,
            masked_id_number=mask(a.applicant_id_number),
            categories="、".join(a.category_labels),
            place=f"{a.unit.name}/{a.unit.parent.name}" if a.unit.parent_id else a.unit.name,
        )
        for i, a in enumerate(sorted(rows, key=lambda a: a.pk), start=1)
    )


def _draft_for_update(actor: User, notice_id: int) -> Notice:
    notice = Notice.objects.select_for_update().get(pk=notice_id)
    _handling_staff(actor, notice)
    if notice.state != NoticeState.DRAFT:
        raise TransitionNotAllowed("公示已发布，不能再修改或删除。")
    return notice


@transaction.atomic
def notice_update(
    *,
    actor: User,
    notice_id: int,
    supervision_phone: str,
    contact_person: str,
    agency_name: str,
    title: str = "",
    external_url: str = "",
    add_ids: list[int] = (),
    remove_ids: list[int] = (),
) -> Notice:
    """A draft is corrected before it is published (issue 11): its details, and people added (in
    pending_notice, of this unit, on no other draft) or taken off; the list is numbered again."""
    notice = _draft_for_update(actor, notice_id)
    for field, value in (
        ("supervision_phone", supervision_phone),
        ("contact_person", contact_person),
        ("agency_name", agency_name),
    ):
        if not value.strip():
            raise ValidationError({field: "此项必填。"})
    on_it = set(notice.lines.filter(withdrawn_on__isnull=True).values_list("application_id", flat=True))
    remove = set(remove_ids) & on_it
    add = [i for i in dict.fromkeys(add_ids) if i not in on_it]
    if not (on_it - remove) and not add:
        raise ValidationError({"application_ids": "名单不能为空；不再公示请删除这份草稿。"})
    applications = list(
        Application.objects.select_for_update().filter(pk__in=add, handling_unit_id=notice.unit_id).order_by("id")
    )
    if missing := sorted(set(add) - {a.pk for a in applications}):
        raise ValidationError({"application_ids": f"不是本单位受理的申请：{missing}"})
    if not_ready := [a.reference for a in applications if a.state != State.PENDING_NOTICE]:
        raise ValidationError({"application_ids": f"以下申请不在待公示状态：{'、'.join(not_ready)}"})
    if any(a.policy_code != notice.policy_code for a in applications):
        raise ValidationError({"application_ids": "一份公示只列同一政策下的申请。"})
    taken = NoticeLine.objects.filter(application__in=applications, notice__state=NoticeState.DRAFT)
    if references := sorted(set(taken.values_list("application__reference", flat=True))):
        raise ValidationError({"application_ids": f"以下申请已在另一份公示草稿中：{'、'.join(references)}"})
    notice.lines.filter(application_id__in=remove).delete()
    kept = list(notice.lines.filter(withdrawn_on__isnull=True).values_list("application_id", flat=True))
    notice.lines.all().delete()  # numbered again from 1 (序号 is unique per notice)
    _write_lines(notice, [*Application.objects.filter(pk__in=kept), *applications])
    notice.title = title.strip() or notice_title(notice.unit.name, notice.policy_code)
    notice.supervision_phone = supervision_phone.strip()
    notice.contact_person = contact_person.strip()
    notice.agency_name = agency_name.strip()
    notice.external_url = external_url.strip()
    notice.save()
    return notice


@transaction.atomic
def notice_delete(*, actor: User, notice_id: int) -> None:
    """A draft nobody has seen is deleted; its applications stay in pending_notice for another."""
    notice = _draft_for_update(actor, notice_id)
    notice.lines.all().delete()
    notice.delete()


def notice_publish(*, actor: User, notice_id: int, published_on: date | None = None) -> Notice:
    """Fix the period (3 working days, DESIGN.md §4) and move every line's application to public_notice,
    all or nothing."""
    today = timezone.localdate()
    published_on = published_on or today
    if published_on > today:
        raise ValidationError({"published_on": "发布日期不能晚于今天。"})
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice_id)
        _handling_staff(actor, notice)
        if notice.state != NoticeState.DRAFT:
            raise TransitionNotAllowed("这份公示已经发布过了。")
        # 第九条 公示3个工作日: a date before the draft existed would shorten or erase the period
        drafted_on = timezone.localdate(notice.created_at)
        if published_on < drafted_on:
            raise ValidationError({"published_on": f"发布日期不能早于公示草稿生成的日期（{drafted_on:%Y-%m-%d}）。"})
        lines = list(notice.lines.filter(withdrawn_on__isnull=True))
        if not lines:
            raise ValidationError({"application_ids": "名单中的申请均已撤回，没有可以公示的人员。"})
        period = workdays.notice_period(published_on, province=notice.unit_id)
        for line in lines:
            workflow.application_transition(
                application_id=line.application_id, name="publish", actor=actor, notice_period=period
            )
        notice.state = NoticeState.PUBLISHED
        notice.published_on = published_on
        notice.period_start, notice.period_end = period.start, period.end
        notice.period_provisional = period.provisional
        notice.save(
            update_fields=["state", "published_on", "period_start", "period_end", "period_provisional", "updated_at"]
        )
    return notice


def objection_record(
    *, actor: User, notice_id: int, application_id: int, content: str, reporter_name: str, reporter_contact: str
) -> Objection:
    notice = Notice.objects.get(pk=notice_id)
    _handling_staff(actor, notice)
    if notice.state != NoticeState.PUBLISHED:
        raise TransitionNotAllowed("只能对公示中的名单提出异议。")
    if timezone.localdate() > notice.period_end:
        raise TransitionNotAllowed("公示期已结束。")
    try:
        line = notice.lines.get(application_id=application_id)
    except NoticeLine.DoesNotExist:
        raise ValidationError({"application_id": "该申请不在这份公示名单中。"}) from None
    if line.withdrawn_on:
        raise ValidationError({"application_id": "该申请已撤回，不再公示。"})
    if not content.strip():
        raise ValidationError({"content": "请填写异议内容。"})
    return Objection.objects.create(
        line=line,
        content=content.strip(),
        reporter_name=reporter_name.strip(),
        reporter_contact=reporter_contact.strip(),
        received_at=timezone.now(),
        recorded_by=actor,
    )


def objection_resolve(*, actor: User, objection_id: int, upheld: bool, finding: str) -> Objection:
    with transaction.atomic():
        objection = Objection.objects.select_for_update().select_related("line__notice").get(pk=objection_id)
        _handling_staff(actor, objection.line.notice)
        if objection.state != ObjectionState.PENDING:
            raise TransitionNotAllowed("这条异议已经核实过了。")
        if objection.line.notice.state != NoticeState.PUBLISHED:
            raise TransitionNotAllowed("公示已结束，不能再核实异议。")
        if not finding.strip():
            raise ValidationError({"finding": "请填写核查情况。"})
        objection.state = ObjectionState.UPHELD if upheld else ObjectionState.DISMISSED
        objection.finding = finding.strip()
        objection.resolved_by = actor
        objection.resolved_at = timezone.now()
        objection.save(update_fields=["state", "finding", "resolved_by", "resolved_at"])
    return objection


def mark_withdrawn(*, application_id: int, on: date) -> int:
    """A line whose application is withdrawn while on a draft or published notice is marked, so the
    notice still publishes and closes for the others (API.md "Public notices")."""
    return NoticeLine.objects.filter(
        application_id=application_id,
        withdrawn_on__isnull=True,
        notice__state__in=[NoticeState.DRAFT, NoticeState.PUBLISHED],
    ).update(withdrawn_on=on)


def notice_close(*, notice_id: int, actor: User | None, today: date | None = None) -> Notice:
    """After the period: each line moves on; an upheld objection turns its initial opinion negative
    (Xinjiang 第九条: still forwarded; Jilin 二(二): rejected). Refused before the end (PeriodNotOver,
    409) or while an objection is still unverified (ObjectionsPending, 409). Lines withdrawn during
    the period are skipped."""
    today = today or timezone.localdate()
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice_id)
        if actor is not None:
            _handling_staff(actor, notice)
        if notice.state != NoticeState.PUBLISHED:
            raise NotPublished("这份公示不在公示中。")
        if today <= notice.period_end:
            raise PeriodNotOver(f"公示期至 {notice.period_end:%Y-%m-%d} 结束，期满后才能结束公示。")
        if Objection.objects.filter(
            line__notice=notice, line__withdrawn_on__isnull=True, state=ObjectionState.PENDING
        ).exists():
            raise ObjectionsPending("还有未核实的异议，请先核实。")
        findings: dict[int, list[str]] = {}
        for application_id, finding in Objection.objects.filter(
            line__notice=notice, state=ObjectionState.UPHELD
        ).values_list("line__application_id", "finding"):
            findings.setdefault(application_id, []).append(finding)
        # a line whose application left the procedure (withdrawn) is marked and skipped; the rest move on
        for line in notice.lines.filter(withdrawn_on__isnull=True):
            upheld = findings.get(line.application_id)
            workflow.application_transition(
                application_id=line.application_id,
                name="close_notice",
                actor=actor,
                objection_upheld=bool(upheld),
                # 第九条: 公示有异议的，经核查属实，注明原因
                reason="公示有异议，经核查属实：" + "；".join(upheld) if upheld else "",
                today=today,
            )
        notice.state = NoticeState.CLOSED
        notice.closed_at = timezone.now()
        notice.save(update_fields=["state", "closed_at", "updated_at"])
    return notice
