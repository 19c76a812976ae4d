"""The guided online application (新人社规〔2025〕1号 第八条(二)、第十一条; 吉人社发〔2022〕10号 二(一);
DESIGN.md §10): identity and residence → situation → categories → exclusions → commitments, a draft
saved on the server at every step, the live pre-check, then the application through the same intake
service as the window, and its materials on the person's own application page."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import TransitionNotAllowed

from accounts import idnumber
from accounts.models import Level, OrgUnit, Role, User
from accounts.selectors import unit_settings
from applications import services
from applications.models import ApplicationDraft, Channel
from eligibility import policies
from eligibility.engine import Decision, FactError, evaluate
from eligibility.facts import STAFF_ONLY_FACTS, UNIT_PARAMETERS, Facts, facts_from_json, with_unit_parameters
from eligibility.forms import SECTIONS, PrecheckForm
from eligibility.policies.base import Policy

BASIC = ("local_resident", "local_hukou", "urban", "able_to_work", "willing_to_work", "unemployment_registered_on")


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    hint: str


STEPS = (
    Step("residence", gettext_lazy("身份与居住地"), gettext_lazy("核对本人信息，选择常住地所在的社区（村）。")),
    Step("situation", gettext_lazy("就业与失业登记"), gettext_lazy("劳动能力、就业意愿和失业登记情况。")),
    Step("categories", gettext_lazy("就业困难类型"), gettext_lazy("勾选符合您情况的各项，可多选。")),
    Step("exclusions", gettext_lazy("不予认定的情形"), gettext_lazy("如实勾选；如有收入请填写月收入。")),
    Step("commitments", gettext_lazy("承诺与提交"), gettext_lazy("确认承诺事项后提交，之后上传材料。")),
)
KEYS = [s.key for s in STEPS]


def step_facts(key: str, policy: Policy | None) -> list[str]:
    """The facts a step asks, as the policy reads them; never staff findings or unit parameters."""
    by_step = {"situation": list(BASIC), "categories": SECTIONS[1][1], "exclusions": SECTIONS[2][1]}
    names = by_step.get(key, [])
    read = set(policy.facts) if policy else set()
    return [n for n in names if n in read and n not in STAFF_ONLY_FACTS and n not in UNIT_PARAMETERS]


class ResidenceForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)
    phone = forms.RegexField(
        label=gettext_lazy("手机号码"),
        regex=r"^1\d{10}$",
        error_messages={"invalid": gettext_lazy("请输入11位手机号码。")},
    )
    address = forms.CharField(label=gettext_lazy("常住地址"), max_length=200)
    county = forms.ChoiceField(label=gettext_lazy("常住地所在县（市、区）"))
    unit_code = forms.ChoiceField(label=gettext_lazy("常住地所在社区（村）"), required=False)

    def __init__(self, *args, county: str, **kwargs):
        super().__init__(*args, **kwargs)
        counties = OrgUnit.objects.filter(level=Level.COUNTY).order_by("code").values_list("code", "name")
        self.fields["county"].choices = [("", _("请选择")), *counties]
        communities = (
            OrgUnit.objects.filter(level=Level.COMMUNITY, code__startswith=county[:6])
            .select_related("parent")
            .order_by("code")
            if county
            else []
        )
        self.fields["unit_code"].choices = [("", _("请选择"))] + [(u.code, _community_label(u)) for u in communities]

    def clean(self):
        data = super().clean()
        if data.get("county") and not data.get("unit_code"):
            self.add_error("unit_code", _("请选择常住地所在的社区（村）。"))
        return data


def _community_label(unit: OrgUnit) -> str:
    township = unit.parent.name if unit.parent_id else ""
    # 第七条: where a village cannot accept, its township receives and reviews
    note = "" if unit.accepts_applications else _("（由%(t)s受理）") % {"t": township}
    return f"{township} {unit.name}{note}"


class FactsStepForm(PrecheckForm):
    """One step's facts: the 资格预审 fields the step asks, nothing else."""

    def __init__(self, *args, names: list[str], woman: bool, **kwargs):
        super().__init__(*args, **kwargs)
        keep = set(names) | ({"female_original_retirement_age"} if woman else set())
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.woman = woman

    def clean(self):
        data = forms.Form.clean(self)
        if (
            self.woman
            and "female_original_retirement_age" in self.fields
            and data.get("female_original_retirement_age") in (None, "")
        ):
            self.add_error("female_original_retirement_age", _("请选择您的原法定退休年龄（50岁或55岁）。"))
        return data


class CommitmentsForm(forms.Form):
    commitments = forms.MultipleChoiceField(label=gettext_lazy("承诺事项"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, policy: Policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy = policy
        self.fields["commitments"].choices = [(c.code, f"{c.text}（{c.article}）") for c in policy.commitments]

    def clean_commitments(self):
        chosen = self.cleaned_data["commitments"]
        if missing := [c.text for c in self.policy.commitments if c.required and c.code not in chosen]:
            raise forms.ValidationError(_("须承诺：%s") % "；".join(missing))
        return chosen


def _jsonable(values: dict) -> dict:
    return {
        k: v.isoformat() if isinstance(v, date) else str(v) if isinstance(v, Decimal) else v for k, v in values.items()
    }


def _applicant(request: HttpRequest) -> User:
    user = request.user
    if user.role != Role.APPLICANT or not user.id_number:
        raise PermissionDenied
    return user


def user_sex(user: User) -> str | None:
    try:
        return idnumber.parse(user.id_number).sex
    except idnumber.InvalidIdNumber:  # an account from before ID checks: asked, never guessed
        return None


def _draft(user: User) -> ApplicationDraft:
    draft, _ = ApplicationDraft.objects.select_related("unit").get_or_create(user=user)
    return draft


def _policy(draft: ApplicationDraft) -> Policy | None:
    if draft.unit_id is None:
        return None
    try:
        return policies.for_province(draft.unit_id, timezone.localdate())
    except policies.UnknownPolicy:
        return None


def draft_facts(draft: ApplicationDraft, user: User) -> Facts:
    """Everything the steps saved, as the rules read it; unit parameters from the unit (DESIGN.md §3)."""
    values: dict = {"id_number": user.id_number}
    for key in KEYS[1:4]:
        values.update(draft.data.get(key, {}))
    facts = facts_from_json({k: v for k, v in values.items() if v not in (None, "")})  # unanswered: the default
    return with_unit_parameters(facts, unit_settings(draft.unit_id)) if draft.unit_id else facts


def _decision(draft: ApplicationDraft, user: User, policy: Policy | None) -> Decision | None:
    if policy is None:
        return None
    try:
        return evaluate(policy.code, draft_facts(draft, user), timezone.localdate())
    except FactError:
        return None


@login_required
def apply(request: HttpRequest, step: str = "residence") -> HttpResponse:
    """One step of the guided application; every valid answer is saved before moving on."""
    user = _applicant(request)
    if step not in KEYS:
        raise Http404
    draft = _draft(user)
    index = KEYS.index(step)
    if index > draft.step:  # steps are taken in order; a later one opens once the earlier is saved
        return redirect("applications:apply-step", step=KEYS[draft.step])
    policy = _policy(draft)
    if index > 0 and policy is None:
        messages.error(request, _("请先选择常住地；该地区目前没有有效的就业困难人员认定政策时不能网上申请。"))
        return redirect("applications:apply-step", step="residence")
    woman = user_sex(user) == "F"
    saved = draft.data.get(step, {})
    form = _form(step, request, saved, user, draft, policy, woman)
    if request.method == "POST" and request.POST.get("action") != "county" and form.is_valid():
        refusal = services.online_refusal(user=user, unit_code=form.cleaned_data["unit_code"]) if index == 0 else ""
        if not refusal:
            return _save(request, draft, step, index, form, user)
        form.add_error(None, refusal)  # at the first step, not after five
    decision = _decision(draft, user, policy)
    found = {c.code for c in decision.categories} if decision else set()
    return render(
        request,
        "applications/apply.html",
        {
            # 第八条 / 二(一): what will be asked, for the categories found so far
            "checklist": [m for m in policy.materials if m.applies_to(found)] if policy else [],
            "steps": STEPS,
            "step": STEPS[index],
            "index": index,
            "form": form,
            "policy": policy,
            "decision": decision,
            "previous": KEYS[index - 1] if index else None,
            "saved_at": draft.updated_at if draft.data else None,
        },
    )


def _form(step, request, saved, user, draft, policy, woman):
    data = request.POST if request.method == "POST" else None
    if step == "residence":
        initial = {
            "name": user.full_name,
            "phone": user.phone,
            "county": draft.unit_id[:6].ljust(12, "0") if draft.unit_id else "",
            **saved,
        }
        county = (data or {}).get("county") or initial["county"]
        return ResidenceForm(data, initial=initial, county=county)
    if step == "commitments":
        return CommitmentsForm(data, initial=saved, policy=policy)
    return FactsStepForm(data, initial=saved, names=step_facts(step, policy), woman=woman and step == "situation")


def _save(request, draft, step, index, form, user) -> HttpResponse:
    data = dict(form.cleaned_data)
    if step == "residence":
        unit = OrgUnit.objects.get(code=data["unit_code"])
        if draft.unit_id and draft.unit_id[:2] != unit.code[:2]:
            draft.data = {}  # another province: another policy, other questions
        draft.unit = unit
        data.pop("county")
    draft.data = {**draft.data, step: _jsonable(data)}
    draft.step = max(draft.step, min(index + 1, len(KEYS) - 1))
    if step != "commitments":
        draft.save()
        return redirect("applications:apply-step", step=KEYS[index + 1])
    draft.save()
    return _submit(request, draft, user)


def _submit(request: HttpRequest, draft: ApplicationDraft, user: User) -> HttpResponse:
    residence = draft.data.get("residence", {})
    try:
        application = services.application_create(
            actor=user,
            unit_code=draft.unit_id,
            channel=Channel.ONLINE,
            applicant={k: residence.get(k, "") for k in ("name", "phone", "address")},
            facts=draft_facts(draft, user),
            commitments=draft.data["commitments"]["commitments"],
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("applications:apply-step", step="commitments")
    except (PermissionDenied, TransitionNotAllowed) as exc:
        messages.error(request, str(exc))
        return redirect("applications:apply-step", step="commitments")
    draft.delete()
    if application.applicant.user_id != user.pk:  # DESIGN.md §10: the case is theirs once identity is verified
        messages.success(
            request,
            _("申请已提交，受理编号 %(ref)s。请验证身份：验证码将发送到您申请时填写的手机号码，")
            % {"ref": application.reference}
            + _("验证后即可上传材料、查看进度。"),
        )
        return redirect("verify-identity")
    messages.success(
        request,
        _("申请已提交，受理编号 %(ref)s。请按下方清单上传材料。") % {"ref": application.reference},
    )
    return redirect("applications:detail", pk=application.pk)
