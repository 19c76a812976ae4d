import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed

from accounts import audit, idnumber
from accounts.idnumber import mask
from accounts.models import Level, OrgUnit, Role
from accounts.selectors import unit_settings
from accounts.services import mask_phone
from applications import review, searches, services, workflow
from applications.access import access_for, application_for_user, applications_for_user
from applications.forms import (
    BulkForm,
    DecisionForm,
    FactsEditForm,
    IntakeForm,
    MaterialForm,
    QueueFilter,
)
from applications.models import Applicant, Application, ApplicationDraft, Decision, State
from applications.pdf import approval_form_response
from applications.progress import progress_for
from applications.selectors import application_queue, known_count, queue_page
from config import pagination
from config.converters import parse_id, parse_ids
from config.pagination import CappedPaginator, Cursor
from eligibility import policies, workdays
from eligibility.engine import FactError, evaluate
from eligibility.facts import FACT_NAMES, UNIT_PARAMETERS, Facts
from eligibility.forms import PrecheckForm

# What each staff role works on (DESIGN.md §5): the title and the sentence under it.
QUEUES = {
    Role.COMMUNITY: (gettext_lazy("受理与初审"), gettext_lazy("本社区（村）收到的申请：补正材料、受理、初审和公示。")),
    Role.TOWNSHIP: (
        gettext_lazy("复核队列"),
        gettext_lazy("辖区社区（村）初审后报来的申请，以及本街道（乡镇）直接受理的申请。"),
    ),
    Role.COUNTY: (gettext_lazy("审批队列"), gettext_lazy("待县（市、区）人社部门审批认定的申请。")),
    Role.PREFECTURE: (gettext_lazy("辖区概览"), gettext_lazy("本市（地、州）辖区内申请的办理情况（只读）。")),
    Role.PROVINCE: (gettext_lazy("全区概览"), gettext_lazy("全省（自治区）申请的办理情况（只读）。")),
}
# The decisions a role may take on many applications at once, and what each does to every one of them.
BULK = {
    Role.TOWNSHIP: {
        "township_approve": gettext_lazy("报县（市、区）人社部门审批"),
        "township_reject": gettext_lazy("连同不通过的原因报县（市、区）人社部门核定"),  # 第十条
    },
    Role.COUNTY: {
        "county_approve": gettext_lazy("认定为就业困难人员，通知申请人认定结果"),
        "county_reject": gettext_lazy("不予认定，通知申请人不予认定的原因"),
    },
}
# Sortable columns: the orders a click on the heading goes through, the first one first.
SORT_COLUMNS = {"received": ("-received", "received"), "due": ("due", "-due"), "state": ("state",)}
PAGE_SIZE = 20

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    date: date
    provisional: bool
    working_days_left: int  # negative: working days overdue

    @property
    def overdue(self) -> bool:
        return self.working_days_left < 0


def due_for(application: Application, calendar: workdays.WorkingCalendar, today: date) -> Due | None:
    if application.stage_due_on is None:
        return None
    due = application.stage_due_on
    if due >= today:
        left = sum(1 for d in _days(today, due) if calendar.is_working_day(d))
    else:
        left = -max(1, sum(1 for d in _days(due, today) if calendar.is_working_day(d)))
    return Due(due, application.stage_due_provisional, left)


def _days(start: date, end: date):
    """The days after `start` up to and including `end`."""
    return (start + timedelta(days=i) for i in range(1, (end - start).days + 1))


def _staff(request: HttpRequest):
    if not request.user.is_staff_officer:
        raise PermissionDenied
    return request.user


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    if request.method == "POST" or request.GET.get("q"):
        return _search(request, request.POST if request.method == "POST" else request.GET)
    return _queue(request, user)


def _queue(request: HttpRequest, user, bulk: dict | None = None) -> HttpResponse:
    """The queue as its GET parameters say. `bulk`, after a refused bulk action: the ticked ids, the
    chosen action, the opinion and the error, drawn again under /queue/bulk/ (status 400), so the
    page's own links name the queue's path."""
    title, description = QUEUES[Role(user.role)]
    data, key = request.GET.copy(), request.GET.get("k")
    query = searches.search_query(request, key) if key else None
    if query is not None:
        data["q"] = query
    filters = QueueFilter(data or None, province_code=user.unit_id[:2])
    filters.is_valid()
    if key and query is None:  # another session's key, or an expired one: search again (nothing is shown)
        filters.add_error("q", searches.EXPIRED)
    wanted = filters.to_filters()
    queryset = application_queue(user=user, filters=wanted)
    if key and query is None:
        queryset = queryset.none()
    try:
        cursor = Cursor.decode(request.GET.get("cursor"))
        page = queue_page(queryset, sort=wanted.sort, cursor=cursor, size=PAGE_SIZE, name=wanted.name)
    except ValueError:  # a cursor not made here: the first page
        page = queue_page(queryset, sort=wanted.sort, cursor=None, size=PAGE_SIZE, name=wanted.name)
    searched = bool(wanted.q.strip())  # a search counts to a small cap (issue 13), said so on the page
    known = None if key and query is None else known_count(user=user, filters=wanted)
    paginator = CappedPaginator(queryset, PAGE_SIZE, cap=pagination.SEARCH_COUNT_CAP if searched else None, known=known)
    calendar, today = workdays.load(user.unit_id), timezone.localdate()  # a queue lies in one province
    # rows in deadline order share their dates: each counted and its cell rendered once per page
    dues: dict = {}
    due_cell = get_template("applications/_due.html")
    picks = set((bulk or {}).get("ids", ())) if BULK.get(Role(user.role)) else None
    labels = {key: _(label) for key, label in ROW_LABELS.items()}  # the cells' data-label, for phones
    rows = []
    for application in page:
        key = (application.stage_due_on, application.stage_due_provisional)
        if key not in dues:
            dues[key] = due_cell.render({"due": due_for(application, calendar, today)})
        rows.append(_row(application, dues[key], labels, picks))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("cursor", None)
    query_string = params.urlencode()
    base = reverse("applications:queue") if bulk else ""

    def at(cursor: Cursor | None) -> str | None:
        return f"{base}?{query_string}&cursor={cursor.encode()}" if cursor else None

    return render(
        request,
        "applications/queue.html",
        {
            "title": title,
            "description": description,
            "filters": filters,
            "rows": rows,
            "pages": {
                "count": paginator.count,
                "capped": paginator.capped,
                "search_cap": paginator.cap if searched else None,
                "first": f"{base}?{query_string}" if page.previous else None,
                "previous": at(page.previous),
                "next": at(page.next),
            },
            "params": query_string,
            "sorting": _sort_links(params, wanted.sort),
            "bulk": [(name, workflow.SPECS[name].label, what) for name, what in BULK.get(Role(user.role), {}).items()],
            "can_enter": user.role in (Role.COMMUNITY, Role.TOWNSHIP),
            "base": base,
            "here": request.GET.urlencode(),
            "picked": bulk or {"ids": set(), "name": "", "opinion": "", "error": ""},
        },
        status=400 if bulk else 200,
    )


ROW_LABELS = {
    "id_label": gettext_lazy("身份证号"),
    "unit_label": gettext_lazy("社区（村）"),
    "kind_label": gettext_lazy("类型"),
    "received_label": gettext_lazy("收到日期"),
    "state_label": gettext_lazy("状态"),
    "due_label": gettext_lazy("办理期限"),
}
PICK_LABEL = gettext_lazy("选择")
ROW = (
    '<td class="ref"><a href="{url}">{reference}</a></td><td class="name">{name}</td>'
    '<td class="mono" data-label="{id_label}">{id_number}</td><td class="wrap" data-label="{unit_label}">{unit}</td>'
    '<td class="wrap" data-label="{kind_label}">{categories}</td>'
    '<td data-label="{received_label}">{received_on}</td>'
    '<td class="status" data-label="{state_label}"><span class="state state-{state}">{state_name}</span></td>'
    '<td class="deadline" data-label="{due_label}">{due}</td>'
)
PICK = (
    '<td class="pick"><label><input type="checkbox" name="ids" value="{pk}"{checked} aria-label="{pick} {reference}">'
    '<span class="phone-only">{pick}</span></label></td>'
)


def _row(application: Application, due: str, labels: dict[str, str], picks: set | None) -> dict:
    """A queue row's cells, escaped by format_html as the admin's change list draws its rows: the
    template engine resolving a dozen variables in each of fifty rows was a third of the page (issue
    13). `due`: the deadline cell as rendered by _due.html, once per page for rows that share a
    deadline; `picks`: the ticked ids when the user has bulk actions (None without). The case's id and
    reference beside its `html`, for whoever reads the rows (the dashboard's links are tested by them)."""
    cells = format_html(
        ROW,
        url=reverse("applications:detail", args=[application.pk]),
        reference=application.reference,
        name=application.applicant_name,
        id_number=mask(application.applicant_id_number),
        unit=application.unit.name,
        categories="、".join(application.category_labels) or "—",
        received_on=application.received_on.isoformat(),
        state=application.state,
        state_name=application.state_label,
        due=due,
        **labels,
    )
    if picks is not None:
        pick = format_html(
            PICK,
            pk=application.pk,
            checked=mark_safe(" checked") if application.pk in picks else "",
            pick=PICK_LABEL,
            reference=application.reference,
        )
        cells = pick + cells
    return {"pk": application.pk, "reference": application.reference, "html": cells}


def _search(request: HttpRequest, data) -> HttpResponse:
    """The filter form posts (a name or an ID number never goes into a URL): the queue again, its
    filters in the query string and the search under a key in the session (applications.searches).
    A link that still carries `?q=` is answered the same way, so the page itself never shows it."""
    params = QueryDict(mutable=True)
    for name in QueueFilter.base_fields:
        if name != "q" and (values := [v for v in data.getlist(name) if v]):
            params.setlist(name, values)
    return searches.redirect_searched(request, reverse("applications:queue"), data.get("q", ""), params)


def _sort_links(params, sort: str) -> dict[str, tuple[str, str]]:
    """Per sortable column: the query its heading links to (the next order in its cycle, other filters
    kept, back to page 1) and its aria-sort ("ascending", "descending", or "none")."""
    links = {}
    for column, cycle in SORT_COLUMNS.items():
        query = params.copy()
        query["sort"] = cycle[(cycle.index(sort) + 1) % len(cycle)] if sort in cycle else cycle[0]
        current = "none" if sort not in cycle else "descending" if sort.startswith("-") else "ascending"
        links[column] = (query.urlencode(), current)
    return links


@login_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Many applications, one opinion: first the officer checks what will happen to which cases and
    confirms (`confirmed=1`); then each is its own transition, and every outcome is reported."""
    user = _staff(request)
    names = BULK.get(Role(user.role), {})
    ids = parse_ids(request.POST.getlist("ids"))
    form = BulkForm(request.POST, names=names, ids=ids)
    if not names:
        messages.error(request, _("请先勾选申请，再选择操作。"))
        return redirect("applications:queue")
    if not form.is_valid():
        return _bulk_refused(request, user, ids, _("请先勾选申请，再选择操作。"))
    name, opinion = form.cleaned_data["name"], form.cleaned_data["opinion"]
    spec = workflow.SPECS[name]
    visible = {a.pk: a for a in applications_for_user(user).filter(pk__in=form.cleaned_data["ids"])}
    if request.POST.get("confirmed") != "1":
        if spec.needs_reason and not opinion.strip():
            return _bulk_refused(request, user, ids, _("“%(label)s”须填写原因。") % {"label": spec.label})
        chosen = [visible[pk] for pk in form.cleaned_data["ids"] if pk in visible]
        ready = [a for a in chosen if name in workflow.available_transitions(a, user)]
        context = {
            "applications": ready,
            "blocked": [a for a in chosen if a not in ready],  # said apart, and left out of the confirmation
            "name": name,
            "label": spec.label,
            "what": names[name],
            "opinion": opinion,
        }
        return render(request, "applications/bulk_confirm.html", context)
    results = []
    for pk in form.cleaned_data["ids"]:
        application = visible.get(pk)
        if application is None:
            results.append((pk, None, False, _("不在您的管辖范围内或不存在。")))
            continue
        try:
            workflow.application_transition(
                application_id=pk,
                name=name,
                actor=user,
                opinion="" if spec.needs_reason else opinion,
                reason=opinion if spec.needs_reason else "",
            )
            results.append((pk, application, True, spec.label))
        except (TransitionNotAllowed, PermissionDenied, ValidationError) as exc:
            results.append((pk, application, False, _message(exc)))
    done = sum(1 for r in results if r[2])
    return render(
        request,
        "applications/bulk_result.html",
        {"results": results, "label": spec.label, "done": done, "failed": len(results) - done},
    )


def _bulk_refused(request: HttpRequest, user, ids: list[int], error: str) -> HttpResponse:
    """The queue again with the rows still ticked, the action still chosen and the error by the form."""
    post = request.POST
    picked = {"ids": set(ids), "name": post.get("name", ""), "opinion": post.get("opinion", ""), "error": error}
    return _queue(request, user, picked)


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc) or _("当前状态不允许此操作。")


def _intake_units(user) -> list[OrgUnit]:
    """A community enters for itself; a township for itself and the villages it reviews for (第七条)."""
    if user.role == Role.COMMUNITY:
        return [user.unit]
    children = OrgUnit.objects.filter(parent=user.unit, level=Level.COMMUNITY, accepts_applications=False)
    return [user.unit, *children.order_by("code")]


@login_required
def new(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    if user.role not in (Role.COMMUNITY, Role.TOWNSHIP):
        raise PermissionDenied
    units = _intake_units(user)
    settings_ = unit_settings(user.unit_id)
    try:
        policy = policies.for_province(user.unit_id, timezone.localdate())
    except policies.UnknownPolicy as exc:  # DESIGN.md §3: intake stops clearly; open cases go on
        return render(request, "applications/no_policy.html", {"message": str(exc)}, status=400)
    initial = {
        "policy": policy.code,
        "as_of": timezone.localdate(),
        "unit_code": units[-1].code if len(units) > 1 else units[0].code,
        "urban": settings_.is_urban,
        "local_resident": True,
        "local_hukou": True,
        "able_to_work": True,
        "willing_to_work": True,
    }
    data = request.POST or None
    if data is not None and data.get("from_precheck"):  # 资格预审 → 录入: the facts carried over, unbound
        initial |= carried_from_precheck(request.POST)
        data = None
    form = IntakeForm(data, initial=initial, units=units, policy=policy, unit=settings_)
    if data is not None and form.is_valid():
        d = form.cleaned_data
        try:
            application = services.application_create(
                actor=user,
                unit_code=d["unit_code"],
                channel=d["channel"],
                applicant={"name": d["name"], "phone": d["phone"], "address": d["address"]},
                facts=Facts(**form.facts()),
                commitments=d["commitments"],
                consent_recorded=d["consent_recorded"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except (TransitionNotAllowed, PermissionDenied, FactError) as exc:
            form.add_error(
                getattr(exc, "field", None) if getattr(exc, "field", None) in form.fields else None, str(exc)
            )
        else:
            messages.success(request, _("已收到申请，受理编号 %(ref)s。") % {"ref": application.reference})
            return redirect("applications:detail", pk=application.pk)
    decision = _decision_of(form, policy) if form.is_bound else None
    return render(request, "applications/new.html", {"form": form, "policy": policy, "decision": decision})


def carried_from_precheck(post) -> dict:
    """The facts a 资格预审 was run on (posted, so the ID number is never in a URL); the unit's own
    parameters are not carried: inside an application they are the unit's."""
    precheck = PrecheckForm(post)
    precheck.is_valid()
    return {k: v for k, v in precheck.cleaned_data.items() if k in FACT_NAMES and k not in UNIT_PARAMETERS}


def _decision_of(form: IntakeForm, policy):
    """The pre-check beside a form shown again after a failed submit, rendered with the page."""
    try:
        return evaluate(policy.code, Facts(**form.facts()), timezone.localdate())
    except (KeyError, AttributeError, FactError, TypeError):  # a fact with its own error shown on the field
        return None


# Irreversible decisions are confirmed on a page of their own (works without script), with what
# follows spelled out; withdrawing has its own page with a reason (issue 11, item 2).
CONFIRM = ("fail_initial_review", "township_reject", "county_approve", "county_reject")


@login_required
@require_POST
def check_id(request: HttpRequest) -> JsonResponse:
    """As the ID number is typed at intake: is there an open application or an active recognition
    (DESIGN.md §5; 第十八条)? A link to the case only if this user may see it; otherwise a message
    that names no unit, state or person. POST, so the number never sits in a URL or a log."""
    user = _staff(request)
    if user.role not in (Role.COMMUNITY, Role.TOWNSHIP):
        raise PermissionDenied
    try:
        number = idnumber.parse(request.POST.get("id_number", "")).number
    except idnumber.InvalidIdNumber as exc:
        return JsonResponse({"status": "invalid", "message": str(exc)}, status=400)
    try:
        policy = policies.for_province(user.unit_id, timezone.localdate())
    except policies.UnknownPolicy as exc:
        return JsonResponse({"status": "invalid", "message": str(exc)}, status=400)
    person = Applicant.objects.filter(id_number=number).values_list("pk", flat=True).first()
    blocking = person and services.blocking_case(person_id=person, unit_code=user.unit_id, policy_code=policy.code)
    if not blocking:
        return JsonResponse({"status": "none", "message": ""})
    kind, pk = blocking
    if pk is not None and applications_for_user(user).filter(pk=pk).exists():
        label = _("该身份证号已有正在办理的申请，") if kind == "open" else _("该人员已认定为就业困难人员，")
        return JsonResponse(
            {"status": kind, "message": label + _("不能重复申请。"), "url": reverse("applications:detail", args=[pk])}
        )
    message = _(
        "该身份证号暂不能录入新申请（已有申请或认定记录，不在您的查看范围内）。如有疑问，请咨询县（市、区）人社部门。"
    )
    return JsonResponse({"status": "elsewhere", "message": message})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_user(request.user, pk)
    user = request.user
    if request.method == "POST":
        return _act(request, application)
    items = workflow.required_materials(application, user)
    names = workflow.available_transitions(application, user)
    if user.is_applicant:
        return _applicant_detail(request, application, items, names)
    access = access_for(user, application)
    policy = application.policy
    decision_forms, destructive, waiting = [], [], []
    # 第八条 / 二(一) and 第九条 / 二(二): not offered while the service would refuse it; said why instead
    if "accept" in names and not all(m["provided"] for m in items):
        waiting.append(_("材料齐全后才能受理：请上传或一次性告知补正缺少的材料。"))
        names = [n for n in names if n != "accept"]
    if "pass_initial_review" in names and not application.eligibility.get("eligible"):
        waiting.append(_("资格评估不符合认定条件，不能初审通过：情况有误请更正申请信息，否则初审不通过并说明原因。"))
        names = [n for n in names if n != "pass_initial_review"]
    for name in names:
        if name == "withdraw":
            continue
        form = DecisionForm(initial={"name": name})
        if name == "request_materials":
            form.fields["missing_materials"].choices = [(m.code, f"{m.label}（{m.article}）") for m in policy.materials]
            form.fields["missing_materials"].initial = [m["code"] for m in items if not m["provided"]]
        spec = workflow.SPECS[name]
        (destructive if spec.needs_reason else decision_forms).append((name, spec, form, name in CONFIRM))
    can_upload = application.state in services.MATERIAL_STATES and access.may_supply_materials
    today = timezone.localdate()
    # The person's number, phone and address in full for the unit checking them against the ID card while the
    # case is in its hands; masked for everyone else and afterwards, shown on request (a review's finding)
    editing = access.may_edit_facts and application.state in services.EDITABLE_STATES
    full_id = editing or request.GET.get("full_id") == "1"
    if full_id:  # DESIGN.md §9: every full-ID-number view is in the audit trail
        audit.record(
            actor=user, action="view_full_id", object_type="application", object_id=application.pk, request=request
        )
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "id_number": application.applicant_id_number if full_id else mask(application.applicant_id_number),
            "phone": application.applicant_phone if full_id else mask_phone(application.applicant_phone),
            "full_id": full_id,
            "due": due_for(application, workflow.calendar_for(application), today),
            "items": items,
            "materials": review.material_rows(application, policy),
            "facts": review.fact_rows(application, policy),
            "income": review.income_line(application),
            "unemployed_months": review.unemployed_months(application, today),
            "notice_lines": review.notice_lines(application),
            "opinions": application.opinions.select_related("officer", "unit"),
            "timeline": review.timeline(application),
            "commitments": application.commitments.all(),
            "decision_forms": decision_forms,
            "destructive": destructive,
            "waiting": waiting,
            "can_withdraw": "withdraw" in names,
            "material_form": MaterialForm(items=[m for m in items if not m["provided"]] or items)
            if can_upload
            else None,
            "recognition": getattr(application, "recognition", None),
            "policy": policy,
            "can_edit": editing,
        },
    )


def _applicant_detail(request: HttpRequest, application: Application, items: list[dict], names: list[str]):
    """我的申请 for the person: where the case stands, what to do next, the steps with dates."""
    # 第九条 一次性告知: while a notice runs, the person supplies exactly what it lists
    if application.state == State.AWAITING_MATERIALS:
        items = [m for m in items if m["code"] in application.missing_materials]
        upload_items = items
    else:
        upload_items = [m for m in items if not m["provided"]]
    may_upload = (
        application.state in services.MATERIAL_STATES and access_for(request.user, application).may_supply_materials
    )
    latest_fail = application.opinions.filter(decision=Decision.FAIL).order_by("-id").first()
    return render(
        request,
        "applications/my_detail.html",
        {
            "application": application,
            "policy": application.policy,
            "due": due_for(application, workflow.calendar_for(application), timezone.localdate()),
            "items": items,
            "material_form": MaterialForm(items=upload_items) if may_upload and upload_items else None,
            "materials": application.materials.all(),
            "progress": progress_for(application),
            "can_supplement": "supplement" in names,
            "can_withdraw": "withdraw" in names,
            "rejection": latest_fail.reason if application.state == State.REJECTED and latest_fail else "",
        },
    )


@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """撤回申请, after a confirmation that says what it means; the person or the handling unit."""
    application = application_for_user(request.user, pk)
    if "withdraw" not in workflow.available_transitions(application, request.user):
        messages.error(request, _("该申请当前不能撤回。"))
        return redirect("applications:detail", pk=application.pk)
    error, reason = "", request.POST.get("reason", "").strip()[:2000]
    if request.method == "POST":
        if not reason:
            error = _("请填写撤回原因。")
        else:
            try:
                workflow.application_transition(
                    application_id=application.pk, name="withdraw", actor=request.user, reason=reason
                )
            except (TransitionNotAllowed, PermissionDenied, ValidationError) as exc:
                messages.error(request, _message(exc))
            else:
                messages.success(request, _("申请已撤回。"))
            return redirect("applications:detail", pk=application.pk)
    return render(request, "applications/withdraw.html", {"application": application, "error": error, "reason": reason})


def _act(request: HttpRequest, application: Application) -> HttpResponse:
    form = DecisionForm(request.POST)
    policy = application.policy
    form.fields["missing_materials"].choices = [(m.code, m.label) for m in policy.materials]
    if not form.is_valid():
        messages.error(request, _("提交的内容不完整，请重试。"))
        return redirect("applications:detail", pk=application.pk)
    name = form.cleaned_data["name"]
    spec = workflow.SPECS[name]
    text = form.cleaned_data["opinion"].strip()
    if name == "withdraw":
        return redirect("applications:withdraw", pk=application.pk)
    if name in CONFIRM:
        if name not in workflow.available_transitions(application, request.user):
            messages.error(request, _("该申请当前不能执行“%(label)s”。") % {"label": spec.label})
            return redirect("applications:detail", pk=application.pk)
        missing_reason = spec.needs_reason and not text
        if request.POST.get("confirmed") != "1" or missing_reason:
            error = _("请填写不通过的原因。") if missing_reason and request.POST.get("confirmed") == "1" else ""
            return _confirm(request, application, name, text, error)
    try:
        workflow.application_transition(
            application_id=application.pk,
            name=name,
            actor=request.user,
            opinion="" if spec.needs_reason else text,
            reason=text if spec.needs_reason else "",
            missing_materials=form.cleaned_data["missing_materials"],
        )
    except (TransitionNotAllowed, PermissionDenied, ValidationError) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("已办理：%(label)s。") % {"label": spec.label})
    return redirect("applications:detail", pk=application.pk)


def _confirm(request: HttpRequest, application: Application, name: str, text: str, error: str) -> HttpResponse:
    """The page that asks before an irreversible decision, saying what follows from it."""
    spec = workflow.SPECS[name]
    return render(
        request,
        "applications/confirm.html",
        {
            "application": application,
            "name": name,
            "spec": spec,
            "text": text,
            "error": error or (_("请填写不通过的原因。") if spec.needs_reason and not text else ""),
            "consequence": consequence(application, name),
        },
    )


def consequence(application: Application, name: str) -> str:
    """What follows a decision (新人社规〔2025〕1号 第九条至第十一条; 吉人社发〔2022〕10号 二(二)、二(三))."""
    if name == "fail_initial_review":
        if application.next_after_negative_initial() == State.REJECTED:
            return _("初审不通过后本申请即办结为“未通过”，并告知申请人（吉人社发〔2022〕10号 二(二)）。")
        return _("初审意见为“不通过”，申请连同意见报送上级复核、审批（新人社规〔2025〕1号 第九条）。")
    if name == "township_reject":
        return _("复核意见为“不通过”，申请报送县（市、区）人社部门核定（新人社规〔2025〕1号 第十条）。")
    if name == "county_approve":
        return _("认定为就业困难人员：生成认定记录，出具认定结果告知书，并通知申请人。确认后不能撤销。")
    return _("申请办结为“未通过”，出具不予认定告知书并通知申请人。确认后不能撤销。")


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_user(request.user, pk)
    items = workflow.required_materials(application, request.user)
    form = MaterialForm(request.POST, request.FILES, items=items)
    try:
        if (reuse_id := parse_id(request.POST.get("reuse_material_id"))) is not None:
            services.material_reuse(actor=request.user, application=application, material_id=reuse_id)
        elif form.is_valid():
            services.material_upload(
                actor=request.user,
                application=application,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        else:
            raise ValidationError(_("请选择材料类型和文件。"))
    except (TransitionNotAllowed, PermissionDenied, ValidationError) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("材料已保存。"))
    return redirect("applications:detail", pk=application.pk)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """更正申请信息 with the live pre-check beside it; saved through the same service as the API."""
    application = application_for_user(request.user, pk)
    if not access_for(request.user, application).may_edit_facts:
        raise PermissionDenied
    facts = application.facts
    initial = {
        **{k: v for k, v in facts.items() if v is not None and k not in UNIT_PARAMETERS},
        "policy": application.policy_code,
        "as_of": timezone.localdate(),
        "name": application.applicant_name,
        "phone": application.applicant_phone,
        "address": application.applicant_address,
    }
    form = FactsEditForm(
        request.POST or None, initial=initial, policy=application.policy, unit=unit_settings(application.unit_id)
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        changed = {k: v for k, v in form.facts().items() if k != "id_number"}
        try:
            services.application_edit(
                actor=request.user,
                application_id=application.pk,
                facts=changed,
                applicant={k: d[k] for k in services.APPLICANT_FIELDS},
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except (TransitionNotAllowed, PermissionDenied) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("申请信息已更正，资格评估已按更正后的情况重新计算。"))
            return redirect("applications:detail", pk=application.pk)
    audit.full_id_shown(request, object_type="application", object_id=application.pk)  # the form holds it
    return render(request, "applications/edit.html", {"form": form, "application": application})


@login_required
def material_file(request: HttpRequest, pk: int, material_id: int) -> HttpResponse:
    try:
        return material_response(request, application_for_user(request.user, pk), material_id)
    except MaterialGone as gone:
        return render(request, "404.html", {"message": gone.message}, status=404)


class MaterialGone(Http404):
    """A material's row outlived its file (a restore, a lost volume, `make run`'s generated cases):
    said to the officer in scope, and logged for the operator, instead of a 500."""

    message = gettext_lazy("这份材料的文件已不在存储中，无法下载。请联系系统管理员，或请申请人重新提交。")


def material_response(request: HttpRequest, application: Application, material_id: int) -> FileResponse:
    """Materials are personal data: streamed only after the access gate, never from a public folder,
    and each download is audited (DESIGN.md §9)."""
    material = get_object_or_404(application.materials, pk=material_id)
    try:
        opened = material.file.open("rb")
    except FileNotFoundError:
        logger.error("application %s: material %s has no file at %s", application.pk, material.pk, material.file.name)
        raise MaterialGone from None
    response = FileResponse(opened, content_type=material.content_type, filename=material.original_name)
    return audit.downloaded(
        request,
        response,
        object_type="application",
        object_id=application.pk,
        document="material",
        material=material.pk,
    )


@login_required
def materials_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """一次性告知书: every missing item at once (新人社规〔2025〕1号 第九条), printable for the applicant."""
    application = application_for_user(request.user, pk)
    policy = policies.get(application.policy_code)
    wanted = [m for m in policy.materials if m.code in application.missing_materials]
    requested = application.log.filter(name="request_materials").order_by("-id").first()
    return render(
        request,
        "applications/materials_notice.html",
        {"application": application, "items": wanted, "requested": requested, "policy": policy},
    )


@login_required
def approval_form(request: HttpRequest, pk: int) -> HttpResponse:
    return approval_form_response(application_for_user(request.user, pk), request)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    if request.user.role != Role.APPLICANT:
        raise PermissionDenied
    applications = applications_for_user(request.user).order_by("-received_on", "-id")
    draft = ApplicationDraft.objects.filter(user=request.user).exists()
    return render(request, "applications/mine.html", {"applications": applications, "draft": draft})
