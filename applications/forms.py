from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import areas
from accounts.phones import validate_contact_phone
from accounts.selectors import UnitSettings
from applications.models import Channel, State
from applications.selectors import STATE_GROUPS, QueueFilters
from applications.workflow import SPECS
from eligibility import policies
from eligibility.forms import PrecheckForm


def show_unit_parameters(form: PrecheckForm, unit: UnitSettings) -> None:
    """DESIGN.md §3: inside an application the minimum wage and the south-Xinjiang months are the
    unit's. They are shown for the live pre-check, never edited; the service ignores what is sent."""
    wage = form.fields["minimum_monthly_wage"]
    wage.initial = unit.minimum_monthly_wage
    wage.widget.attrs["readonly"] = True
    wage.help_text = _("由所在地区设定。")
    months = form.fields["south_xinjiang_relaxed_months"]
    if unit.south_xinjiang:
        months.initial = unit.relaxed_unemployment_months
        months.widget.attrs["readonly"] = True
        months.help_text = _("由所在地区设定。")
    else:  # 第五条(七): only south Xinjiang relaxes the year
        months.widget = forms.HiddenInput()


class IntakeForm(PrecheckForm):
    """Community intake: who, where, how, the facts (the same fields as 资格预审) and the commitments."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("联系电话"), max_length=20, validators=[validate_contact_phone])
    address = forms.CharField(label=_("常住地址"), max_length=200)
    unit_code = forms.ChoiceField(label=_("常住地社区（村）"))
    channel = forms.ChoiceField(
        label=_("申请渠道"),
        choices=[(Channel.OFFLINE, Channel.OFFLINE.label), (Channel.PROACTIVE, Channel.PROACTIVE.label)],
    )
    consent_recorded = forms.BooleanField(
        label=_("已核实情况并取得本人同意（主动申报时必填，第十三条）"), required=False
    )
    commitments = forms.MultipleChoiceField(label=_("申请人承诺事项"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, units, policy, unit: UnitSettings, **kwargs):
        super().__init__(*args, **kwargs)
        show_unit_parameters(self, unit)
        self.fields["unit_code"].choices = [(u.code, u.name) for u in units]
        self.fields["policy"].widget = forms.HiddenInput()
        self.fields["as_of"].widget = forms.HiddenInput()
        self.fields["commitments"].choices = [(c.code, f"{c.text}（{c.article}）") for c in policy.commitments]
        self.keep_only_facts_of(policy)  # commitments start unticked: the person says each one

    def clean(self):
        data = super().clean()
        if "truthfulness" not in data.get("commitments", []):
            self.add_error("commitments", _("申请人须承诺申请材料和承诺事项真实。"))
        return data


class FactsEditForm(PrecheckForm):
    """更正申请信息: the handling unit corrects the facts and contact details before the initial
    decision (DESIGN.md §5). The ID number is the case's identity and is not corrected here."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("联系电话"), max_length=20, validators=[validate_contact_phone])
    address = forms.CharField(label=_("常住地址"), max_length=200)

    def __init__(self, *args, policy, unit: UnitSettings, **kwargs):
        super().__init__(*args, **kwargs)
        show_unit_parameters(self, unit)
        self.fields["policy"].widget = forms.HiddenInput()
        self.fields["as_of"].widget = forms.HiddenInput()
        self.fields["id_number"].widget.attrs["readonly"] = True
        self.keep_only_facts_of(policy)


class QueueFilter(forms.Form):
    state = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[
            ("", _("待我办理")),
            ("all", _("全部")),
            ("open", _("办理中")),
            ("decided", _("已办结")),
            *State.choices,
        ],
    )
    category = forms.ChoiceField(label=_("类型"), required=False)
    overdue = forms.BooleanField(label=_("仅看超期"), required=False)
    q = forms.CharField(
        label=_("姓名或身份证号"),
        required=False,
        max_length=30,
        # a name is matched from its first character, a number from its first digit (issue 13)
        widget=forms.TextInput(attrs={"placeholder": _("姓名从姓起，证号可输前几位")}),
    )
    # the dashboard's drill-down (reports): a unit below the user's and the period the figure counts
    unit = forms.RegexField(
        label=_("单位区划代码"),
        regex=r"^\d{12}$",
        required=False,
        error_messages={"invalid": _("区划代码应为12位数字。")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 12}),
    )
    received_from = forms.DateField(
        label=_("收到日期从"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def to_filters(self) -> QueueFilters:
        """What the queue page and its Excel export filter by (call after is_valid(); an invalid
        field filters nothing)."""
        f = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        state = f.get("state") or ""
        unit = f.get("unit") or ""
        return QueueFilters(
            todo=state == "",
            states=STATE_GROUPS.get(state) or ((state,) if state not in ("", "all") else ()),
            category=f.get("category") or "",
            overdue=bool(f.get("overdue")),
            q=f.get("q") or "",
            unit_prefix=areas.prefix(unit) if areas.is_valid(unit) else "",
            received_from=f.get("received_from"),
            received_to=f.get("received_to"),
            sort=f.get("sort") or "due",
        )

    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[
            ("due", _("期限最近的在前")),
            ("-due", _("期限最远的在前")),
            ("-received", _("最近收到的在前")),
            ("received", _("最早收到的在前")),
            ("state", _("按办理环节")),
        ],
    )

    def __init__(self, *args, province_code: str, **kwargs):
        """The categories offered are those of the user's province's policies, as their texts name them."""
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("全部类型")), *policies.categories_for_province(province_code)]


class DecisionForm(forms.Form):
    name = forms.ChoiceField(choices=[(name, spec.label) for name, spec in SPECS.items()], widget=forms.HiddenInput)
    opinion = forms.CharField(
        label=_("意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    missing_materials = forms.MultipleChoiceField(
        label=_("需补正的材料"), required=False, widget=forms.CheckboxSelectMultiple
    )


class BulkForm(forms.Form):
    name = forms.ChoiceField(label=_("操作"))
    opinion = forms.CharField(
        label=_("意见（不通过时为原因）"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=[], widget=forms.MultipleHiddenInput)

    def __init__(self, *args, names, ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].choices = [(n, SPECS[n].label) for n in names]
        self.fields["ids"].choices = [(i, i) for i in ids]


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料"))
    file = forms.FileField(label=_("文件（PDF、JPEG、PNG，不超过10 MB）"))

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(m["code"], m["label"]) for m in items]
