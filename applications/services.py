"""Writes other than transitions: receiving an application, materials, commitments."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from accounts import areas
from accounts.models import Level, OrgUnit, User
from accounts.selectors import unit_settings
from applications.models import OPEN_STATES, Applicant, Application, Channel, Commitment, Material, State
from applications.workflow import append_log
from eligibility import policies
from eligibility.engine import FactError, evaluate
from eligibility.facts import Facts, facts_to_json, with_unit_defaults
from exits.models import Recognition

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# What a file really is, by its first bytes, and the extensions that may carry it.
SIGNATURES = {
    "application/pdf": (b"%PDF-", {"pdf"}),
    "image/jpeg": (b"\xff\xd8\xff", {"jpg", "jpeg"}),
    "image/png": (b"\x89PNG\r\n\x1a\n", {"png"}),
}
MATERIAL_STATES = frozenset({State.SUBMITTED, State.AWAITING_MATERIALS})


class DuplicateApplication(TransitionNotAllowed):
    """409: one open application per ID number per province, none while recognised."""


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

    facts = with_unit_defaults(facts, unit_settings(unit.code))
    try:
        decision = evaluate(policy.code, facts, today)
    except FactError as exc:
        raise ValidationError({exc.field: exc.message}) from None

    with transaction.atomic():
        person, _ = Applicant.objects.get_or_create(id_number=facts.id_number, defaults={"name": applicant["name"]})
        person = Applicant.objects.select_for_update().get(pk=person.pk)  # serialises duplicate checks
        province = areas.prefix(areas.province(unit.code))
        if Application.objects.filter(
            applicant=person, unit__code__startswith=province, state__in=OPEN_STATES
        ).exists():
            raise DuplicateApplication("该身份证号在本省（区）已有正在办理的申请。")
        if Recognition.objects.filter(applicant=person, policy_code=policy.code, active=True).exists():
            raise DuplicateApplication("该人员已被认定为就业困难人员，退出后方可再次申请（第十八条）。")
        person.name = applicant["name"]
        person.phone = applicant.get("phone", "") or person.phone
        person.address = applicant.get("address", "") or person.address
        if actor.is_applicant:
            person.user = actor
        person.save()

        application = Application.objects.create(
            applicant=person,
            policy_code=policy.code,
            policy_version=policy.version,
            unit=unit,
            handling_unit=handling_unit,
            channel=channel,
            consent_recorded=consent_recorded,
            facts=facts_to_json(facts),
            eligibility=decision.as_dict(),
            categories=",{},".format(",".join(c.code for c in decision.categories)) if decision.categories else "",
            received_on=today,
            created_by=actor,
        )
        application.reference = f"{unit.code[:6]}{today:%Y%m%d}{application.pk:06d}"
        application.save(update_fields=["reference"])
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
        append_log(application, "submit", "", actor, "", "", {"channel": channel}, now)
    return application


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
    """第八条: materials already on record for the person are reused, not asked for again."""
    try:
        source = Material.objects.get(pk=material_id, applicant_id=application.applicant_id)
    except Material.DoesNotExist:
        raise ValidationError({"material_id": "该申请人没有这份材料。"}) from None
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


def may_supply_materials(actor: User, application: Application) -> bool:
    """The applicant themself or the handling unit (第八条), whatever the state."""
    own = application.applicant.user_id is not None and application.applicant.user_id == actor.pk
    return own or (actor.is_staff_officer and actor.unit_id == application.handling_unit_id)


def _check_material_access(actor: User, application: Application, kind: str) -> None:
    if not may_supply_materials(actor, application):
        raise PermissionDenied("只有申请人本人或受理单位可以提交材料。")
    if application.state not in MATERIAL_STATES:
        raise TransitionNotAllowed("申请已受理，不能再更改材料。")
    if kind not in {m.code for m in policies.get(application.policy_code).materials}:
        raise ValidationError({"kind": "不在本政策的材料清单中。"})
