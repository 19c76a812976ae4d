from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportState(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("生成失败")


class ExportJob(models.Model):
    """An Excel export too large to build in the request (API.md "Oversight": 202 with a job to poll),
    built by Celery (reports.tasks). Owned by, and visible only to, the user who asked for it; the
    scope is the owner's, applied again when the rows are read."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导出人"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("导出内容"), max_length=20)  # a key of reports.exports.EXPORTS
    params = models.JSONField(_("筛选条件"), default=dict)
    full_ids = models.BooleanField(_("完整身份证号"), default=False)
    state = models.CharField(_("状态"), max_length=10, choices=ExportState.choices, default=ExportState.PENDING)
    total = models.PositiveIntegerField(_("行数"), default=0)
    written = models.PositiveIntegerField(_("已写入"), default=0)
    # under MEDIA_ROOT, never served directly
    file = models.FileField(_("导出文件"), upload_to="exports/", blank=True)
    filename = models.CharField(_("文件名"), max_length=100)
    error = models.CharField(_("失败原因"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")

    def __str__(self):
        return f"{self.filename}（{self.get_state_display()}）"

    @property
    def progress(self) -> int:
        if self.state == ExportState.DONE:
            return 100
        return min(99, self.written * 100 // self.total) if self.total else 0
