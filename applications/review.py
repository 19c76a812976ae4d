"""What an officer reads before deciding (issue 11, item 1): the facts the decision rests on, the
materials by type, the notice the case was on with its objections and findings, and the whole
timeline with who, in which role and unit. A fixed number of queries whatever the case holds."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from accounts.models import OrgUnit, Role
from applications.models import Application
from eligibility.forms import LABELS
from eligibility.policies.base import Policy

# What is shown as a sentence of its own rather than a row of the list.
SHOWN_APART = {
    "id_number",
    "female_original_retirement_age",
    "unemployment_registered_on",
    "monthly_income",
    "minimum_monthly_wage",
}


@dataclass(frozen=True)
class FactRow:
    label: str
    value: str
    attention: bool = False  # a fact that counts against the person (an exclusion's ground)


@dataclass(frozen=True)
class MaterialRow:
    pk: int
    kind_label: str
    article: str
    size: str
    uploaded_at: datetime
    reused: bool


@dataclass(frozen=True)
class TimelineRow:
    at: datetime
    who: str
    role: str
    unit: str
    what: str
    opinion: str
    reason: str
    transition: str


def _value(value) -> str:
    if value is True:
        return _("是")
    if value is False or value is None or value == "":
        return _("否") if value is False else "—"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return value  # an ISO date as stored
    return str(value)


def fact_rows(application: Application, policy: Policy) -> list[FactRow]:
    """The facts the policy reads, in its own order, with the labels of the intake form (the
    unit's minimum wage and the south-Xinjiang months as stored with the case)."""
    facts = application.facts
    exclusions = {
        "employed_or_insured",
        "business_operating",
        "company_officer",
        "receiving_pension",
        "other_exclusion",
    }
    rows = []
    for name in policy.facts:
        if name in SHOWN_APART or name not in LABELS:
            continue
        value = facts.get(name)
        if name == "south_xinjiang_relaxed_months" and value is None:
            continue
        if name in ("other_note",) and not value:
            continue
        rows.append(FactRow(str(LABELS[name]), _value(value), attention=name in exclusions and value is True))
    return rows


def income_line(application: Application) -> str:
    """收入与当地月最低工资标准之比 (新人社规〔2025〕1号 第六条(三); 吉人社发〔2022〕10号 一(二)3)."""
    facts = application.facts
    income = Decimal(str(facts.get("monthly_income") or 0))
    wage = facts.get("minimum_monthly_wage")
    if wage in (None, ""):
        return _("月收入 %(income)s 元（当地月最低工资标准未设定）") % {"income": income}
    wage = Decimal(str(wage))
    compare = _("高于") if income > wage else (_("等于") if income == wage else _("低于"))
    return _("月收入 %(income)s 元，%(compare)s当地月最低工资标准 %(wage)s 元") % {
        "income": income,
        "compare": compare,
        "wage": wage,
    }


def unemployed_months(application: Application, today: date) -> int | None:
    registered = application.facts.get("unemployment_registered_on")
    if not registered:
        return None
    start = date.fromisoformat(registered)
    months = (today.year - start.year) * 12 + today.month - start.month - (today.day < start.day)
    return max(months, 0)


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    return f"{max(1, round(n / 1024))} KB"


def material_rows(application: Application, policy: Policy) -> list[MaterialRow]:
    """Each file by its type in the policy's words (第八条 / 二(一)), not by its file name."""
    items = {m.code: m for m in policy.materials}
    return [
        MaterialRow(
            pk=m.pk,
            kind_label=items[m.kind].label if m.kind in items else m.kind,
            article=items[m.kind].article if m.kind in items else "",
            size=_size(m.size),
            uploaded_at=m.uploaded_at,
            reused=m.reused_from_id is not None,
        )
        for m in application.materials.all()
    ]


def notice_lines(application: Application) -> list:
    """The notices the case was on (publicity.NoticeLine by its reverse name: applications does not
    import publicity), each with its objections and who verified them."""
    lines = application.notice_lines.select_related("notice", "notice__unit")
    return list(lines.prefetch_related("objections__resolved_by").order_by("notice__created_at", "id"))


def timeline(application: Application) -> list[TimelineRow]:
    """Every log entry with who, their role and unit (one query for the units' names)."""
    log = list(application.log.select_related("actor"))
    units = dict(OrgUnit.objects.filter(code__in={e.unit_code for e in log if e.unit_code}).values_list("code", "name"))
    roles = dict(Role.choices)
    return [
        TimelineRow(
            at=e.at,
            who=(e.actor.full_name or e.actor.username) if e.actor else _("系统"),
            role=str(roles.get(e.role, "")) if e.actor else _("自动办理"),
            unit=units.get(e.unit_code, ""),
            what=e.label,
            opinion=e.opinion,
            reason=e.reason,
            transition=e.name,
        )
        for e in log
    ]
