from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import idnumber
from accounts.selectors import unit_settings
from config.throttling import SelfCheckThrottle, throttled_message, wait_seconds
from eligibility import policies
from eligibility.dates import age_on
from eligibility.engine import Decision, FactError, evaluate
from eligibility.facts import Facts
from eligibility.forms import PrecheckForm
from eligibility.self_check import SelfCheckForm, WhereForm, place_for


@login_required
def precheck(request: HttpRequest) -> HttpResponse:
    """资格预审: a community worker explains a decision across the desk. The page re-evaluates
    as the worker types (a fetch of this same view that answers with the decision fragment)."""
    user = request.user
    if not (user.is_staff_officer or user.is_admin):
        raise PermissionDenied
    initial = {"as_of": timezone.localdate(), "policy": "xinjiang-2025", "able_to_work": True, "willing_to_work": True}
    if user.unit_id:
        unit = unit_settings(user.unit_id)
        initial |= {
            "policy": unit.policy_code or initial["policy"],
            "urban": unit.is_urban,
            "minimum_monthly_wage": unit.minimum_monthly_wage,
            "south_xinjiang_relaxed_months": unit.relaxed_unemployment_months if unit.south_xinjiang else None,
            "local_resident": True,
            "local_hukou": True,
        }
    form = PrecheckForm(request.POST or None, initial=initial)
    decision = None
    if request.method == "POST" and form.is_valid():
        try:
            decision = evaluate(form.cleaned_data["policy"], Facts(**form.facts()), form.cleaned_data["as_of"])
        except FactError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    fragment = request.headers.get("X-Requested-With") == "fetch"
    template = "eligibility/_decision.html" if fragment else "eligibility/precheck.html"
    return render(request, template, {"form": form, "decision": decision, "card": card_of(form)})


def card_of(form: PrecheckForm) -> dict | None:
    """What the ID number alone tells (birth date, sex, age), shown while other facts are still
    missing, e.g. a woman's original retirement age."""
    cleaned = getattr(form, "cleaned_data", {})
    number, as_of = cleaned.get("id_number"), cleaned.get("as_of")
    if not number or not as_of:
        return None
    card = idnumber.parse(number)
    if as_of < card.birth_date:
        return None
    return {"birth_date": card.birth_date, "sex": card.sex, "age": age_on(card.birth_date, as_of)}


@require_http_methods(["GET", "POST"])
def self_check(request: HttpRequest) -> HttpResponse:
    """自助预审 for anyone, no login: the person picks where they live; the policy, the minimum wage
    and the south-Xinjiang months are that place's. Nothing is stored. Rate-limited per client
    (config.throttling: X-Forwarded-For is not trusted)."""
    fragment = request.headers.get("X-Requested-With") == "fetch"
    if (wait := wait_seconds(request, SelfCheckThrottle)) is not None:
        message = throttled_message(wait)
        if fragment:
            response = render(request, "eligibility/self_check_throttled.html", {"message": message}, status=429)
        else:
            response = render(request, "eligibility/self_check.html", {"throttled": message}, status=429)
        response["Retry-After"] = str(wait)
        return response
    where = WhereForm(request.GET or None)
    unit, today = where.chosen_unit(), timezone.localdate()
    context: dict = {"where": where, "form": None, "decision": None, "card": None, "place": None, "message": ""}
    if unit is not None:
        try:
            place = place_for(unit, today)
        except policies.UnknownPolicy:
            context["message"] = _("您所在的地区目前没有有效的就业困难人员认定政策，暂不能预审。")
        else:
            form = SelfCheckForm(request.POST if request.method == "POST" else None, place=place, today=today)
            context |= {"form": form, "place": place}
            if form.is_bound and form.is_valid():
                context["decision"] = _self_check_decision(form, today)
            context["card"] = card_of(form) if form.is_bound else None
    template = "eligibility/self_check_decision.html" if fragment and context["form"] else "eligibility/self_check.html"
    return render(request, template, context)


def _self_check_decision(form: SelfCheckForm, today) -> Decision | None:
    try:
        return evaluate(form.place.policy.code, form.facts(), today)
    except FactError as exc:
        if exc.field == "minimum_monthly_wage":  # the place sets it; the person cannot fix it
            form.add_error(None, _("您所在地区尚未设定月最低工资标准，有收入时无法判断，请向社区（村）咨询。"))
        else:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None
