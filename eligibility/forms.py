from dataclasses import MISSING, fields

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import idnumber
from eligibility import policies
from eligibility.facts import FACT_NAMES, Facts

LABELS = {
    "id_number": _("身份证号"),
    "female_original_retirement_age": _("原法定退休年龄（女性）"),
    "local_hukou": _("具有本省户籍"),
    "local_resident": _("在自治区行政区域内常住"),
    "urban": _("城镇区域（城镇户籍或城镇常住）"),
    "able_to_work": _("有劳动能力"),
    "willing_to_work": _("有就业意愿"),
    "unemployment_registered_on": _("失业登记日期"),
    "receiving_dibao": _("正在享受最低生活保障待遇"),
    "disability_certified": _("经评定为残疾 / 持《残疾人证》"),
    "land_fully_expropriated": _("因依法征地失去全部土地（承包耕地）"),
    "poverty_alleviation_registered": _("在全国防返贫监测系统中登记备案（脱贫人口）"),
    "veteran": _("退役军人"),
    "laid_off_from_soe": _("原国有（含厂办大集体）企业下岗失业"),
    "zero_employment_household": _("经认定的零就业家庭成员"),
    "graduated_on": _("离校（毕业）日期"),
    "full_time_domestic_graduate": _("国内全日制普通高等学校毕业生"),
    "ever_employed": _("有过就业经历"),
    "has_social_insurance_record": _("有社会保险缴费记录"),
    "other_prescribed": _("属自治区人民政府规定的其他就业困难人员"),
    "employed_or_insured": _("已与用人单位建立劳动关系或在用人单位参保"),
    "business_operating": _("已领取营业执照或办理法定登记并经营"),
    "company_officer": _("在其他单位任法定代表人、股东、监事、理事或负责人"),
    "monthly_income": _("月收入（元）"),
    "minimum_monthly_wage": _("当地月最低工资标准（元）"),
    "receiving_pension": _("已领取养老保险待遇"),
    "other_exclusion": _("存在其他不予认定的情形"),
    "other_note": _("“其他情形”的依据（文件名称和条款）或核查说明"),
    "south_xinjiang_relaxed_months": _("南疆放宽后的连续失业月数（仅南疆地区，6–12个月）"),
}

# How the form is laid out: (heading, facts)
SECTIONS = [
    (
        _("基本条件"),
        [
            "local_resident",
            "local_hukou",
            "urban",
            "able_to_work",
            "willing_to_work",
            "unemployment_registered_on",
            "south_xinjiang_relaxed_months",
        ],
    ),
    (
        _("就业困难类型"),
        [
            "receiving_dibao",
            "disability_certified",
            "land_fully_expropriated",
            "poverty_alleviation_registered",
            "veteran",
            "laid_off_from_soe",
            "zero_employment_household",
            "full_time_domestic_graduate",
            "graduated_on",
            "ever_employed",
            "has_social_insurance_record",
            "other_prescribed",
        ],
    ),
    (
        _("不予认定的情形"),
        [
            "employed_or_insured",
            "business_operating",
            "company_officer",
            "monthly_income",
            "minimum_monthly_wage",
            "receiving_pension",
            "other_exclusion",
            "other_note",
        ],
    ),
]


class PrecheckForm(forms.Form):
    """资格预审: the facts of DESIGN.md §3, evaluated by the same engine as the API."""

    policy = forms.ChoiceField(label=_("适用政策"), choices=[(p.code, p.document) for p in policies.POLICIES.values()])
    as_of = forms.DateField(label=_("评估日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    id_number = forms.CharField(
        label=LABELS["id_number"], max_length=30, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    # DESIGN.md §3: asked of women, never assumed; the page shows it only for a woman's ID number
    female_original_retirement_age = forms.TypedChoiceField(
        label=LABELS["female_original_retirement_age"],
        choices=[
            ("", _("请选择")),
            (50, _("50岁（一般为工人岗位）")),
            (55, _("55岁（一般为干部、管理技术岗位）")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )
    unemployment_registered_on = forms.DateField(
        label=LABELS["unemployment_registered_on"],
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    graduated_on = forms.DateField(
        label=LABELS["graduated_on"], required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    monthly_income = forms.DecimalField(
        label=LABELS["monthly_income"], min_value=0, max_digits=10, decimal_places=2, required=False
    )
    minimum_monthly_wage = forms.DecimalField(
        label=LABELS["minimum_monthly_wage"], min_value=0, max_digits=8, decimal_places=2, required=False
    )
    south_xinjiang_relaxed_months = forms.IntegerField(
        label=LABELS["south_xinjiang_relaxed_months"], min_value=6, max_value=12, required=False
    )

    other_note = forms.CharField(
        label=LABELS["other_note"], max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in FACT_NAMES:
            if name not in self.fields:
                self.fields[name] = forms.BooleanField(label=LABELS[name], required=False)
        for name, field in self.fields.items():
            field.policies = [p.code for p in policies.POLICIES.values() if name in p.facts] or None
        self.fields["female_original_retirement_age"].female_only = True

    def clean_id_number(self):
        try:
            return idnumber.parse(self.cleaned_data["id_number"]).number
        except idnumber.InvalidIdNumber as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        data = super().clean()
        number = data.get("id_number")
        if number is None:  # a bad ID number already has its own message
            return data
        if idnumber.parse(number).sex == "M":
            data["female_original_retirement_age"] = None  # men's is 60 whatever was chosen
        elif data.get("female_original_retirement_age") is None:
            self.add_error("female_original_retirement_age", _("请选择女性申请人的原法定退休年龄（50岁或55岁）。"))
        return data

    def facts(self) -> dict:
        """A fact whose field the form left out (not read by the policy) keeps its default."""
        defaults = {f.name: f.default for f in fields(Facts) if f.default is not MISSING}
        data = {name: self.cleaned_data.get(name, defaults.get(name)) for name in FACT_NAMES}
        if data["monthly_income"] is None:
            data["monthly_income"] = 0
        return data

    def sections(self):
        return [(heading, [self[name] for name in names if name in self.fields]) for heading, names in SECTIONS]

    def keep_only_facts_of(self, policy) -> None:
        """A form for one policy shows only what that policy reads (issue 11: the Jilin form shows no
        Xinjiang field)."""
        for name in FACT_NAMES:
            if name not in policy.facts and name in self.fields:
                del self.fields[name]
