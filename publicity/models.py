from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit


class NoticeState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("公示中")
    CLOSED = "closed", _("已结束")


class Notice(models.Model):
    """A public-notice batch (初审公示) of one handling unit, after 附件3 of 新人社规〔2025〕1号."""

    unit = models.ForeignKey(OrgUnit, verbose_name=_("公示单位"), on_delete=models.PROTECT, related_name="+")
    policy_code = models.CharField(_("适用政策"), max_length=40)
    title = models.CharField(_("标题"), max_length=100)
    supervision_phone = models.CharField(_("监督电话"), max_length=30)
    contact_person = models.CharField(_("联系人"), max_length=30)
    agency_name = models.CharField(_("经办机构名称"), max_length=100)
    external_url = models.URLField(_("外部公示网址"), blank=True, help_text=_("如中国新疆人才网上的公示页面"))
    state = models.CharField(_("状态"), max_length=10, choices=NoticeState.choices, default=NoticeState.DRAFT)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    period_start = models.DateField(_("公示开始"), null=True, blank=True)
    period_end = models.DateField(_("公示结束"), null=True, blank=True)
    period_provisional = models.BooleanField(_("公示期为暂定（当年放假安排未录入）"), default=False)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # The rendered PDF, cached until the notice changes (pdf_key is a digest of what it shows).
    pdf_file = models.FileField(_("公示文件（PDF）"), upload_to="notices/", blank=True)
    pdf_key = models.CharField(_("文件内容摘要"), max_length=64, blank=True)
    pdf_status = models.CharField(_("文件生成状态"), max_length=10, blank=True)  # "", rendering, ready, failed
    pdf_progress = models.PositiveSmallIntegerField(_("文件生成进度（%）"), default=0)
    # A background render (publicity.pdf): when it was last asked for, how often, and why it failed.
    pdf_requested_at = models.DateTimeField(_("最近一次请求生成时间"), null=True, blank=True)
    pdf_attempts = models.PositiveSmallIntegerField(_("生成尝试次数"), default=0)
    pdf_error = models.CharField(_("生成失败原因"), max_length=200, blank=True)

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        indexes = [models.Index(fields=["state", "period_end"])]

    def __str__(self):
        return self.title


class NoticeLine(models.Model):
    """One person on a notice. What the public sees is fixed at publication (masked ID number)."""

    # db_index=False: both unique constraints below begin with the notice, and serve its lookups (issue 13)
    notice = models.ForeignKey(
        Notice, verbose_name=_("公示"), on_delete=models.PROTECT, related_name="lines", db_index=False
    )
    application = models.ForeignKey(
        "applications.Application", verbose_name=_("认定申请"), on_delete=models.PROTECT, related_name="notice_lines"
    )
    seq = models.PositiveIntegerField(_("序号"))
    name = models.CharField(_("姓名"), max_length=50)
    masked_id_number = models.CharField(_("身份证号"), max_length=18)
    categories = models.CharField(_("就业困难类型"), max_length=200)
    place = models.CharField(_("所属社区（村）／街道（乡镇）"), max_length=200)
    withdrawn_on = models.DateField(
        _("撤回日期"), null=True, blank=True
    )  # left the procedure: not closed with the rest

    class Meta:
        ordering = ["notice", "seq"]
        verbose_name = _("公示名单")
        verbose_name_plural = _("公示名单")
        constraints = [
            models.UniqueConstraint(fields=["notice", "application"], name="one_line_per_application"),
            models.UniqueConstraint(fields=["notice", "seq"], name="unique_seq_per_notice"),
        ]

    def __str__(self):
        return f"{self.seq}. {self.name}"


class ObjectionState(models.TextChoices):
    PENDING = "pending", _("待核实")
    DISMISSED = "dismissed", _("经核实不成立")
    UPHELD = "upheld", _("经核查属实")


class Objection(models.Model):
    """An objection to one line, verified by staff (第九条: 公示有异议的，经核查属实…)."""

    line = models.ForeignKey(
        NoticeLine, verbose_name=_("被反映人员"), on_delete=models.PROTECT, related_name="objections"
    )
    content = models.TextField(_("异议内容"))
    reporter_name = models.CharField(_("反映人姓名"), max_length=50)  # private: never on a public page
    reporter_contact = models.CharField(_("反映人联系方式"), max_length=50)
    received_at = models.DateTimeField(_("收到时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("核实结果"), max_length=10, choices=ObjectionState.choices, default=ObjectionState.PENDING
    )
    finding = models.TextField(_("核查情况"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("核查时间"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")

    def __str__(self):
        return f"{self.line}：{self.get_state_display()}"


class PostingProof(models.Model):
    """Proof the notice was posted: a photo of it on the board, and/or where it is online."""

    notice = models.ForeignKey(Notice, verbose_name=_("公示"), on_delete=models.PROTECT, related_name="proofs")
    photo = models.FileField(_("张贴照片"), upload_to="notice-proofs/", blank=True)
    url = models.URLField(_("网上公示网址"), blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("公示张贴证明")
        verbose_name_plural = _("公示张贴证明")

    def __str__(self):
        return self.url or self.photo.name
