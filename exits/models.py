from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, TransitionNotAllowed, transition

from accounts.models import OrgUnit
from config.records import ChainHead, HashChained
from eligibility import policies
from eligibility.policies.base import Policy


class Source(models.TextChoices):
    APPLICATION = "application", _("申请认定")
    IMPORT = "import", _("原有认定导入（吉人社发〔2022〕10号 六）")


class Recognition(models.Model):
    """The status a county approval creates (DESIGN.md §7): who, which categories, by whom, when.
    What the daily sweeps read is stored on the row (retirement date, last contact, assistance end,
    employment, next identity check), so each detection rule is one query over this table."""

    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("认定申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recognition",
    )
    applicant = models.ForeignKey(
        "applications.Applicant", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="recognitions"
    )
    unit = models.ForeignKey(OrgUnit, verbose_name=_("所属社区（村）"), on_delete=models.PROTECT, related_name="+")
    policy_code = models.CharField(_("适用政策"), max_length=40)
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices, default=Source.APPLICATION)
    categories = models.JSONField(_("就业困难类型"))
    # ",dibao,veteran,": the same codes, filterable with a LIKE on every database
    category_index = models.CharField(_("类型索引"), max_length=200, blank=True, default="", editable=False)
    recognized_on = models.DateField(_("认定日期"))
    recognized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approving_unit = models.ForeignKey(OrgUnit, verbose_name=_("认定单位"), on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(_("有效"), default=True)
    ended_on = models.DateField(_("退出日期"), null=True, blank=True)
    end_reason = models.CharField(_("退出原因"), max_length=40, blank=True)
    # jilin-2022 二(三): 在《就业创业证》录入就业困难人员类别、认定机构和经办人
    card_category = models.CharField(_("就业创业证：就业困难人员类别"), max_length=200, blank=True)
    card_agency = models.CharField(_("就业创业证：认定机构"), max_length=100, blank=True)
    card_handler = models.CharField(_("就业创业证：经办人"), max_length=50, blank=True)
    # what the sweeps read (DESIGN.md §7, §8)
    statutory_retirement_on = models.DateField(_("法定退休日期"), null=True, blank=True)
    last_contact_on = models.DateField(_("最近一次联系或服务"), null=True, blank=True)  # xinjiang 第十六条(八)
    assistance_ends_on = models.DateField(_("就业援助政策期满日"), null=True, blank=True)  # jilin 三(二)
    employed_on = models.DateField(_("实现就业创业日期"), null=True, blank=True)  # xinjiang 第十六条(一)
    identity_check_due_on = models.DateField(_("下次身份核验"), null=True, blank=True)  # xinjiang 第十七条
    # xinjiang 第二十条, jilin 一(一)4: tracked until one member of the household works
    zero_employment_household = models.BooleanField(_("零就业家庭"), default=False)
    household_employed_on = models.DateField(_("家庭成员实现就业日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("就业困难人员认定")
        verbose_name_plural = _("就业困难人员认定")
        ordering = ["-recognized_on", "-id"]
        indexes = [
            models.Index(fields=["active", "statutory_retirement_on"]),
            models.Index(fields=["active", "last_contact_on"]),
            models.Index(fields=["active", "identity_check_due_on"]),
            models.Index(fields=["unit", "active"]),
            # exit rules on a date most recognitions leave empty: the rows that have one (issue 13: the
            # employment rule read all 300k recognitions, 1.7 s a day with nothing to find)
            models.Index(
                fields=["policy_code", "employed_on"],
                condition=models.Q(active=True, employed_on__isnull=False),
                name="recognition_employed",
            ),
            models.Index(
                fields=["policy_code", "assistance_ends_on"],
                condition=models.Q(active=True, assistance_ends_on__isnull=False),
                name="recognition_assistance_end",
            ),
        ]
        constraints = [
            # 第十八条: a new recognition only after exit
            models.UniqueConstraint(
                fields=["applicant", "policy_code"], condition=models.Q(active=True), name="one_active_recognition"
            )
        ]

    def __str__(self):
        return f"{self.applicant} {self.recognized_on}"

    def save(self, *args, **kwargs):
        self.category_index = ",{},".format(",".join(self.categories)) if self.categories else ""
        if kwargs.get("update_fields") is not None and "categories" in kwargs["update_fields"]:
            kwargs["update_fields"] = [*kwargs["update_fields"], "category_index"]
        super().save(*args, **kwargs)

    @property
    def policy(self) -> Policy:
        return policies.get(self.policy_code)

    @property
    def is_jilin(self) -> bool:
        return self.policy_code == "jilin-2022"

    @property
    def category_labels(self) -> list[str]:
        labels = {rule.code: rule.label for rule in self.policy.categories}
        return [labels.get(code, code) for code in self.categories]


class Need(models.TextChoices):
    JOB = "job", _("就业需求")
    ENTREPRENEURSHIP = "entrepreneurship", _("创业需求")
    TRAINING = "training", _("培训需求")
    PUBLIC_WELFARE_POST = "public_welfare_post", _("公益性岗位托底安置")


class Plan(models.Model):
    """The one-to-one assistance plan (xinjiang 第十四条: 步骤、援助内容、援助途径、负责人员; jilin 四(二) 一人一策)."""

    recognition = models.OneToOneField(
        Recognition, verbose_name=_("认定"), on_delete=models.PROTECT, related_name="plan"
    )
    needs = models.JSONField(_("援助需求"), default=list)
    steps = models.TextField(_("援助步骤与内容"))
    officer = models.CharField(_("负责人员"), max_length=50)
    review_on = models.DateField(_("下次跟踪回访"), null=True, blank=True)
    market_capable = models.BooleanField(_("具有市场就业能力"), default=True)  # jilin 四(二): 至少提供3个岗位信息
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("更新人"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("援助方案")
        verbose_name_plural = _("援助方案")

    def __str__(self):
        return f"{self.recognition_id} {self.officer}"


class ServiceKind(models.TextChoices):
    JOB_REFERRAL = "job_referral", _("推荐岗位")
    TRAINING = "training", _("职业技能培训")
    ENTREPRENEURSHIP = "entrepreneurship", _("创业服务")
    PUBLIC_WELFARE_POST = "public_welfare_post", _("公益性岗位安置")
    CONTACT = "contact", _("跟踪联系")
    REQUEST = "request", _("本人提出援助服务需求")  # xinjiang 第十六条(八)
    IDENTITY_CHECK = "identity_check", _("身份核验")  # xinjiang 第十七条


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", _("接受")
    COMPLETED = "completed", _("已完成")
    REFUSED = "refused", _("无正当理由拒绝")
    REFUSED_WITH_GOOD_REASON = "refused_with_good_reason", _("有正当理由拒绝")
    UNREACHABLE = "unreachable", _("联系不上")


class ServiceRecord(models.Model):
    """One service offered or contact made, with its outcome (xinjiang 第十四条, jilin 四(二)(三))."""

    recognition = models.ForeignKey(
        Recognition, verbose_name=_("认定"), on_delete=models.PROTECT, related_name="services"
    )
    kind = models.CharField(_("服务"), max_length=24, choices=ServiceKind.choices)
    date = models.DateField(_("日期"))
    outcome = models.CharField(_("结果"), max_length=28, choices=Outcome.choices)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["recognition", "outcome", "date"]),
            # the refusal rule reads the refusals of the last 6 months, not every service (issue 13)
            models.Index(fields=["date"], condition=models.Q(outcome="refused"), name="service_refused_on"),
        ]
        verbose_name = _("援助服务记录")
        verbose_name_plural = _("援助服务记录")

    def __str__(self):
        return f"{self.get_kind_display()} {self.date} {self.get_outcome_display()}"


class SubsidyKind(models.TextChoices):
    # xinjiang 第十五条
    SOCIAL_INSURANCE = "social_insurance", _("社会保险补贴")
    PUBLIC_WELFARE_POST = "public_welfare_post", _("公益性岗位补贴")
    JOB_EXPANSION = "job_expansion", _("扩岗补助")
    STARTUP_LOAN = "startup_loan", _("创业担保贷款及贴息")
    TRAINING = "training", _("职业培训补贴")
    SKILL_UPGRADE = "skill_upgrade", _("技能提升补贴")
    SKILL_EVALUATION = "skill_evaluation", _("职业技能评价补贴")
    TAX_RELIEF = "tax_relief", _("税费优惠")
    OTHER = "other", _("其他扶持政策")


class Subsidy(models.Model):
    """A subsidy or policy the person enjoys, with its period (xinjiang 第十五条, 第十六条(一))."""

    recognition = models.ForeignKey(
        Recognition, verbose_name=_("认定"), on_delete=models.PROTECT, related_name="subsidies"
    )
    kind = models.CharField(_("补贴或政策"), max_length=24, choices=SubsidyKind.choices)
    start = models.DateField(_("开始"))
    end = models.DateField(_("结束"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    # xinjiang 第十七条, jilin 五(三): 补贴资金应当予以追回
    recovery_flagged_on = models.DateField(_("需追回（标记日期）"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("享受政策")
        verbose_name_plural = _("享受政策")

    def __str__(self):
        return f"{self.get_kind_display()} {self.start}–{self.end or ''}"


class ExitState(models.TextChoices):
    PROPOSED = "proposed", _("拟退出（待确认）")
    CONFIRMED = "confirmed", _("已取消认定")
    DISMISSED = "dismissed", _("不予退出")
    OBJECTION = "objection", _("重核中")
    RESTORED = "restored", _("重核恢复认定")
    UPHELD = "upheld", _("重核维持取消")


class ExitSource(models.TextChoices):
    MANUAL = "manual", _("经办人员提出")
    SWEEP = "sweep", _("系统检测")


OPEN_EXIT_STATES = (ExitState.PROPOSED, ExitState.OBJECTION)
OBJECTION_DAYS = timedelta(days=30)  # xinjiang 第十九条 (DESIGN.md §4: 30 calendar days after notification)


class ExitCase(ConcurrentTransitionMixin, ChainHead, models.Model):
    """A proposed exit and what became of it (DESIGN.md §7). The transitions change only this row;
    exits.services.exit_transition locks it, checks who acts, changes the recognition, logs and notifies."""

    recognition = models.ForeignKey(Recognition, verbose_name=_("认定"), on_delete=models.PROTECT, related_name="exits")
    reason = models.CharField(_("退出原因"), max_length=40)
    article = models.CharField(_("依据"), max_length=40)
    reason_label = models.CharField(_("退出情形"), max_length=200)
    source = models.CharField(_("来源"), max_length=8, choices=ExitSource.choices)
    # one proposal per cause: a sweep names what it detected (e.g. "lost_contact:2025-01-05")
    cause = models.CharField(_("检测依据"), max_length=80, blank=True)
    detail = models.JSONField(_("检测详情"), default=dict, blank=True)
    state = FSMField(_("状态"), default=ExitState.PROPOSED, choices=ExitState.choices, protected=True)
    effective_on = models.DateField(_("退出情形发生日期"))
    note = models.TextField(_("说明"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_on = models.DateField(_("提出日期"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("确认日期"), null=True, blank=True)
    decision_note = models.TextField(_("确认或不予退出的说明"), blank=True)
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    objection_deadline = models.DateField(_("重核申请期限"), null=True, blank=True)  # 第十九条: 30 日
    objection_content = models.TextField(_("重核申请内容"), blank=True)
    objection_on = models.DateField(_("重核申请日期"), null=True, blank=True)
    finding = models.TextField(_("重核结论"), blank=True)
    reverified_on = models.DateField(_("重核日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-proposed_on", "-id"]
        indexes = [models.Index(fields=["state", "proposed_on"])]
        verbose_name = _("退出")
        verbose_name_plural = _("退出")
        constraints = [
            # one open proposal per recognition and reason, however often the sweep runs
            models.UniqueConstraint(
                fields=["recognition", "reason"], condition=models.Q(state="proposed"), name="one_open_exit_per_reason"
            ),
            # a cause the sweep detected is proposed once, even after a dismissal
            models.UniqueConstraint(fields=["recognition", "cause"], condition=~models.Q(cause=""), name="one_cause"),
        ]

    def __str__(self):
        return f"{self.reason_label}（{self.get_state_display()}）"

    # --- transitions: they change only this row (exits.services.exit_transition does the rest)

    @transition(field=state, source=ExitState.PROPOSED, target=ExitState.CONFIRMED)
    def confirm(self, today, note=""):
        self.decided_on = today
        self.decision_note = note
        self.notified_on = today  # the message and the letter go out with the confirmation
        self.objection_deadline = today + OBJECTION_DAYS

    @transition(field=state, source=ExitState.PROPOSED, target=ExitState.DISMISSED)
    def dismiss(self, today, note=""):
        if not note:
            raise ValidationError({"note": _("请说明不予退出的理由。")})
        self.decided_on = today
        self.decision_note = note

    @transition(field=state, source=ExitState.CONFIRMED, target=ExitState.OBJECTION)
    def objection(self, today, content=""):
        """第十九条: 在收到告知信息后 30 日内 提出重核申请."""
        if self.objection_deadline is None or today > self.objection_deadline:
            raise TransitionNotAllowed(
                f"重核申请期限已过（告知后30日内，截至 {self.objection_deadline:%Y-%m-%d}，第十九条）。"
            )
        if not content:
            raise ValidationError({"content": _("请填写重核申请的理由。")})
        self.objection_content = content
        self.objection_on = today

    @transition(field=state, source=ExitState.OBJECTION, target=ExitState.RESTORED)
    def restore(self, today, finding=""):
        self._reverified(today, finding)

    @transition(field=state, source=ExitState.OBJECTION, target=ExitState.UPHELD)
    def uphold(self, today, finding=""):
        self._reverified(today, finding)

    def _reverified(self, today, finding):
        if not finding:
            raise ValidationError({"finding": _("请填写重核结论。")})
        self.finding = finding
        self.reverified_on = today


class ExitLog(HashChained):
    """Who moved an exit case from which state to which: written once, hash-chained per case."""

    case = models.ForeignKey(ExitCase, verbose_name=_("退出"), on_delete=models.PROTECT, related_name="log")
    name = models.CharField(_("操作"), max_length=20)
    from_state = models.CharField(_("原状态"), max_length=12)
    to_state = models.CharField(_("新状态"), max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+", null=True
    )
    role = models.CharField(_("角色"), max_length=12)
    unit_code = models.CharField(_("单位代码"), max_length=12, blank=True)
    note = models.TextField(_("说明"), blank=True)
    payload = models.JSONField(_("附加信息"), default=dict, blank=True)
    at = models.DateTimeField(_("时间"))

    class Meta:
        ordering = ["id"]
        # a chain has one entry after each entry: two writers of the same step cannot both append
        constraints = [models.UniqueConstraint(fields=["case", "prev_hash"], name="one_entry_after_each")]
        verbose_name = _("退出办理记录")
        verbose_name_plural = _("退出办理记录")

    def __str__(self):
        from exits.services import LOG_LABELS

        return LOG_LABELS.get(self.name, self.name)

    def content(self) -> dict:
        return {
            "case": self.case_id,
            "name": self.name,
            "from": self.from_state,
            "to": self.to_state,
            "actor": self.actor_id,
            "role": self.role,
            "unit": self.unit_code,
            "note": self.note,
            "payload": self.payload,
            "at": self.at.isoformat(),
        }


class Tally(models.Model):
    """Pre-aggregated counts behind the oversight figures (DESIGN.md §11, issue 13), so a province's
    dashboard reads a few thousand rows instead of a million applications. One row: how many of
    `measure` the units under `unit` (a 2, 4 or 6 digit code prefix: a province, prefecture or
    county) hold on a day (`grain` "d"), in a month ("m", `period` its first day) or now ("t").
    `scope` is the prefix of the unit above `unit`, so one scope's rows are its children's.
    Kept in the same transaction as every write it counts (applications.tally, exits.tally);
    `manage.py rebuild_tally` recomputes it from the rows it counts."""

    scope = models.CharField(_("上级单位代码前缀"), max_length=4, blank=True)
    grain = models.CharField(_("粒度"), max_length=1)
    period = models.DateField(_("日期"))
    unit = models.CharField(_("单位代码前缀"), max_length=6)
    measure = models.CharField(_("指标"), max_length=60)
    n = models.IntegerField(_("数量"), default=0)

    class Meta:
        verbose_name = _("统计汇总")
        verbose_name_plural = _("统计汇总")
        constraints = [
            models.UniqueConstraint(fields=["scope", "grain", "period", "unit", "measure"], name="tally_key"),
        ]

    def __str__(self):
        return f"{self.unit} {self.period} {self.measure}：{self.n}"
