from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from eligibility.workdays import NATIONAL, calendar_changed

# 行政区划代码 (GB/T 2260) of the provincial-level units; "" = the national schedule.
PROVINCES = [
    (NATIONAL, _("全国")),
    ("11", _("北京市")),
    ("12", _("天津市")),
    ("13", _("河北省")),
    ("14", _("山西省")),
    ("15", _("内蒙古自治区")),
    ("21", _("辽宁省")),
    ("22", _("吉林省")),
    ("23", _("黑龙江省")),
    ("31", _("上海市")),
    ("32", _("江苏省")),
    ("33", _("浙江省")),
    ("34", _("安徽省")),
    ("35", _("福建省")),
    ("36", _("江西省")),
    ("37", _("山东省")),
    ("41", _("河南省")),
    ("42", _("湖北省")),
    ("43", _("湖南省")),
    ("44", _("广东省")),
    ("45", _("广西壮族自治区")),
    ("46", _("海南省")),
    ("50", _("重庆市")),
    ("51", _("四川省")),
    ("52", _("贵州省")),
    ("53", _("云南省")),
    ("54", _("西藏自治区")),
    ("61", _("陕西省")),
    ("62", _("甘肃省")),
    ("63", _("青海省")),
    ("64", _("宁夏回族自治区")),
    ("65", _("新疆维吾尔自治区")),
]


def province_name(code: str) -> str:
    return str(dict(PROVINCES).get(code, code))


def _province_field():
    # 全国年节及纪念日放假办法 第四条: 少数民族习惯的节日 are set by the region's own government.
    return models.CharField(
        _("适用地区"),
        max_length=2,
        blank=True,
        default=NATIONAL,
        choices=PROVINCES,
        help_text=_(
            "“全国”为国务院的安排；选择省级地区则是该地区自有的节日（如新疆的肉孜节、古尔邦节），只改变该地区的日历。"
        ),
    )


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("上班（调休）")


class HolidayOverride(models.Model):
    """One day of an official schedule that wins over the chinese-calendar package
    (DESIGN.md §4): a holiday, or a weekend make-up working day; national, or of one province."""

    date = models.DateField(_("日期"))
    province = _province_field()
    kind = models.CharField(_("类型"), max_length=8, choices=DayKind.choices)
    name = models.CharField(_("节日"), max_length=20, blank=True, help_text=_("如：春节、国庆节"))
    notice = models.CharField(_("依据文件"), max_length=100, help_text=_("如：国办发明电〔2025〕7号"))

    class Meta:
        ordering = ["date", "province"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "province"],
                name="eligibility_override_one_per_day_and_province",
                violation_error_message=_("该地区这一天已有调整。"),
            )
        ]
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")

    def __str__(self):
        return f"{self.date} {self.get_province_display()} {self.get_kind_display()} {self.name}"


class OfficialYear(models.Model):
    """A year whose official schedule has been entered (import_holidays): nationally, dates in it are
    no longer provisional even where the chinese-calendar package has no data; for a province, its
    own holidays of that year are known."""

    year = models.PositiveSmallIntegerField(_("年份"))
    province = _province_field()
    notice = models.CharField(_("依据文件"), max_length=100)
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        ordering = ["year", "province"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "province"],
                name="eligibility_official_year_one_per_province",
                violation_error_message=_("该地区这一年的放假安排已录入。"),
            )
        ]
        verbose_name = _("已录入的年度放假安排")
        verbose_name_plural = _("已录入的年度放假安排")

    def __str__(self):
        return f"{self.year} {self.get_province_display()}（{self.notice}）"


# Every write to the calendar tables invalidates the cached calendars (workdays.load).
for _model in (HolidayOverride, OfficialYear):
    post_save.connect(calendar_changed, sender=_model, dispatch_uid=f"calendar-saved-{_model.__name__}")
    post_delete.connect(calendar_changed, sender=_model, dispatch_uid=f"calendar-deleted-{_model.__name__}")
