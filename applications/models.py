import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from accounts.models import OrgUnit


class State(models.TextChoices):
    SUBMITTED = "submitted", _("收到申请")
    AWAITING_MATERIALS = "awaiting_materials", _("待补正材料")
    INITIAL_REVIEW = "initial_review", _("初审")
    PENDING_NOTICE = "pending_notice", _("待公示")
    PUBLIC_NOTICE = "public_notice", _("公示中")
    TOWNSHIP_REVIEW = "township_review", _("复核")
    COUNTY_REVIEW = "county_review", _("审批")
    APPROVED = "approved", _("认定通过")
    REJECTED = "rejected", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


FINAL_STATES = frozenset({State.APPROVED, State.REJECTED, State.WITHDRAWN})
OPEN_STATES = frozenset(State) - FINAL_STATES


class Channel(models.TextChoices):
    OFFLINE = "offline", _("窗口受理")
    ONLINE = "online", _("网上申请")
    PROACTIVE = "proactive", _("主动发现（推送名单）")


class Applicant(models.Model):
    """One person, one row: materials on file and past applications follow the ID number."""

    id_number = models.CharField(_("身份证号"), max_length=18, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="applicant"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("申请人")
        verbose_name_plural = _("申请人")

    def __str__(self):
        return self.name


class Application(ConcurrentTransitionMixin, models.Model):
    """An application for recognition. Transitions only change this row; the service in
    applications.workflow locks it, checks who acts, and writes opinions, logs and deadlines."""

    reference = models.CharField(_("受理编号"), max_length=24, unique=True, null=True, editable=False)
    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="applications")
    policy_code = models.CharField(_("适用政策"), max_length=40)
    policy_version = models.CharField(_("政策版本"), max_length=10)
    # Where the person lives (their community/village) and who reviews first (第七条).
    unit = models.ForeignKey(OrgUnit, verbose_name=_("所属社区（村）"), on_delete=models.PROTECT, related_name="+")
    handling_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("受理初审单位"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("申请渠道"), max_length=10, choices=Channel.choices)
    consent_recorded = models.BooleanField(_("已取得本人同意"), default=False)
    state = FSMField(_("状态"), default=State.SUBMITTED, choices=State.choices, protected=True)
    facts = models.JSONField(_("申请时情况"))
    eligibility = models.JSONField(_("受理时资格评估"))
    # ",dibao,veteran,": the categories found at receipt, filterable on every database
    categories = models.CharField(_("就业困难类型"), max_length=200, blank=True, editable=False)
    received_on = models.DateField(_("收到日期"))
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    decided_on = models.DateField(_("办结日期"), null=True, blank=True)
    stage_due_on = models.DateField(_("本环节办理期限"), null=True, blank=True)
    stage_due_provisional = models.BooleanField(default=False)
    overdue_notified_for = models.DateField(null=True, blank=True, editable=False)  # the due date last reported
    notice_start = models.DateField(_("公示开始"), null=True, blank=True)
    notice_end = models.DateField(_("公示结束"), null=True, blank=True)
    missing_materials = models.JSONField(_("需补正的材料"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("认定申请")
        verbose_name_plural = _("认定申请")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "state"]),
            models.Index(fields=["state", "stage_due_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(channel="proactive") | models.Q(consent_recorded=True),
                name="proactive_needs_consent",  # 第十三条: 经本人同意后为其申报
            )
        ]

    def __str__(self):
        return self.reference or f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def category_codes(self) -> list[str]:
        return [code for code in self.categories.split(",") if code]

    @property
    def category_labels(self) -> list[str]:
        return [c["label"] for c in self.eligibility.get("categories", [])]

    # --- transitions (DESIGN.md §5). Targets that depend on the policy are chosen by the service.

    @transition(field=state, source=State.SUBMITTED, target=State.AWAITING_MATERIALS)
    def request_materials(self):
        pass

    @transition(field=state, source=State.AWAITING_MATERIALS, target=State.SUBMITTED)
    def supplement(self):
        pass

    @transition(field=state, source=State.SUBMITTED, target=State.INITIAL_REVIEW)
    def accept(self):
        pass

    @transition(field=state, source=State.INITIAL_REVIEW, target=State.PENDING_NOTICE)
    def pass_initial_review(self):
        pass

    @transition(
        field=state,
        source=State.INITIAL_REVIEW,
        target=RETURN_VALUE(State.TOWNSHIP_REVIEW, State.COUNTY_REVIEW, State.REJECTED),
    )
    def fail_initial_review(self, *, next_state):
        return next_state

    @transition(field=state, source=State.PENDING_NOTICE, target=State.PUBLIC_NOTICE)
    def publish(self):
        pass

    @transition(
        field=state,
        source=State.PUBLIC_NOTICE,
        target=RETURN_VALUE(State.TOWNSHIP_REVIEW, State.COUNTY_REVIEW, State.REJECTED),
    )
    def close_notice(self, *, next_state):
        return next_state

    @transition(field=state, source=State.TOWNSHIP_REVIEW, target=State.COUNTY_REVIEW)
    def township_approve(self):
        pass

    @transition(field=state, source=State.TOWNSHIP_REVIEW, target=State.COUNTY_REVIEW)
    def township_reject(self):
        pass

    @transition(field=state, source=State.COUNTY_REVIEW, target=State.APPROVED)
    def county_approve(self):
        pass

    @transition(field=state, source=State.COUNTY_REVIEW, target=State.REJECTED)
    def county_reject(self):
        pass

    @transition(field=state, source=list(OPEN_STATES), target=State.WITHDRAWN)
    def withdraw(self):
        pass


def private_upload_path(material: "Material", filename: str) -> str:
    return f"materials/{material.applicant_id}/{material.sha256[:2]}/{material.sha256}"


class Material(models.Model):
    """An uploaded document. Stored outside any served folder; streamed only through the access gate."""

    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="materials")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="materials")
    kind = models.CharField(_("材料"), max_length=40)
    file = models.FileField(_("文件"), upload_to=private_upload_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    reused_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return f"{self.kind} {self.original_name}"


class Commitment(models.Model):
    """承诺制: a statement the applicant accepted, and when.

    新人社规〔2025〕1号 第十二条; 吉人社发〔2022〕10号 一(三)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="commitments")
    code = models.CharField(max_length=40)
    text = models.CharField(max_length=200)
    article = models.CharField(max_length=20)
    accepted_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["application", "code"], name="one_commitment_per_statement")]

    def __str__(self):
        return self.text


class Stage(models.TextChoices):
    INITIAL = "initial", _("初审意见")
    TOWNSHIP = "township", _("复核意见")
    COUNTY = "county", _("审批意见")


class Decision(models.TextChoices):
    PASS = "pass", _("通过")
    FAIL = "fail", _("不通过")


class Immutable(models.Model):
    """Rows that are written once and never changed or deleted (DESIGN.md §9)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("此记录不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("此记录不可删除。")


class ReviewOpinion(Immutable):
    """One level's opinion on the approval form (审批表), with the evaluation it rested on."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="opinions")
    stage = models.CharField(_("环节"), max_length=10, choices=Stage.choices)
    decision = models.CharField(_("意见"), max_length=4, choices=Decision.choices)
    reason = models.TextField(_("意见或理由"), blank=True)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", null=True)
    eligibility = models.JSONField(_("评估依据"))
    at = models.DateTimeField(_("时间"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("审批意见")
        verbose_name_plural = _("审批意见")

    def __str__(self):
        return f"{self.get_stage_display()}：{self.get_decision_display()}"


class TransitionLog(Immutable):
    """Who moved an application from which state to which, and why. Each entry hashes its
    content together with the previous entry of the same application (verify_logs checks)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="log")
    name = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    role = models.CharField(max_length=12)
    unit_code = models.CharField(max_length=12, blank=True)
    opinion = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]  # the chain's own order
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self):
        return f"{self.name} {self.from_state}→{self.to_state}"

    @property
    def label(self) -> str:
        from applications.workflow import LOG_LABELS

        return LOG_LABELS.get(self.name, self.name)

    def content(self) -> dict:
        return {
            "application": self.application_id,
            "name": self.name,
            "from": self.from_state,
            "to": self.to_state,
            "actor": self.actor_id,
            "role": self.role,
            "unit": self.unit_code,
            "opinion": self.opinion,
            "reason": self.reason,
            "payload": self.payload,
            "at": self.at.isoformat(),
        }

    def compute_hash(self) -> str:
        body = json.dumps(self.content(), ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256((self.prev_hash + body).encode()).hexdigest()
