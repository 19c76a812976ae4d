from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import areas
from config.records import Immutable


class Level(models.TextChoices):
    PROVINCE = "province", _("省（自治区）")
    PREFECTURE = "prefecture", _("市（地、州）")
    COUNTY = "county", _("县（市、区）")
    TOWNSHIP = "township", _("街道（乡镇）")
    COMMUNITY = "community", _("社区（村）")


class OrgUnit(models.Model):
    """A unit of the administrative tree, keyed by its 12-digit statistical area code.

    Scoping is a prefix match on the code (accounts.scoping), so the code is the primary
    key and every foreign key to a unit stores the code itself: no join is needed to scope.
    """

    code = models.CharField(
        _("区划代码"),
        max_length=12,
        primary_key=True,
        validators=[RegexValidator(r"^\d{12}$", _("区划代码应为12位数字。"))],
    )
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices, editable=False)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    policy_code = models.CharField(
        _("适用政策"), max_length=40, blank=True, help_text=_("仅省级单位填写，如 xinjiang-2025、jilin-2022。")
    )
    is_urban = models.BooleanField(_("城镇区域"), default=True, help_text=_("辖区居民默认视为城镇区域人员。"))
    # 新人社规〔2025〕1号 第五条(七): south Xinjiang may relax long-term unemployment to ≥ 6 months.
    south_xinjiang = models.BooleanField(_("南疆地区"), default=False)
    relaxed_unemployment_months = models.PositiveSmallIntegerField(
        _("连续失业放宽月数"),
        null=True,
        blank=True,
        validators=[MinValueValidator(6, _("放宽后至少连续登记失业6个月。"))],
    )
    minimum_monthly_wage = models.DecimalField(
        _("当地月最低工资标准（元）"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    # 第七条: where a community cannot accept and review, its township does.
    accepts_applications = models.BooleanField(_("具备受理初审条件"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("机构单位")
        verbose_name_plural = _("机构单位")

    def __str__(self):
        return f"{self.name}（{self.code}）"

    def save(self, *args, **kwargs):
        self.level = areas.level(self.code)
        super().save(*args, **kwargs)

    @property
    def prefix(self) -> str:
        return areas.prefix(self.code)

    def clean(self):
        if not areas.is_valid(self.code):
            return
        self.level = areas.level(self.code)
        if self.parent_id and (self.parent_id == self.code or not self.code.startswith(self.parent.prefix)):
            raise ValidationError({"parent": _("上级单位的区划代码必须是本单位代码的前缀。")})
        if self.policy_code and self.level != Level.PROVINCE:
            raise ValidationError({"policy_code": _("适用政策只能设置在省级单位上。")})
        if self.relaxed_unemployment_months and not self.south_xinjiang:
            raise ValidationError({"relaxed_unemployment_months": _("只有南疆地区可以放宽连续失业时间。")})


class Role(models.TextChoices):
    COMMUNITY = "community", _("社区（村）经办人员")
    TOWNSHIP = "township", _("街道（乡镇）经办人员")
    COUNTY = "county", _("县（市、区）人社部门")
    PREFECTURE = "prefecture", _("市（地、州）人社部门")
    PROVINCE = "province", _("省（自治区）人社厅")
    ADMIN = "admin", _("系统管理员")
    APPLICANT = "applicant", _("申请人")


# The unit level each staff role sits at.
ROLE_LEVEL = {
    Role.COMMUNITY: Level.COMMUNITY,
    Role.TOWNSHIP: Level.TOWNSHIP,
    Role.COUNTY: Level.COUNTY,
    Role.PREFECTURE: Level.PREFECTURE,
    Role.PROVINCE: Level.PROVINCE,
}
STAFF_ROLES = frozenset(ROLE_LEVEL)


class IdentityMethod(models.TextChoices):
    IN_PERSON = "in_person", _("本人持身份证到经办窗口核验")
    SMS = "sms", _("登记手机号接收验证码")


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices, default=Role.APPLICANT)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所在单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    # Applicants sign in with their own account and see only their own applications.
    id_number = models.CharField(_("身份证号"), max_length=18, null=True, blank=True, unique=True)
    # DESIGN.md §10: an applicant account is tied to the person with that ID number only once this is set
    # (applications.identity); until then it sees nothing of anyone. One account per ID number: a person
    # whose number someone else registered takes that account over through staff (IdentityVerification).
    identity_verified_at = models.DateTimeField(_("身份核验时间"), null=True, blank=True, editable=False)
    identity_method = models.CharField(
        _("身份核验方式"), max_length=10, choices=IdentityMethod.choices, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["admin", "applicant"]) | models.Q(unit__isnull=False),
                name="staff_role_has_unit",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="applicant") | models.Q(unit__isnull=True),
                name="applicant_has_no_unit",
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    @property
    def is_staff_officer(self) -> bool:
        return self.role in STAFF_ROLES and self.unit_id is not None

    @property
    def is_applicant(self) -> bool:
        return self.role == Role.APPLICANT

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def identity_verified(self) -> bool:
        return self.identity_verified_at is not None

    def clean(self):
        super().clean()
        if self.role in STAFF_ROLES:
            if self.unit is None:
                raise ValidationError({"unit": _("工作人员必须属于一个单位。")})
            if self.unit.level != ROLE_LEVEL[self.role]:
                raise ValidationError(
                    {
                        "unit": _("“%(role)s”应属于%(level)s级单位。")
                        % {"role": self.get_role_display(), "level": Level(ROLE_LEVEL[self.role]).label}
                    }
                )
        elif self.role == Role.APPLICANT and self.unit is not None:
            raise ValidationError({"unit": _("申请人账号不属于任何单位。")})


class IdentityCode(models.Model):
    """A one-time code sent to the phone on the person's record (DESIGN.md §10). Only its keyed hash is
    stored; it expires, is used once, allows a few attempts, and the rows count the sends per hour.
    A row with no phone counts a request that sent nothing (no phone on record), so an account's
    limits behave the same whether or not the system holds a record of its ID number."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="identity_codes")
    phone = models.CharField(_("发送号码"), max_length=20, blank=True)
    code_hash = models.CharField(_("验证码摘要"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("发送时间"))
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("身份验证码")
        verbose_name_plural = _("身份验证码")
        indexes = [models.Index(fields=["user", "created_at"]), models.Index(fields=["phone", "created_at"])]

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class IdentityVerification(models.Model):
    """Each time an account was tied to a person (API.md Audit: verify_identity): how, by whom, and
    what the account held before, so a takeover by the real person through staff loses nothing."""

    account = models.ForeignKey(
        User, verbose_name=_("账号"), on_delete=models.PROTECT, related_name="identity_verifications"
    )
    id_number = models.CharField(_("身份证号"), max_length=18)
    method = models.CharField(_("核验方式"), max_length=10, choices=IdentityMethod.choices)
    officer = models.ForeignKey(
        User, verbose_name=_("核验人员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit_code = models.CharField(_("核验单位"), max_length=12, blank=True)
    takeover = models.BooleanField(_("本人取回他人注册的账号"), default=False)
    before = models.JSONField(_("核验前"), default=dict)
    after = models.JSONField(_("核验后"), default=dict)
    at = models.DateTimeField(_("核验时间"))

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("身份核验记录")
        verbose_name_plural = _("身份核验记录")

    def __str__(self):
        return f"{self.account} {self.get_method_display()} {self.at:%Y-%m-%d %H:%M}"


class NotificationKind(models.TextChoices):
    APPLICATION = "application", _("办理进度")
    RECOGNITION = "recognition", _("认定状态")
    OVERDUE = "overdue", _("超期提醒")
    ACCOUNT = "account", _("账号与身份")


class Notification(models.Model):
    """A message in a user's inbox; `key` makes a sweep's insert idempotent. Its SMS and email copies
    are OutboxMessage rows written in the same transaction (accounts.notifications)."""

    # no index of its own: (user, key) and (user, read_at) lead with it, and a sweep writing 35k messages
    # maintained a third copy of the same column (issue 13)
    user = models.ForeignKey(
        User, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    key = models.CharField(_("去重键"), max_length=100)
    kind = models.CharField(_("类别"), max_length=20, choices=NotificationKind.choices)
    title = models.CharField(_("标题"), max_length=100)
    body = models.CharField(_("内容"), max_length=500)
    url = models.CharField(_("链接"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_notification_per_key")]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.title


class OutboxChannel(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")


class OutboxState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("多次失败，已停止重试")


class OutboxMessage(models.Model):
    """One copy of a notification to send by SMS or email (DESIGN.md §10). Written with the
    notification, in the state change's transaction; delivered after the commit by Celery and by the
    outbox sweep. A sender claims rows by compare-and-swap (pending → sending with its own token),
    so two workers never send one row; the address is read when it is sent."""

    notification = models.ForeignKey(
        Notification, verbose_name=_("通知"), on_delete=models.CASCADE, related_name="copies"
    )
    channel = models.CharField(_("渠道"), max_length=5, choices=OutboxChannel.choices)
    state = models.CharField(_("状态"), max_length=8, choices=OutboxState.choices, default=OutboxState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次发送时间"))
    claim = models.CharField(_("发送标记"), max_length=32, blank=True)
    claimed_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    sent_to = models.CharField(_("发送至"), max_length=254, blank=True)
    failed_at = models.DateTimeField(_("停止重试时间"), null=True, blank=True)
    last_error = models.CharField(_("最近一次错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("待发消息")
        verbose_name_plural = _("待发消息")
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="one_copy_per_channel")]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self):
        return f"{self.get_channel_display()} {self.get_state_display()} #{self.notification_id}"


class AuditAction(models.TextChoices):
    VIEW_FULL_ID = "view_full_id", _("查看完整身份证号")
    DOWNLOAD = "download", _("下载")
    EXPORT = "export", _("导出")
    TRANSITION = "transition", _("办理操作")
    VERIFY_IDENTITY = "verify_identity", _("身份核验")
    LOGIN_FAILED = "login_failed", _("登录失败")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("审计记录不可修改。"))

    def delete(self):
        raise ValidationError(_("审计记录不可删除。"))


class AuditEvent(Immutable):
    """Who saw, took or changed personal data, and failed logins (DESIGN.md §9, API.md "Audit").
    Append-only: written by accounts.audit.record, never changed or deleted (the admin is read-only)."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The actor's role and unit at the time: they may change later.
    role = models.CharField(_("角色"), max_length=12, blank=True, choices=Role.choices)
    unit_code = models.CharField(_("单位代码"), max_length=12, blank=True, db_index=True)
    action = models.CharField(_("操作"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("对象类型"), max_length=30, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"]),
            models.Index(fields=["actor", "at"]),
            models.Index(fields=["action", "at"]),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_action_display()} {self.object_type} {self.object_id}"


class RateWindow(models.Model):
    """One client's requests within one per-client rate limit's period (config.throttling, on PostgreSQL):
    their times in epoch seconds, oldest first, and whether the latest was counted. Written only by
    config.throttling.RECORD_HIT; UNLOGGED on PostgreSQL (migration 0008): no WAL for a write on every
    limited request, and a crash empties it, which only starts every limit afresh."""

    key = models.CharField(_("客户端与限额"), max_length=250, primary_key=True)
    hits = ArrayField(models.FloatField(), verbose_name=_("请求时间"))
    counted = models.BooleanField(_("最近一次已计入"))

    class Meta:
        verbose_name = _("限流窗口")
        verbose_name_plural = _("限流窗口")

    def __str__(self):
        return self.key
