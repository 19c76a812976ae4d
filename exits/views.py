"""Pages (DESIGN.md §7): the register of recognised persons, the person's page (一人一册) and the county's
exit queue. Thin callers of exits.selectors and exits.services, like the API."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed
from rest_framework.exceptions import ValidationError as ApiValidationError

from accounts.idnumber import mask
from accounts.models import Role
from accounts.scoping import staff_prefix
from config.errors import field_errors
from eligibility import policies
from exits import selectors, services
from exits.access import access_for, exit_for_user, recognition_for_user, recognition_to_assist
from exits.letters import exit_letter_response
from exits.models import ExitState, Need, Outcome, ServiceKind, SubsidyKind

PAGE_SIZE = 20


def _staff(request: HttpRequest) -> None:
    if staff_prefix(request.user) is None:
        raise PermissionDenied("仅限经办人员。")


def _date(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError({field: "日期格式应为 YYYY-MM-DD。"}) from None


def _errors(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return "；".join(f"{m}" for msgs in exc.message_dict.values() for m in msgs)
    return "；".join(getattr(exc, "messages", [str(exc)]))


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """The register of recognised persons per unit: category, assistance status, follow-ups due,
    proposed exits; paginated, a fixed number of queries whatever the page size."""
    _staff(request)
    params = request.GET
    try:
        queryset = selectors.recognition_register(
            user=request.user,
            active=params.get("active", "true"),
            category=params.get("category", ""),
            assistance=params.get("assistance", ""),
            due=params.get("due") == "1",
            proposed=params.get("proposed") == "1",
            unit_code=params.get("unit_code", ""),
            end_reason=params.get("reason", ""),
            ended_from=_date(params.get("ended_from"), "ended_from"),
            ended_to=_date(params.get("ended_to"), "ended_to"),
        )
    except (ApiValidationError, ValidationError):
        queryset = selectors.recognition_register(user=request.user, active=True)
    page = Paginator(queryset.order_by("unit_id", "-recognized_on", "-id"), PAGE_SIZE).get_page(params.get("page"))
    categories = policies.categories_for_province((request.user.unit_id or "")[:2])  # as the queue's filter
    rows = [(r, mask(r.applicant.id_number)) for r in page.object_list]
    query = params.copy()
    query.pop("page", None)
    return render(
        request,
        "exits/register.html",
        {
            "page": page,
            "rows": rows,
            "categories": categories,
            "assistance": selectors.ASSISTANCE,
            "params": query.urlencode(),
            "current": params,
        },
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """一人一册: the person's recognition, plan, services, subsidies and exits on one page."""
    _staff(request)
    return _detail(request, recognition_for_user(request.user, pk))


def _detail(request: HttpRequest, recognition, *, posted: str = "", errors: dict | None = None) -> HttpResponse:
    """The page; after a refused form (`posted`: plan, service, subsidy, employment, exit), that form again
    with what was typed and the errors at its fields (status 400), the plan's and the exit's sections open."""
    access = access_for(request.user, recognition)
    plan = getattr(recognition, "plan", None)
    today = timezone.localdate()
    plan_form = {
        "needs": plan.needs if plan else [],
        "steps": plan.steps if plan else "",
        "officer": plan.officer if plan else str(request.user),
        "review_on": _iso(plan.review_on if plan else None),
        "market_capable": plan.market_capable if plan else True,
        "assistance_ends_on": _iso(recognition.assistance_ends_on),
        "zero_employment_household": recognition.zero_employment_household,
        "household_employed_on": _iso(recognition.household_employed_on),
    }
    service_form = {"kind": "", "date": today.isoformat(), "outcome": "", "note": ""}
    subsidy_form = {"kind": "", "start": "", "end": ""}
    employment_form = {"employed_on": ""}
    exit_form = {"reason": "", "effective_on": today.isoformat(), "note": ""}
    post = request.POST
    if posted == "plan":
        plan_form = {
            "needs": post.getlist("needs"),
            **{f: post.get(f, "") for f in ("steps", "officer", "review_on", "assistance_ends_on")},
            "household_employed_on": post.get("household_employed_on", ""),
            "market_capable": post.get("market_capable") == "on",
            "zero_employment_household": post.get("zero_employment_household") == "on",
            "errors": errors,
            "open": True,
        }
    elif posted == "service":
        service_form = {f: post.get(f, "") for f in service_form} | {"errors": errors}
    elif posted == "subsidy":
        subsidy_form = {f: post.get(f, "") for f in subsidy_form} | {"errors": errors}
    elif posted == "employment":
        employment_form = {f: post.get(f, "") for f in employment_form} | {"errors": errors}
    elif posted == "exit":
        exit_form = {f: post.get(f, "") for f in exit_form} | {"errors": errors, "open": True}
    return render(
        request,
        "exits/detail.html",
        {
            "r": recognition,
            "id_number": mask(recognition.applicant.id_number),
            "access": access,
            "plan": plan,
            "plan_form": plan_form,
            "service_form": service_form,
            "subsidy_form": subsidy_form,
            "employment_form": employment_form,
            "exit_form": exit_form,
            "services": recognition.services.select_related("recorded_by"),
            "subsidies": recognition.subsidies.all(),
            "exits": recognition.exits.prefetch_related("log__actor"),
            "warnings": services.assistance_warnings(recognition),
            "needs": Need.choices,
            "service_kinds": ServiceKind.choices,
            "outcomes": Outcome.choices,
            "subsidy_kinds": SubsidyKind.choices,
            "exit_reasons": recognition.policy.exit_reasons,
            "today": today,
        },
        status=400 if posted else 200,
    )


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The forms of the person's page: plan, service, subsidy, employment, exit proposal."""
    _staff(request)
    recognition = recognition_to_assist(request.user, pk)
    post = request.POST
    try:
        if action == "plan":
            services.plan_put(
                actor=request.user,
                recognition_id=recognition.pk,
                needs=post.getlist("needs"),
                steps=post.get("steps", ""),
                officer=post.get("officer", ""),
                review_on=_date(post.get("review_on"), "review_on"),
                market_capable=post.get("market_capable") == "on",
                assistance_ends_on=_date(post.get("assistance_ends_on"), "assistance_ends_on"),
                zero_employment_household=post.get("zero_employment_household") == "on",
                household_employed_on=_date(post.get("household_employed_on"), "household_employed_on"),
            )
            messages.success(request, "援助方案已保存。")
        elif action == "service":
            _, warnings = services.service_record(
                actor=request.user,
                recognition_id=recognition.pk,
                kind=post.get("kind", ""),
                day=_date(post.get("date"), "date") or timezone.localdate(),
                outcome=post.get("outcome", ""),
                note=post.get("note", ""),
            )
            messages.success(request, "服务记录已保存。")
            for warning in warnings:
                messages.warning(request, warning)
        elif action == "subsidy":
            start = _date(post.get("start"), "start")
            if start is None:
                raise ValidationError({"start": "请填写开始日期。"})
            services.subsidy_record(
                actor=request.user,
                recognition_id=recognition.pk,
                kind=post.get("kind", ""),
                start=start,
                end=_date(post.get("end"), "end"),
                note=post.get("note", ""),
            )
            messages.success(request, "享受政策已登记。")
        elif action == "employment":
            employed_on = _date(post.get("employed_on"), "employed_on")
            if employed_on is None:
                raise ValidationError({"employed_on": "请填写就业日期。"})
            services.employment_record(actor=request.user, recognition_id=recognition.pk, employed_on=employed_on)
            messages.success(request, "就业情况已登记。")
        elif action == "exit":
            services.exit_propose(
                actor=request.user,
                recognition_id=recognition.pk,
                reason=post.get("reason", ""),
                effective_on=_date(post.get("effective_on"), "effective_on") or timezone.localdate(),
                note=post.get("note", ""),
            )
            messages.success(request, "已提出退出，待县级人社部门确认。")
        else:
            raise PermissionDenied("没有这个操作。")
    except ValidationError as exc:
        return _detail(request, recognition, posted=action, errors=field_errors(exc))  # as typed, with its errors
    except TransitionNotAllowed as exc:
        messages.error(request, _errors(exc))
    return redirect("exits:detail", pk=recognition.pk)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The exit queue for county officers (others in scope see it read-only)."""
    _staff(request)
    state = request.GET.get("state", ExitState.PROPOSED)
    if state not in ExitState.values:
        state = ExitState.PROPOSED
    page = Paginator(selectors.exit_queue(user=request.user, state=state).order_by("proposed_on", "id"), PAGE_SIZE)
    page = page.get_page(request.GET.get("page"))
    return render(
        request,
        "exits/queue.html",
        {
            "page": page,
            "states": ExitState.choices,
            "state": state,
            "is_county": request.user.role == Role.COUNTY,
            "today": timezone.localdate(),
        },
    )


DECISIONS = {"confirm", "dismiss", "objection", "restore", "uphold"}
# The county's decisions close a case for good and the person is told (第十六条, 第十九条): each is
# confirmed on a page of its own that shows who and why, like the application's irreversible decisions.
CONFIRM = {"confirm", "dismiss", "restore", "uphold"}


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _staff(request)
    case = exit_for_user(request.user, pk)
    if action not in DECISIONS:
        raise PermissionDenied("没有这个操作。")
    text = request.POST.get("note", "").strip()[:2000]
    if action in CONFIRM and request.POST.get("confirmed") != "1":
        try:  # PermissionDenied → 403, as the decision itself would answer
            services.exit_check(case=case, name=action, actor=request.user)
        except TransitionNotAllowed as exc:
            messages.error(request, _errors(exc))
            return redirect("exits:queue")
        return _confirm(request, case, action, text, "")
    try:
        services.exit_transition(
            case_id=case.pk, name=action, actor=request.user, note=text, content=text, finding=text
        )
        messages.success(request, f"已办理：{services.SPECS[action].label}。")
    except ValidationError as exc:
        if action in CONFIRM:  # asked again, with what was typed and what is missing
            return _confirm(request, case, action, text, _errors(exc), status=400)
        messages.error(request, _errors(exc))
    except TransitionNotAllowed as exc:
        messages.error(request, _errors(exc))
    if request.POST.get("next") == "detail":
        return redirect("exits:detail", pk=case.recognition_id)
    return redirect("exits:queue")


def _confirm(request: HttpRequest, case, action: str, text: str, error: str, status: int = 200) -> HttpResponse:
    return render(
        request,
        "exits/confirm.html",
        {
            "case": case,
            "action": action,
            "label": services.SPECS[action].label,
            "id_number": mask(case.recognition.applicant.id_number),
            "text": text,
            "error": error,
            "needs_note": action != "confirm",
            "consequence": CONSEQUENCES[action],
        },
        status=status,
    )


CONSEQUENCES = {
    "confirm": gettext_lazy(
        "确认后即取消其就业困难人员认定，并告知本人；本人可在收到告知后30日内申请重核（第十九条）。"
    ),
    "dismiss": gettext_lazy("不予退出后，本次退出办结，认定继续有效。"),
    "restore": gettext_lazy("恢复认定后，本人的就业困难人员认定重新有效，并告知本人重核结论。"),
    "uphold": gettext_lazy("维持取消后，重核办结，并告知本人重核结论。"),
}


@login_required
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    case = exit_for_user(request.user, pk)
    try:
        return exit_letter_response(request, case)
    except TransitionNotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("exits:detail", pk=case.recognition_id)
