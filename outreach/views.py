"""Pages of the outreach app: pushing a list, the work list 推送名单待核实 (cards, usable from a phone), the
register 一人一册 with its household visits, and the conversion figures. Thin callers of services/selectors."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed

from accounts.idnumber import mask
from accounts.scoping import staff_prefix
from applications import searches
from applications.services import DuplicateApplication
from config.errors import field_errors
from eligibility import policies
from exits.models import Need
from outreach import selectors, services
from outreach.models import ConsentMethod, PushedState, PushListState

PAGE_SIZE = 20


def _staff(request: HttpRequest) -> None:
    if staff_prefix(request.user) is None:
        raise PermissionDenied("仅限经办人员。")


def _pushers(request: HttpRequest) -> None:
    """The lists pushed and their progress: for the units that push them (第十三条); the receiving
    communities and townships work theirs on the work list."""
    if not request.user.is_admin:
        services.check_pusher(request.user)


def _errors(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return [str(m) for msgs in exc.message_dict.values() for m in msgs]
    return [str(m) for m in getattr(exc, "messages", [str(exc)])]


# --- pushing


@login_required
def push_lists(request: HttpRequest) -> HttpResponse:
    """Upload a list (a dry run first, if wished) and see every list pushed in scope with its progress."""
    _pushers(request)
    report = None
    if request.method == "POST":
        services.check_pusher(request.user)
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationError({"file": "请选择要上传的名单文件（.csv 或 .xlsx）。"})
            content = upload.read()
            rows = services.push_list_read(name=upload.name, data=content)
            dry_run = bool(request.POST.get("dry_run"))
            if dry_run and len(rows) <= settings.PUSH_LIST_SYNC_ROWS:
                report = services.push_list_check(actor=request.user, rows=rows)
            else:
                push_list = services.push_list_create(
                    actor=request.user, name=upload.name, data=content, rows=rows, dry_run=dry_run
                )
                if push_list.dry_run:
                    messages.info(request, f"名单共 {push_list.rows} 行，正在后台检查（不推送）。")
                elif push_list.state == PushListState.DONE:
                    messages.success(request, f"已推送 {push_list.pushed} 人。")
                else:
                    messages.info(request, f"名单共 {push_list.rows} 行，正在后台处理。")
                return redirect("outreach:push-list", pk=push_list.pk)
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
    page = Paginator(selectors.push_lists(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/push_lists.html",
        {"page": page, "report": report, "may_push": request.user.role in services.PUSHING_ROLES},
    )


@login_required
def push_list_template(request: HttpRequest) -> HttpResponse:
    """An empty list with the Chinese column names the upload reads (UTF-8 with a BOM, for Excel)."""
    _pushers(request)
    labels = services.column_labels()
    response = HttpResponse(
        "\ufeff" + ",".join(labels[c] for c in services.TEMPLATE_COLUMNS) + "\r\n", "text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E6%8E%A8%E9%80%81%E5%90%8D%E5%8D%95%E6%A8%A1%E6%9D%BF.csv"
    )
    return response


@login_required
def push_list(request: HttpRequest, pk: int) -> HttpResponse:
    _pushers(request)
    item = selectors.push_list_for_user(request.user, pk)
    returned = selectors.returned(user=request.user, push_list=item)
    return render(
        request,
        "outreach/push_list.html",
        {
            "item": item,
            "running": item.state in (PushListState.QUEUED, PushListState.RUNNING),
            "returned": [(p, mask(p.id_number)) for p in returned[:200]],
        },
    )


# --- the work list


@login_required
def work_list(request: HttpRequest) -> HttpResponse:
    """推送名单待核实: one card per person, the pre-evaluation with its articles, the due date, three outcomes."""
    _staff(request)
    state = request.GET.get("state", PushedState.PENDING)
    if state not in PushedState.values:
        state = PushedState.PENDING
    queryset = selectors.work_list(user=request.user, state=state)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "outreach/work_list.html",
        {
            "page": page,
            "cards": [(p, mask(p.id_number), p.due_on < today) for p in page.object_list],
            "state": state,
            "states": PushedState.choices,
            "methods": ConsentMethod.choices,
        },
    )


@login_required
@require_POST
def work_list_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _staff(request)
    pushed = selectors.pushed_for_user(request.user, pk)
    services.check_receiver(request.user, pushed)
    back = reverse("outreach:work-list") + f"#p{pushed.pk}"
    try:
        if action == "consent":
            application = services.pushed_consent(
                actor=request.user,
                pushed_id=pushed.pk,
                method=request.POST.get("method", ""),
                note=request.POST.get("note", ""),
            )
            messages.success(request, f"已记录本人同意，并代为申报（受理编号 {application.reference}）。")
            return redirect("applications:detail", pk=application.pk)
        state = {"decline": PushedState.DECLINED, "unreachable": PushedState.UNREACHABLE}.get(action)
        if state is None:
            raise ValidationError({"action": "未知的操作。"})
        reason = request.POST.get("reason", "")
        services.pushed_close(actor=request.user, pushed_id=pushed.pk, state=state, reason=reason)
        messages.success(request, f"{pushed.name}：已登记。")
    except (ValidationError, TransitionNotAllowed, DuplicateApplication) as exc:
        for message in _errors(exc):
            messages.error(request, f"{pushed.name}：{message}")
    return redirect(back)


# --- 一人一册 and household visits


@login_required
def persons(request: HttpRequest) -> HttpResponse:
    """The register; a name or ID number is searched by POST and kept in the session under a key
    (applications.searches, issue 12 #3), so no URL holds it; an old `?q=` link is answered the same way."""
    _staff(request)
    if request.method == "POST" or request.GET.get("q"):
        data = request.POST if request.method == "POST" else request.GET
        return searches.redirect_searched(request, reverse("outreach:persons"), data.get("q", ""))
    return render(request, "outreach/persons.html", _persons_context(request, request.GET.get("k", "")))


def _persons_context(request: HttpRequest, key: str) -> dict:
    query = (searches.search_query(request, key) or "") if key else ""
    registered = selectors.register(user=request.user, query=query)
    if key and not query:  # another session's key, or an expired one: nothing is shown
        registered = registered.none()
        messages.error(request, searches.EXPIRED)
    page = Paginator(registered, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "page": page,
        "rows": [(p, mask(p.id_number)) for p in page.object_list],
        "q": query,
        "k": key if query else "",
        "needs": Need.choices,
        "may_visit": request.user.role in ("community", "township"),
        "today": timezone.localdate(),
        "jilin": (request.user.unit_id or "").startswith(policies.get("jilin-2022").province),
    }


@login_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    return render(
        request, "outreach/person.html", _person_context(request, selectors.person_for_user(request.user, pk))
    )


def _person_context(request: HttpRequest, record) -> dict:
    return {
        "file": selectors.person_file(person=record, user=request.user),
        "p": record,
        "id_number": mask(record.id_number),
        "needs": Need.choices,
        "need_labels": [Need(n).label for n in record.service_needs if n in Need.values],
        "may_visit": request.user.role in ("community", "township"),
        "today": timezone.localdate(),
    }


@login_required
@require_POST
def visit_new(request: HttpRequest) -> HttpResponse:
    """登记入户调查, from the register (a new or known person) or from a person's page (`person`). A refused
    visit draws the page it came from again (400), with what was typed and each message at its field."""
    _staff(request)
    services.check_surveyor(request.user)
    post = request.POST
    person_pk = post.get("person", "")
    record = selectors.person_for_user(request.user, int(person_pk)) if person_pk.isdigit() else None
    try:
        try:
            visited_on = date.fromisoformat(post.get("visited_on", ""))
        except ValueError:
            raise ValidationError({"visited_on": "调查日期格式应为 YYYY-MM-DD。"}) from None
        visit = services.visit_record(
            actor=request.user,
            id_number=post.get("id_number", ""),
            name=post.get("name", "").strip(),
            unit_code=post.get("unit_code", "") or request.user.unit_id,
            visited_on=visited_on,
            findings=post.get("findings", ""),
            job_wishes=post.get("job_wishes", ""),
            service_needs=post.getlist("service_needs"),
            phone=post.get("phone", "").strip(),
        )
    except ValidationError as exc:
        if record is not None:
            template, context = "outreach/person.html", _person_context(request, record)
        else:
            template, context = "outreach/persons.html", _persons_context(request, post.get("k", ""))
            context["base"] = reverse("outreach:persons")  # the pager's links, drawn under this POST's URL
        context["visit"] = {"data": post, "needs": post.getlist("service_needs"), "errors": field_errors(exc)}
        return render(request, template, context, status=400)
    messages.success(request, "已登记入户调查，一人一册已更新。")
    return redirect("outreach:person", pk=visit.person_id)


@login_required
@require_POST
def visit_to_work_list(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    visit = selectors.visit_for_user(request.user, pk)
    services.check_surveyor(request.user)
    facts = {k: v for k, v in request.POST.items() if k in services.FACT_COLUMNS}
    try:
        pushed = services.visit_to_work_list(actor=request.user, visit_id=visit.pk, facts=facts)
    except (ValidationError, TransitionNotAllowed) as exc:
        for message in _errors(exc):
            messages.error(request, message)
        return redirect(request.POST.get("next") or "outreach:persons")
    messages.success(request, "已列入推送名单待核实，请征得本人同意后代为申报。")
    return redirect(reverse("outreach:work-list") + f"#p{pushed.pk}")


# --- conversion


@login_required
def conversion(request: HttpRequest) -> HttpResponse:
    _staff(request)
    return render(request, "outreach/conversion.html", {"figures": selectors.conversion(user=request.user)})
