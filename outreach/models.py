"""Finding people before they ask (DESIGN.md §1): lists pushed by the province (新人社规〔2025〕1号 第十三条),
the communities' work lists with consent, household surveys (第四条 调查摸底) and the register of persons
(吉人社发〔2022〕10号 四(一) 一人一册)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit
from config.fields import OrjsonField
from config.records import Immutable
from exits.models import Need


class PushListState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("处理中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("处理失败")


class PushList(models.Model):
    """One uploaded list. Large lists are processed by a Celery task that advances `processed`."""

    unit = models.ForeignKey(OrgUnit, verbose_name=_("推送单位"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("推送人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("推送时间"), auto_now_add=True)
    file_name = models.CharField(_("文件名"), max_length=200)
    # kept only until a queued list is read
    upload = models.FileField(_("上传的名单文件"), upload_to="push-lists/", blank=True)
    state = models.CharField(_("状态"), max_length=8, choices=PushListState.choices, default=PushListState.QUEUED)
    # a dry run too large for the request: checked by the task, its report kept, nobody pushed
    dry_run = models.BooleanField(_("只检查，不推送"), default=False)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    processed = models.PositiveIntegerField(_("已处理行数"), default=0)
    pushed = models.PositiveIntegerField(_("已推送"), default=0)
    bad = models.JSONField(_("有误的行"), default=list)
    skipped = models.JSONField(_("未推送的行"), default=list)
    error = models.CharField(_("处理失败原因"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("推送名单")
        verbose_name_plural = _("推送名单")

    def __str__(self):
        return f"{self.file_name}（{self.created_at:%Y-%m-%d}）"


class PushedState(models.TextChoices):
    PENDING = "pending", _("待核实")
    CONSENTED = "consented", _("本人同意申报")
    DECLINED = "declined", _("本人不同意申报")
    UNREACHABLE = "unreachable", _("联系不上或不在本地居住")


class ConsentMethod(models.TextChoices):
    IN_PERSON = "in_person", _("当面确认并签字")
    PHONE = "phone", _("电话确认")
    ONLINE = "online", _("本人线上确认")


class Origin(models.TextChoices):
    PUSH = "push", _("上级推送")
    SURVEY = "survey", _("入户调查发现")


class PushedPerson(models.Model):
    """A person on a community's (or, where it cannot accept, its township's) work list "推送名单待核实"."""

    push_list = models.ForeignKey(
        PushList, verbose_name=_("推送名单"), null=True, blank=True, on_delete=models.PROTECT, related_name="persons"
    )
    row = models.PositiveIntegerField(_("名单行号"), null=True, blank=True)
    origin = models.CharField(_("来源"), max_length=8, choices=Origin.choices, default=Origin.PUSH)
    id_number = models.CharField(_("身份证号"), max_length=18, db_index=True)
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    unit = models.ForeignKey(OrgUnit, verbose_name=_("常住地社区（村）"), on_delete=models.PROTECT, related_name="+")
    receiving_unit = models.ForeignKey(OrgUnit, verbose_name=_("核实单位"), on_delete=models.PROTECT, related_name="+")
    policy_code = models.CharField(_("适用政策"), max_length=40)
    facts = models.JSONField(_("名单中的情况"))
    eligibility = OrjsonField(_("预评估"))
    eligible = models.BooleanField(_("预评估符合条件"), default=False)
    pushed_on = models.DateField(_("推送日期"))
    due_on = models.DateField(_("联系核实期限"))
    state = models.CharField(_("状态"), max_length=12, choices=PushedState.choices, default=PushedState.PENDING)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核实人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    consent_method = models.CharField(_("同意方式"), max_length=10, choices=ConsentMethod.choices, blank=True)
    note = models.TextField(_("说明或原因"), blank=True)
    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("认定申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pushed_person",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("推送人员")
        verbose_name_plural = _("推送人员")
        indexes = [models.Index(fields=["receiving_unit", "state"]), models.Index(fields=["unit", "state"])]
        constraints = [
            # 第十三条 经本人同意后为其申报: no application without consent recorded (who, when, how)
            models.CheckConstraint(
                condition=models.Q(application__isnull=True)
                | (
                    models.Q(state="consented", outcome_by__isnull=False, outcome_at__isnull=False)
                    & ~models.Q(consent_method="")
                ),
                name="pushed_application_needs_consent",
            ),
            models.UniqueConstraint(
                fields=["id_number", "policy_code"],
                condition=models.Q(state="pending"),
                name="one_pending_push_per_person",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_state_display()}）"


class Person(models.Model):
    """一人一册 (吉人社发〔2022〕10号 四(一)): one record per person, whatever brought them to our notice.
    Applications, recognitions, services and subsidies are read from their own apps by the ID number;
    this row keeps what the survey learns. Every change is appended to PersonChange."""

    id_number = models.CharField(_("身份证号"), max_length=18, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    unit = models.ForeignKey(OrgUnit, verbose_name=_("常住地社区（村）"), on_delete=models.PROTECT, related_name="+")
    job_wishes = models.TextField(_("求职意愿"), blank=True)
    service_needs = models.JSONField(_("服务需求"), default=list)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["unit_id", "id"]
        verbose_name = _("实名制人员")
        verbose_name_plural = _("实名制人员（一人一册）")

    def __str__(self):
        return self.name


class PersonChange(Immutable):
    """The register's history, append-only: what changed, from what, by whom, and why."""

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="changes")
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    event = models.CharField(_("事项"), max_length=20)
    summary = models.CharField(_("说明"), max_length=300)
    changes = models.JSONField(_("变更内容"), default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("一人一册变更记录")
        verbose_name_plural = _("一人一册变更记录")


class Visit(Immutable):
    """入户调查 / 调查摸底 (新人社规〔2025〕1号 第四条; 吉人社发〔2022〕10号 四(一))."""

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="visits")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("调查单位"), on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField(_("调查日期"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("走访人员"), on_delete=models.PROTECT, related_name="+"
    )
    findings = models.TextField(_("调查情况"))
    job_wishes = models.TextField(_("求职意愿"), blank=True)
    service_needs = models.JSONField(_("服务需求"), default=list)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("入户调查")
        verbose_name_plural = _("入户调查")

    def __str__(self):
        return f"{self.person} {self.visited_on}"

    @property
    def need_labels(self) -> list[str]:
        return [Need(n).label for n in self.service_needs if n in Need.values]
