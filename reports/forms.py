from django import forms
from django.utils.translation import gettext_lazy as _


class StatsForm(forms.Form):
    """?unit_code=&from=&to= of the stats API and the dashboard ("from" is a keyword: `date_from` here)."""

    unit_code = forms.RegexField(
        label=_("单位"), regex=r"^\d{12}$", required=False, error_messages={"invalid": _("区划代码应为12位数字。")}
    )
    date_from = forms.DateField(label=_("开始日期"), required=False)
    date_to = forms.DateField(label=_("结束日期"), required=False)

    @classmethod
    def from_query(cls, query) -> "StatsForm":
        return cls(
            {"unit_code": query.get("unit_code", ""), "date_from": query.get("from"), "date_to": query.get("to")}
        )

    def query_errors(self) -> dict[str, list[str]]:
        """The errors under the query's own names (from, to)."""
        names = {"date_from": "from", "date_to": "to"}
        return {names.get(field, field): list(errors) for field, errors in self.errors.items()}
