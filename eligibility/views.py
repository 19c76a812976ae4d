from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts import idnumber
from accounts.selectors import unit_settings
from eligibility.dates import age_on
from eligibility.engine import FactError, evaluate
from eligibility.facts import Facts
from eligibility.forms import PrecheckForm


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
