"""自助预审 for anyone (no login, nothing stored): the 资格预审 form without the staff findings, under
the policy of the place the person lives, with that place's minimum wage and south-Xinjiang months
(DESIGN.md §3: unit parameters are the unit's). The decision is the engine's, with its articles."""

from dataclasses import dataclass
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import areas
from accounts.models import Level, OrgUnit
from accounts.selectors import UnitSettings, unit_settings
from eligibility import policies
from eligibility.facts import FACT_NAMES, STAFF_ONLY_FACTS, UNIT_PARAMETERS, Facts, with_unit_parameters
from eligibility.forms import SECTIONS, PrecheckForm
from eligibility.policies.base import Policy

# Set by the place, never by the person (DESIGN.md §3); shown read-only beside the form.
NOT_ASKED = frozenset({*STAFF_ONLY_FACTS, *UNIT_PARAMETERS})
LABELS = {
    "id_number": _("您的身份证号"),
    "female_original_retirement_age": _("您的原法定退休年龄"),
    "monthly_income": _("您目前的月收入（元，没有填0）"),
}


class WhereForm(forms.Form):
    """Where the person lives: a county, then a community (village) in it. Bound to GET."""

    county = forms.ChoiceField(label=_("常住地所在县（市、区）"), required=False)
    unit = forms.ChoiceField(label=_("常住地所在社区（村）"), required=False)

    def __init__(self, data=None):
        data = data.copy() if data is not None else None
        if data is not None and not data.get("county") and areas.is_valid(data.get("unit", "")):
            data["county"] = data["unit"][:6] + "000000"  # a link to one community names its county too
        super().__init__(data)
        provinces = dict(OrgUnit.objects.filter(level=Level.PROVINCE).values_list("code", "name"))
        groups: dict[str, list] = {}
        for code, name in OrgUnit.objects.filter(level=Level.COUNTY).order_by("code").values_list("code", "name"):
            groups.setdefault(provinces.get(areas.province(code), code[:2]), []).append((code, name))
        self.fields["county"].choices = [("", _("请选择")), *groups.items()]
        county = data.get("county", "") if data is not None else ""
        communities = (
            OrgUnit.objects.filter(level=Level.COMMUNITY, code__startswith=county[:6])
            .select_related("parent")
            .order_by("code")
            if areas.is_valid(county)
            else []
        )
        self.fields["unit"].choices = [("", _("请选择"))] + [(u.code, community_label(u)) for u in communities]
        self.fields["county"].widget.attrs["data-autosubmit"] = "county"
        self.fields["unit"].widget.attrs["data-autosubmit"] = "unit"

    def chosen_unit(self) -> OrgUnit | None:
        if not self.is_bound or not self.is_valid() or not self.cleaned_data.get("unit"):
            return None
        return OrgUnit.objects.select_related("parent").get(code=self.cleaned_data["unit"])


def community_label(unit: OrgUnit) -> str:
    township = unit.parent.name if unit.parent_id else ""
    return f"{township} {unit.name}".strip()


def handling_unit(unit: OrgUnit) -> OrgUnit:
    """Where the person applies: their community, or its township where the community cannot accept
    (新人社规〔2025〕1号 第七条)."""
    if not unit.accepts_applications and unit.parent_id:
        return unit.parent
    return unit


@dataclass(frozen=True)
class Place:
    unit: OrgUnit
    settings: UnitSettings
    policy: Policy
    handling_unit: OrgUnit

    def parameter_notes(self) -> list[str]:
        """What the place sets, with the article that reads it (from the policy's own rules)."""
        articles = {r.code: r.article for r in [*self.policy.categories, *self.policy.exclusions]}
        notes = []
        if self.settings.minimum_monthly_wage is not None:
            notes.append(
                f"当地月最低工资标准：{self.settings.minimum_monthly_wage.normalize():f} 元"
                f"（{articles.get('income_at_least_minimum_wage', '')}）"
            )
        if self.settings.south_xinjiang and "long_term_unemployed" in articles:
            months = self.settings.relaxed_unemployment_months or 12
            notes.append(f"南疆地区连续失业时间放宽为 {months} 个月（{articles['long_term_unemployed']}）")
        return notes


def place_for(unit: OrgUnit, on: date) -> Place:
    """Raises policies.UnknownPolicy where no policy is in force there on that day."""
    return Place(
        unit=unit,
        settings=unit_settings(unit.code),
        policy=policies.for_province(unit.code, on),
        handling_unit=handling_unit(unit),
    )


class SelfCheckForm(PrecheckForm):
    """The 资格预审 fields the place's policy reads, addressed to the person; no staff findings
    (facts.STAFF_ONLY_FACTS), no unit parameters; policy and date fixed by the place and today."""

    def __init__(self, *args, place: Place, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.place = place
        for name in list(self.fields):
            if name in NOT_ASKED or (name in FACT_NAMES and name not in place.policy.facts):
                del self.fields[name]
        for name, value in (("policy", place.policy.code), ("as_of", today)):
            self.fields[name].initial = value
            self.fields[name].disabled = True  # what is posted is ignored
            self.fields[name].widget = forms.HiddenInput()
        for name, label in LABELS.items():
            if name in self.fields:
                self.fields[name].label = label

    def sections(self):
        return [
            (heading, [self[name] for name in names if name in self.fields])
            for heading, names in SECTIONS
            if any(name in self.fields for name in names)
        ]

    def facts(self) -> Facts:
        data = {name: self.cleaned_data[name] for name in FACT_NAMES if name in self.cleaned_data}
        data["monthly_income"] = data.get("monthly_income") or 0
        return with_unit_parameters(Facts(**data), self.place.settings)
