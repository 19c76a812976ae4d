"""Writes other than transitions: receiving an application, materials, commitments."""

import hashlib
from dataclasses import asdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from accounts import areas
from accounts.models import Level, OrgUnit, User
from accounts.scoping import covers, scope
from accounts.selectors import unit_settings
from accounts.services import HOW_TO_VERIFY
from applications.access import access_for, applications_for_user, is_verified_owner
from applications.models import OPEN_STATES, Applicant, Application, Channel, Commitment, Material, State
from applications.tally import application_counts
from applications.workflow import append_log, audit_transition
from eligibility import policies
from eligibility.engine import FactError, evaluate
from eligibility.facts import STAFF_ONLY_FACTS, Facts, facts_from_json, facts_to_json, with_unit_parameters
from exits import services as exits
from exits.models import Recognition
from exits.tally import tally_move

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# What a file really is, by its first bytes, and the extensions that may carry it.
SIGNATURES = {
    "application/pdf": (b"%PDF-", {"pdf"}),
    "image/jpeg": (b"\xff\xd8\xff", {"jpg", "jpeg"}),
    "image/png": (b"\x89PNG\r\n\x1a\n", {"png"}),
}
MATERIAL_STATES = frozenset({State.SUBMITTED, State.AWAITING_MATERIALS})
# DESIGN.md §5: the handling unit corrects the facts until the initial review is decided.
EDITABLE_STATES = frozenset({State.SUBMITTED, State.AWAITING_MATERIALS, State.INITIAL_REVIEW})
APPLICANT_FIELDS = ("name", "phone", "address")


class DuplicateApplication(TransitionNotAllowed):
    """409: one open application per ID number per province, none while recognised."""


BLOCKING_MESSAGES = {
    "open": "该身份证号在本省（区）已有正在办理的申请。",
    "recognised": "该人员已被认定为就业困难人员，退出后方可再次申请（第十八条）。",
}


def blocking_case(*, person_id: int, unit_code: str, policy_code: str) -> tuple[str, int | None] | None:
    """What stops a new application (DESIGN.md §5): ("open", its id) for an open one in the province,
    ("recognised", the recognising application's id or None if imported) for an active recognition
    (第十八条), None when a new one may be entered."""
    province = areas.prefix(areas.province(unit_code))
    open_ = Application.objects.filter(applicant_id=person_id, unit__code__startswith=province, state__in=OPEN_STATES)
    if (pk := open_.values_list("pk", flat=True).first()) is not None:
        return "open", pk
    if exits.has_active_recognition(applicant_id=person_id, policy_code=policy_code):
        recognised = Application.objects.filter(
            applicant_id=person_id, policy_code=policy_code, recognition__active=True
        ).values_list("pk", flat=True)
        return "recognised", recognised.first()
    return None


def online_refusal(*, user: User, unit_code: str) -> str:
    """Why `user` may not apply online where `unit_code` is, "" when they may: what application_create
    would refuse at the end (DESIGN.md §5, §10), told when the applicant chooses where they live."""
    person = Applicant.objects.filter(id_number=user.id_number).first() if user.id_number else None
    if person is None:
        return ""
    if not is_verified_owner(user, person):
        return HOW_TO_VERIFY
    try:
        policy = policies.for_province(unit_code, timezone.localdate())
    except policies.UnknownPolicy:
        return ""  # the steps say so themselves
    if blocking := blocking_case(person_id=person.pk, unit_code=unit_code, policy_code=policy.code):
        return BLOCKING_MESSAGES[blocking[0]]
    return ""


def handling_unit_for(unit: OrgUnit) -> OrgUnit:
    """新人社规〔2025〕1号 第七条: where the community (village) cannot accept, its township does."""
    if unit.level == Level.COMMUNITY and not unit.accepts_applications:
        return OrgUnit.objects.get(code=areas.ancestors(unit.code)[-1])
    return unit


def application_create(
    *,
    actor: User,
    unit_code: str,
    channel: str,
    applicant: dict,
    facts: Facts,
    commitments: list[str],
    consent_recorded: bool = False,
) -> Application:
    if not actor.is_applicant and not covers(actor, unit_code):
        raise Http404  # a unit outside the officer's scope: 404, whether it exists or not
    try:
        unit = OrgUnit.objects.get(code=unit_code)
    except OrgUnit.DoesNotExist:
        raise ValidationError({"unit_code": "没有这个单位。"}) from None
    if unit.level not in (Level.COMMUNITY, Level.TOWNSHIP):
        raise ValidationError({"unit_code": "请选择申请人常住地的社区（村）或街道（乡镇）。"})
    handling_unit = handling_unit_for(unit)
    if actor.is_applicant:
        if channel != Channel.ONLINE:
            raise ValidationError({"channel": "申请人本人只能在网上申请。"})
        if not actor.id_number or actor.id_number != facts.id_number:
            raise PermissionDenied("只能为本人申请。")
    elif not (actor.is_staff_officer and actor.unit_id == handling_unit.code):
        raise PermissionDenied("只有受理初审单位的工作人员可以录入申请。")
    if channel == Channel.PROACTIVE and not consent_recorded:
        raise ValidationError({"consent_recorded": "主动申报须经本人同意（第十三条）。"})

    today = timezone.localdate()
    try:
        policy = policies.for_province(unit.code, today)
    except policies.UnknownPolicy as exc:
        raise ValidationError({"unit_code": str(exc)}) from None
    statements = {c.code: c for c in policy.commitments}
    if unknown := [c for c in commitments if c not in statements]:
        raise ValidationError({"commitments": f"未知的承诺事项：{'、'.join(unknown)}"})
    if "truthfulness" not in commitments:
        raise ValidationError({"commitments": f"申请人须承诺：{statements['truthfulness'].text}"})

    facts = checked_facts(actor, facts, unit.code)
    try:
        decision = evaluate(policy.code, facts, today)
    except FactError as exc:
        raise ValidationError({exc.field: exc.message}) from None

    with transaction.atomic():
        person, created = Applicant.objects.get_or_create(
            id_number=facts.id_number,
            defaults={k: applicant.get(k, "") or "" for k in APPLICANT_FIELDS},
        )
        person = Applicant.objects.select_for_update().get(pk=person.pk)  # serialises duplicate checks
        # DESIGN.md §10: online, a record is applied for by its verified owner only; an unverified account
        # may apply only where no record exists yet, and the record it creates stays untied until verified.
        if actor.is_applicant and not created and not is_verified_owner(actor, person):
            raise PermissionDenied(HOW_TO_VERIFY)
        if blocking := blocking_case(person_id=person.pk, unit_code=unit.code, policy_code=policy.code):
            raise DuplicateApplication(BLOCKING_MESSAGES[blocking[0]])
        recorded_name = person.name
        typed = {key: applicant.get(key, "") or "" for key in APPLICANT_FIELDS}
        # the person themself, or a unit holding all their cases: blanks from the record; else only what was typed
        theirs = actor.is_applicant or created or record_is_theirs(actor, person)
        contact = {key: typed[key] or getattr(person, key) for key in APPLICANT_FIELDS} if theirs else typed
        if actor.is_applicant:  # an online application never overwrites what the record holds; it fills blanks
            for key in APPLICANT_FIELDS:
                setattr(person, key, getattr(person, key) or typed[key])
            if created and actor.identity_verified:  # already proven to be the person with this number
                person.user = actor
        elif theirs:  # staff record what the person tells them at the window
            for key, value in contact.items():
                setattr(person, key, value)
        person.save()
        if person.name != recorded_name:
            copy_applicant(person)

        application = Application(
            applicant=person,
            policy_code=policy.code,
            policy_version=policy.version,
            unit=unit,
            handling_unit=handling_unit,
            channel=channel,
            consent_recorded=consent_recorded,
            facts=facts_to_json(facts),
            received_on=today,
            created_by=actor,
            applicant_id_number=person.id_number,
            applicant_name=contact["name"],
            applicant_phone=contact["phone"],
            applicant_address=contact["address"],
        )
        application.store_evaluation(decision)
        application.save()
        application.reference = f"{unit.code[:6]}{today:%Y%m%d}{application.pk:06d}"
        application.save(update_fields=["reference"])
        tally_move(after=application_counts(application))
        now = timezone.now()
        Commitment.objects.bulk_create(
            Commitment(
                application=application,
                code=code,
                text=statements[code].text,
                article=statements[code].article,
                accepted_at=now,
            )
            for code in dict.fromkeys(commitments)
        )
        audit_transition(append_log(application, "submit", "", actor, "", "", {"channel": channel}, now))
    return application


def checked_facts(actor: User, facts: Facts, unit_code: str) -> Facts:
    """The facts as an application may hold them: unit parameters are the unit's (DESIGN.md §3),
    and 'other' is a staff finding with a note naming its provision (第五条(八), 第六条(五), 一(二)4)."""
    if actor.is_applicant:
        if claimed := [name for name in STAFF_ONLY_FACTS if getattr(facts, name)]:
            raise ValidationError({claimed[0]: "“其他情形”由经办人员核实认定，申请人不能自行申报。"})
    elif (facts.other_prescribed or facts.other_exclusion) and not facts.other_note.strip():
        raise ValidationError({"other_note": "认定或排除“其他情形”须注明依据的文件和条款，或核查情况。"})
    return with_unit_parameters(facts, unit_settings(unit_code))


@transaction.atomic
def application_edit(
    *, actor: User, application_id: int, facts: dict | None = None, applicant: dict | None = None
) -> Application:
    """The handling unit corrects the facts or the person's contact details (DESIGN.md §5): the
    evaluation is re-run and stored, and the change is logged on the case with what it was."""
    application = Application.objects.select_for_update().select_related("applicant").get(pk=application_id)
    if not access_for(actor, application).may_edit_facts:
        raise PermissionDenied("只有受理初审单位可以更正申请信息。")
    if application.state not in EDITABLE_STATES:
        raise TransitionNotAllowed(f"申请当前状态为“{application.get_state_display()}”，不能再更正申请信息。")
    changes: dict = {}
    counted = application_counts(application)
    if facts:
        before = facts_from_json(application.facts)
        if "id_number" in facts and facts["id_number"] != before.id_number:
            raise ValidationError({"id_number": "身份证号不能更正；请撤回后重新申请。"})
        merged = checked_facts(actor, Facts(**{**asdict(before), **facts}), application.unit_id)
        today = timezone.localdate()
        try:
            decision = evaluate(application.policy_code, merged, today)
        except FactError as exc:  # keyed by the fact, as application_create does and the edit page reads
            raise ValidationError({exc.field: exc.message}) from None
        old, new = facts_to_json(before), facts_to_json(merged)
        changes["facts"] = {k: [old.get(k), v] for k, v in new.items() if old.get(k) != v}
        application.facts = new
        application.store_evaluation(decision)
    if applicant:
        changes["applicant"] = {
            k: [getattr(application, f"applicant_{k}"), applicant[k]]
            for k in APPLICANT_FIELDS
            if k in applicant and applicant[k] != getattr(application, f"applicant_{k}")
        }
        for key, (_, value) in changes["applicant"].items():
            setattr(application, f"applicant_{key}", value)
        person = application.applicant
        if changes["applicant"] and record_is_theirs(actor, person):
            for key, (_, value) in changes["applicant"].items():
                setattr(person, key, value)
            person.save(update_fields=[*changes["applicant"], "updated_at"])
            if "name" in changes["applicant"]:
                copy_applicant(person)
    changes = {k: v for k, v in changes.items() if v}
    if changes:
        application.save(
            update_fields=[
                "facts",
                "eligibility",
                "categories",
                *(f"applicant_{k}" for k in APPLICANT_FIELDS),
                "updated_at",
            ]
        )
        tally_move(before=counted, after=application_counts(application))
        append_log(application, "edit", application.state, actor, "", "", changes, timezone.now())
    return application


def record_is_theirs(actor: User, person: Applicant) -> bool:
    """Whether a unit may rewrite the person's record, shared by every unit that receives them, or tie an
    account to it in person: only when each application and recognition of the person is in the unit's
    scope (DESIGN.md §2, §10). Elsewhere what the unit types stays on its own application, and the record's
    phone, to which identity codes go, stays as it is."""
    cases = Application.objects.filter(applicant=person)
    recognitions = Recognition.objects.filter(applicant=person)  # imported ones have no application
    outside = Exists(cases.exclude(pk__in=scope(cases, actor).values("pk"))) | Exists(
        recognitions.exclude(pk__in=scope(recognitions, actor).values("pk"))
    )
    return not Applicant.objects.filter(outside, pk=person.pk).exists()  # one query


def copy_applicant(person: Applicant) -> None:
    """The person's cases take their name and number as the record now holds them (issue 13: searches
    read these copies); one UPDATE, of no row when they already agree."""
    Application.objects.filter(applicant=person).exclude(
        applicant_id_number=person.id_number, applicant_name=person.name
    ).update(applicant_id_number=person.id_number, applicant_name=person.name)


def sniff(upload: UploadedFile) -> str:
    """The content type by the file's own bytes; the name and the browser's claim are not trusted."""
    head = upload.read(16)
    upload.seek(0)
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    for content_type, (magic, extensions) in SIGNATURES.items():
        if head.startswith(magic):
            if extension not in extensions:
                raise ValidationError({"file": f"文件扩展名 .{extension} 与文件内容不符。"})
            return content_type
    raise ValidationError({"file": "只能上传 PDF、JPEG 或 PNG 文件。"})


def material_upload(*, actor: User, application: Application, kind: str, upload: UploadedFile) -> Material:
    _check_material_access(actor, application, kind)
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": "文件不能超过 10 MB。"})
    if upload.size == 0:
        raise ValidationError({"file": "文件是空的。"})
    content_type = sniff(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    material = Material(
        applicant_id=application.applicant_id,
        application=application,
        kind=kind,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    material.file.save(material.sha256, upload, save=False)
    material.save()
    return material


def material_reuse(*, actor: User, application: Application, material_id: int) -> Material:
    """第八条: materials already on record for the person are reused, not asked for again; only
    files of applications the actor may read (anything else is absent: 404)."""
    source = get_object_or_404(
        Material.objects.filter(applicant_id=application.applicant_id, application__in=applications_for_user(actor)),
        pk=material_id,
    )
    _check_material_access(actor, application, source.kind)
    return Material.objects.create(
        applicant_id=application.applicant_id,
        application=application,
        kind=source.kind,
        file=source.file.name,
        original_name=source.original_name,
        content_type=source.content_type,
        size=source.size,
        sha256=source.sha256,
        reused_from=source.reused_from or source,
        uploaded_by=actor,
    )


def _check_material_access(actor: User, application: Application, kind: str) -> None:
    if not access_for(actor, application).may_supply_materials:
        raise PermissionDenied("只有申请人本人或受理单位可以提交材料。")
    if application.state not in MATERIAL_STATES:
        raise TransitionNotAllowed("申请已受理，不能再更改材料。")
    if kind not in {m.code for m in policies.get(application.policy_code).materials}:
        raise ValidationError({"kind": "不在本政策的材料清单中。"})
    # 第九条 一次性告知: while a notice runs, exactly what it lists is supplied
    if application.state == State.AWAITING_MATERIALS and kind not in application.missing_materials:
        raise ValidationError({"kind": "一次性告知书没有要求补正这份材料。"})
