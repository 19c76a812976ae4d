from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("上班（调休）")


class HolidayOverride(models.Model):
    """One day of an official schedule that wins over the chinese-calendar package
    (DESIGN.md §4): a holiday, or a weekend make-up working day."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=8, choices=DayKind.choices)
    name = models.CharField(_("节日"), max_length=20, blank=True, help_text=_("如：春节、国庆节"))
    notice = models.CharField(_("依据文件"), max_length=100, help_text=_("如：国办发明电〔2025〕7号"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}"


class OfficialYear(models.Model):
    """A year whose official schedule has been entered (import_holidays): dates in it are
    no longer provisional even where the chinese-calendar package has no data."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    notice = models.CharField(_("依据文件"), max_length=100)
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("已录入的年度放假安排")
        verbose_name_plural = _("已录入的年度放假安排")

    def __str__(self):
        return f"{self.year}（{self.notice}）"
