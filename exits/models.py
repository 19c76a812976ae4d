from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit


class Recognition(models.Model):
    """The status a county approval creates (DESIGN.md §7): who, which categories, by whom, when."""

    application = models.OneToOneField("applications.Application", on_delete=models.PROTECT, related_name="recognition")
    applicant = models.ForeignKey("applications.Applicant", on_delete=models.PROTECT, related_name="recognitions")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    policy_code = models.CharField(max_length=40)
    categories = models.JSONField(_("就业困难类型"))
    recognized_on = models.DateField(_("认定日期"))
    recognized_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approving_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("就业困难人员认定")
        verbose_name_plural = _("就业困难人员认定")
        ordering = ["-recognized_on", "-id"]
        constraints = [
            # 第十八条: a new recognition only after exit
            models.UniqueConstraint(
                fields=["applicant", "policy_code"], condition=models.Q(active=True), name="one_active_recognition"
            )
        ]

    def __str__(self):
        return f"{self.applicant} {self.recognized_on}"
