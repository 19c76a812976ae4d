"""The dashboard (DESIGN.md §11): the figures of reports.stats for a unit and a period, as numbers
that link to the lists behind them and as charts. A thin caller of reports.stats, like the API."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError as ApiValidationError

from accounts import areas
from accounts.models import Role
from accounts.scoping import staff_prefix
from applications import searches
from applications.models import OPEN_STATES, State
from config.replica import replica_reads
from eligibility import policies
from reports import charts, services, stats
from reports.api import XLSX
from reports.exports import EXPORTS
from reports.forms import StatsForm
from reports.links import queue_url, recognitions_url
from reports.models import ExportJob, ExportState


def _exit_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for policy in policies.POLICIES.values():
        for reason in policy.exit_reasons:
            labels.setdefault(reason.code, reason.label)
    return labels


OVERSEEING_ROLES = frozenset({Role.COUNTY, Role.PREFECTURE, Role.PROVINCE})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    # DESIGN.md §11: the county (for its townships), the prefecture and the province oversee
    if not (request.user.is_admin or request.user.role in OVERSEEING_ROLES) or staff_prefix(request.user) is None:
        raise PermissionDenied(_("统计仅限县级及以上人社部门查看。"))
    form = StatsForm.from_query(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    try:
        scope = stats.stats_scope(
            user=request.user,
            unit_code=data.get("unit_code", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
    except ValidationError as exc:
        form.add_error("date_from", exc.message_dict["from"])
        scope = stats.stats_scope(user=request.user, unit_code=data.get("unit_code", ""))
    with replica_reads():
        figures = stats.stats(scope)
    apps, recognitions = figures["applications"], figures["recognitions"]
    labels = figures["category_labels"]
    median = apps["median_working_days_to_decision"]
    cards = [
        (_("收到申请"), apps["received"], queue_url(scope), ""),
        (_("已办结"), apps["decided"], queue_url(scope, state="decided"), ""),
        (_("认定通过"), apps["approved"], queue_url(scope, state=State.APPROVED), "ok"),
        (_("未通过"), apps["rejected"], queue_url(scope, state=State.REJECTED), "no"),
        (_("已撤回"), apps["withdrawn"], queue_url(scope, state=State.WITHDRAWN), ""),
        (_("办理中"), apps["open"], queue_url(scope, state="open"), ""),
        (
            _("超期未办结"),
            apps["overdue"],
            queue_url(scope, state="open", overdue=True),
            "no" if apps["overdue"] else "",
        ),
        (_("办结用时中位数（工作日）"), "—" if median is None else f"{median:g}", "", ""),
    ]
    state_rows = [(str(label), apps["by_state"][code], queue_url(scope, state=code)) for code, label in State.choices]
    category_rows = [
        (labels[code], n, queue_url(scope, category=code)) for code, n in apps["by_category"].items() if code in labels
    ]
    child_rows = [
        {
            "row": row,
            "dashboard": f"?{_query(row['unit_code'], scope)}",
            "links": {
                "received": queue_url(scope, unit_code=row["unit_code"]),
                "approved": queue_url(scope, unit_code=row["unit_code"], state=State.APPROVED),
                "rejected": queue_url(scope, unit_code=row["unit_code"], state=State.REJECTED),
                "open": queue_url(scope, unit_code=row["unit_code"], state="open"),
                "overdue": queue_url(scope, unit_code=row["unit_code"], state="open", overdue=True),
                "recognitions": recognitions_url(scope, unit_code=row["unit_code"]),
            },
        }
        for row in figures["by_child_unit"]
    ]
    months = figures["by_month"]
    month_labels = [f"{int(m['month'][5:])}月" if len(months) <= 12 else m["month"] for m in months]
    month_columns = [("received", _("收到申请"), "all"), ("approved", _("认定通过"), State.APPROVED),
                     ("rejected", _("未通过"), State.REJECTED), ("open", _("办理中"), "open")]  # fmt: skip
    month_rows = [
        (label, [(m[key], queue_url(scope, month=m["month"], state=state)) for key, _name, state in month_columns])
        for label, m in zip(month_labels, months, strict=True)
    ]
    trend = charts.trend(
        month_labels,
        [(name, [row[1][i] for row in month_rows]) for i, (_key, name, _state) in enumerate(month_columns)],
    )
    open_rows = [row for row, (code, _label) in zip(state_rows, State.choices, strict=True) if code in OPEN_STATES]
    exit_labels = _exit_labels()
    context = {
        "form": form,
        "scope": scope,
        "figures": figures,
        "cards": cards,
        "state_rows": state_rows,
        "category_rows": category_rows,
        "month_columns": [name for _key, name, _state in month_columns],
        "month_rows": month_rows,
        "child_rows": child_rows,
        "child_level": _child_level_label(scope),
        "up": _up_link(request.user, scope),
        "charts": {
            "trend": trend,
            "stages": charts.bars(_("办理中的申请（按环节）"), open_rows),
            "categories": charts.bars(_("按就业困难类型"), category_rows) if category_rows else "",
            "children": charts.bars(
                _("按下级单位（收到申请）"),
                [(c["row"]["name"], c["row"]["received"], c["links"]["received"]) for c in child_rows],
            )
            if child_rows
            else "",
        },
        "recognition_cards": [
            (_("有效认定"), recognitions["active"], recognitions_url(scope)),
            (_("期间内新认定"), recognitions["recognized"], ""),
            (_("期间内退出"), sum(recognitions["exits_by_reason"].values()), ""),
        ],
        "recognition_rows": [
            (labels[code], n, recognitions_url(scope, category=code))
            for code, n in recognitions["by_category"].items()
            if code in labels
        ],
        "outreach_cards": [
            (_("推送"), figures["outreach"]["pushed"]),
            (_("已联系核实"), figures["outreach"]["contacted"]),
            (_("本人同意申报"), figures["outreach"]["consented"]),
            (_("已申报"), figures["outreach"]["applied"]),
            (_("已认定"), figures["outreach"]["recognised"]),
        ],
        "exit_rows": [
            (exit_labels.get(code, code), n, recognitions_url(scope, active="false", reason=code))
            for code, n in recognitions["exits_by_reason"].items()
        ],
    }
    return render(request, "reports/dashboard.html", context)


def _query(unit_code: str, scope: stats.StatsScope) -> str:
    return urlencode({"unit_code": unit_code, "from": scope.date_from.isoformat(), "to": scope.date_to.isoformat()})


def _child_level_label(scope: stats.StatsScope) -> str:
    return {
        2: _("省（自治区）"),
        4: _("市（地、州）"),
        6: _("县（市、区）"),
        9: _("街道（乡镇）"),
        12: _("社区（村）"),
    }.get(scope.child_length or 0, "")


def _up_link(user, scope: stats.StatsScope) -> str:
    """The dashboard of the unit above, while it is still in the user's scope."""
    if scope.unit is None:
        return ""
    prefix = staff_prefix(user) or ""
    ancestors = [code for code in areas.ancestors(scope.unit.code) if areas.prefix(code).startswith(prefix)]
    return f"?{_query(ancestors[-1], scope)}" if ancestors else ""


# --- Excel exports from the list pages: the file at once, or the job's page while Celery builds it


@login_required
def export(request: HttpRequest, kind: str) -> HttpResponse:
    if staff_prefix(request.user) is None:
        raise PermissionDenied(_("仅限经办人员导出。"))
    if kind not in EXPORTS:
        raise Http404
    params = {k: v for k, v in request.GET.items() if k not in ("full_ids", "page", "cursor")}
    if key := params.pop("k", None):  # the queue's search, kept in the session (applications.searches)
        if (query := searches.search_query(request, key)) is None:
            errors = {"q": [_("搜索条件已失效，请回到列表重新搜索后再导出。")]}
            return render(request, "reports/export_error.html", {"errors": errors}, status=400)
        params["q"] = query
    try:
        result = services.export_start(
            user=request.user,
            kind=kind,
            params=params,
            full_ids=request.GET.get("full_ids") == "true",
            request=request,
        )
    except ApiValidationError as exc:
        return render(request, "reports/export_error.html", {"errors": exc.detail}, status=400)
    if isinstance(result, ExportJob):
        return redirect("reports:export-job", pk=result.pk)
    return FileResponse(result.file, as_attachment=True, filename=result.filename, content_type=XLSX)


@login_required
def export_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress (the page reloads itself every few seconds until the file is ready)."""
    job = get_object_or_404(ExportJob, pk=pk, owner=request.user)
    back = {"applications": "applications:queue", "recognitions": "exits:register", "notices": "publicity:staff-list"}
    return render(
        request,
        "reports/export_job.html",
        {"job": job, "ready": job.state == ExportState.DONE, "back": back.get(job.kind, "home")},
    )


@login_required
def export_job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ExportJob, pk=pk, owner=request.user)
    if job.state != ExportState.DONE or not job.file:
        return redirect("reports:export-job", pk=job.pk)
    services.export_download(user=request.user, job=job, request=request)
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=XLSX)
