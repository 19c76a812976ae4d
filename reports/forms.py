from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

# the months of a period are listed one by one: a year 9999 overflowed (a 500), a year 1 listed 24,000 months
DATES = [
    MinValueValidator(date(2000, 1, 1), _("日期不能早于2000年1月1日。")),
    MaxValueValidator(date(2099, 12, 31), _("日期不能晚于2099年12月31日。")),
]


class StatsForm(forms.Form):
    """?unit_code=&from=&to= of the stats API and the dashboard ("from" is a keyword: `date_from` here)."""

    unit_code = forms.RegexField(
        label=_("单位"), regex=r"^\d{12}$", required=False, error_messages={"invalid": _("区划代码应为12位数字。")}
    )
    date_from = forms.DateField(label=_("开始日期"), required=False, validators=DATES)
    date_to = forms.DateField(label=_("结束日期"), required=False, validators=DATES)

    @classmethod
    def from_query(cls, query) -> "StatsForm":
        return cls(
            {"unit_code": query.get("unit_code", ""), "date_from": query.get("from"), "date_to": query.get("to")}
        )

    def query_errors(self) -> dict[str, list[str]]:
        """The errors under the query's own names (from, to)."""
        names = {"date_from": "from", "date_to": "to"}
        return {names.get(field, field): list(errors) for field, errors in self.errors.items()}
