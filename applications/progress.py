"""Public progress look-up (API.md "Progress (public)"; DESIGN.md §10): by reference and ID number,
no login. It answers a masked name and the procedure's steps with their dates, nothing else; a
wrong pair is indistinguishable from an unknown reference (one query on both, no early return).

The steps follow the policy's procedure: 收到申请 → 受理 → 初审 → 公示 → 复核 → 审批 (新人社规〔2025〕1号
第七条 to 第十一条: 复核 only where a community reviewed first); Jilin has no township re-review
(吉人社发〔2022〕10号 二(一) to 二(三)). Dates come from the application's log and stored dates."""

import re
import weakref
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import NamedTuple

from django import forms
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts import idnumber
from accounts.models import OrgUnit
from applications.models import Applicant, Application, State
from config.throttling import ProgressThrottle, throttled_message, wait_seconds

REFERENCE = re.compile(r"[0-9]{20,24}")  # services.application_create: unit code[:6] + YYYYMMDD + id (≥ 6 digits)
NOT_FOUND = "未找到与该受理编号和身份证号相符的申请，请核对后重试。"

RECEIVED, ACCEPTED, INITIAL, NOTICE, TOWNSHIP, COUNTY, WITHDRAWN = (
    "received",
    "accepted",
    "initial",
    "notice",
    "township",
    "county",
    "withdrawn",
)
LABELS = {
    RECEIVED: "收到申请",
    ACCEPTED: "受理",
    INITIAL: "初审",
    NOTICE: "公示",
    TOWNSHIP: "复核",
    COUNTY: "审批",
    WITHDRAWN: "撤回申请",
}
# The stage each open state is at.
CURRENT = {
    State.SUBMITTED: ACCEPTED,
    State.AWAITING_MATERIALS: ACCEPTED,
    State.INITIAL_REVIEW: INITIAL,
    State.PENDING_NOTICE: NOTICE,
    State.PUBLIC_NOTICE: NOTICE,
    State.TOWNSHIP_REVIEW: TOWNSHIP,
    State.COUNTY_REVIEW: COUNTY,
}
# The log entries that finish a stage, and the outcome each records.
FINISHES = {
    "accept": (ACCEPTED, "pass"),
    "pass_initial_review": (INITIAL, "pass"),
    "fail_initial_review": (INITIAL, "fail"),
    "close_notice": (NOTICE, ""),  # an upheld objection that ends the case (Jilin 二(二)) is a "fail"
    "township_approve": (TOWNSHIP, "pass"),
    "township_reject": (TOWNSHIP, "fail"),
    "county_approve": (COUNTY, "pass"),
    "county_reject": (COUNTY, "fail"),
}


class LogEntry(NamedTuple):
    """What the steps read of a TransitionLog entry."""

    name: str
    to_state: str
    at: datetime


@dataclass(frozen=True)
class Step:
    stage: str
    label: str
    status: str  # "done" | "current" | "pending"
    date: date | None  # done: the day it was done; current: the day it began; pending: None
    outcome: str = ""  # "pass" | "fail" | "" (not decided, or a step without a decision)
    due_date: date | None = None  # current step: the statutory time limit, where there is one
    note: str = ""


@dataclass(frozen=True)
class Progress:
    reference: str
    state: str
    state_label: str
    name: str  # masked
    policy: str
    policy_document: str
    handling_unit: str
    steps: list[Step] = field(default_factory=list)


def clean_reference(value: str) -> str:
    """Raises ValueError with a message for the person when it cannot be a reference at all."""
    value = (value or "").strip()
    if not REFERENCE.fullmatch(value):
        raise ValueError("受理编号应为20至24位数字，请按受理回执或短信核对。")
    return value


def clean_id_number(value: str) -> str:
    try:
        return idnumber.parse(value).number
    except idnumber.InvalidIdNumber as exc:
        raise ValueError(str(exc)) from None


# The look-up in one statement (issue 13): the case with its applicant's name, its handling unit and its
# log entries (LEFT JOIN: a case without any entry still has its row), found by both keys at once, so an
# unknown reference and a wrong pair take the same path. Plain SQL: the ORM spends longer building it
# than PostgreSQL running it.
LOOKUP_SQL = """
SELECT a.id, a.reference, a.state, a.policy_code, a.received_on, a.stage_started_on, a.stage_due_on,
       a.notice_start, a.notice_end, a.decided_on, a.applicant_id, p.name, a.handling_unit_id, u.name,
       u.level, l.name, l.to_state, l.at
FROM applications_application a
JOIN applications_applicant p ON p.id = a.applicant_id
JOIN accounts_orgunit u ON u.code = a.handling_unit_id
LEFT JOIN applications_transitionlog l ON l.application_id = a.id
WHERE a.reference = {} AND p.id_number = {}
ORDER BY l.id
"""
APPLICATION_COLUMNS = (
    "id", "reference", "state", "policy_code", "received_on", "stage_started_on", "stage_due_on",
    "notice_start", "notice_end", "decided_on", "applicant_id",
)  # fmt: skip
# Connections (psycopg's, by identity) on which the look-up is a prepared statement: PostgreSQL spends
# ~0.6 ms planning this join over the 20 indexes of applications and 0.05 ms running it, so a kept
# connection plans it once. The PREPARE travels with the first EXECUTE (one round trip), after a
# DEALLOCATE ALL in case a failed first EXECUTE left the statement behind (Django's connections prepare
# nothing else: it turns psycopg's own preparing off). Not with CONN_MAX_AGE=0, the setting for
# PgBouncer in transaction mode (README "Scale"), where the statement would stay behind on a server
# connection that other clients share.
_prepared: "weakref.WeakSet" = weakref.WeakSet()


def _lookup_rows(reference: str, id_number: str) -> list[tuple]:
    params = [reference, id_number]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql" or connection.settings_dict["CONN_MAX_AGE"] == 0:
            cursor.execute(LOOKUP_SQL.format("%s", "%s"), params)
        elif connection.connection in _prepared:
            cursor.execute("EXECUTE progress_lookup (%s, %s)", params)
        else:
            prepare = f"DEALLOCATE ALL; PREPARE progress_lookup AS {LOOKUP_SQL.format('$1', '$2')}"
            cursor.execute(f"{prepare}; EXECUTE progress_lookup (%s, %s)", params)
            cursor.nextset()
            cursor.nextset()
            _prepared.add(connection.connection)
        return cursor.fetchall()


def case_and_log(*, reference: str, id_number: str) -> tuple[Application | None, list[LogEntry]]:
    """The case (only the fields progress_for reads) and its log entries (name, to_state, at), or
    (None, []) for an unknown reference and a wrong pair alike."""
    rows = _lookup_rows(reference, id_number)
    if not rows:
        return None, []
    first = rows[0]
    application = _loaded(Application, **dict(zip(APPLICATION_COLUMNS, first, strict=False)))
    application.applicant = _loaded(Applicant, id=first[10], name=first[11])
    application.handling_unit = _loaded(OrgUnit, code=first[12], name=first[13], level=first[14])
    log = [LogEntry(name, to_state, _aware(at)) for *_, name, to_state, at in rows if name is not None]
    return application, log


def _loaded(model, **values):
    """An instance as the ORM loads one with only these fields (the others deferred)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, names, [values[name] for name in names])


def _aware(at: datetime) -> datetime:
    """SQLite hands plain SQL its stored UTC times without their zone (the ORM adds it)."""
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _stages(application: Application, log: list[LogEntry]) -> list[str]:
    """The procedure this case follows: no 公示 once the initial review failed without one (第九条
    forwards it; 二(二) tells the applicant), 复核 only where the policy and the first unit have it."""
    names = [e.name for e in log]
    skipped_notice = "fail_initial_review" in names and "publish" not in names
    stages = [RECEIVED, ACCEPTED, INITIAL]
    if not skipped_notice:
        stages.append(NOTICE)
    if application.next_after_initial() == State.TOWNSHIP_REVIEW:
        stages.append(TOWNSHIP)
    stages.append(COUNTY)
    return stages


def _finished(log: list[LogEntry]) -> dict[str, tuple[date, str]]:
    """The latest entry that finished each stage: (day, outcome)."""
    done: dict[str, tuple[date, str]] = {}
    for entry in log:
        if entry.name in FINISHES:
            stage, outcome = FINISHES[entry.name]
            if entry.to_state == State.REJECTED:
                outcome = "fail"
            done[stage] = (timezone.localdate(entry.at), outcome)
    return done


def _started(application: Application, log: list[LogEntry], stage: str) -> date | None:
    if stage == NOTICE and application.state == State.PUBLIC_NOTICE:
        return application.notice_start
    if stage == ACCEPTED:  # waits since receipt, or since the last supplement
        supplements = [e for e in log if e.name == "supplement"]
        return timezone.localdate(supplements[-1].at) if supplements else application.received_on
    return application.stage_started_on


def progress_steps(application: Application, log: list[LogEntry]) -> list[Step]:
    stages = _stages(application, log)
    finished = _finished(log)
    state = application.state
    steps = [Step(RECEIVED, LABELS[RECEIVED], "done", application.received_on)]
    if state in CURRENT:
        current = stages.index(CURRENT[state])
        for index, stage in enumerate(stages[1:], start=1):
            if index < current:
                day, outcome = finished.get(stage, (None, ""))
                steps.append(Step(stage, LABELS[stage], "done", day, outcome))
            elif index == current:
                note = "待补正材料（一次性告知）" if state == State.AWAITING_MATERIALS else ""
                if state == State.PENDING_NOTICE:
                    note = "待公示"
                elif state == State.PUBLIC_NOTICE and application.notice_end:
                    note = f"公示期 {application.notice_start:%Y-%m-%d} 至 {application.notice_end:%Y-%m-%d}"
                steps.append(
                    Step(
                        stage,
                        LABELS[stage],
                        "current",
                        _started(application, log, stage),
                        due_date=application.stage_due_on,
                        note=note,
                    )
                )
            else:
                steps.append(Step(stage, LABELS[stage], "pending", None))
        return steps
    # A final state: every stage reached is done; a case that ended early shows where.
    for stage in stages[1:]:
        if stage not in finished:
            break
        day, outcome = finished[stage]
        steps.append(Step(stage, LABELS[stage], "done", day, outcome))
        if state == State.REJECTED and _ended_at(log) == stage:
            break
    if state == State.WITHDRAWN:
        withdrawn = next((e for e in reversed(log) if e.name == "withdraw"), None)
        day = timezone.localdate(withdrawn.at) if withdrawn else application.decided_on
        steps.append(Step(WITHDRAWN, LABELS[WITHDRAWN], "done", day))
    return steps


def _ended_at(log: list[LogEntry]) -> str | None:
    """The stage whose decision rejected the case (Jilin 二(二): at the initial review or by an upheld
    objection; otherwise the county, 第十一条 / 二(三))."""
    entry = next((e for e in reversed(log) if e.to_state == State.REJECTED), None)
    return FINISHES[entry.name][0] if entry is not None and entry.name in FINISHES else None


def progress_for(application: Application, log: list[LogEntry] | None = None) -> Progress:
    if log is None:
        log = [LogEntry(*row) for row in application.log.order_by("id").values_list("name", "to_state", "at")]
    return Progress(
        reference=application.reference,
        state=application.state,
        state_label=application.state_label,
        name=idnumber.mask_name(application.applicant.name),
        policy=application.policy_code,
        policy_document=application.policy.document,
        handling_unit=application.handling_unit.name,
        steps=progress_steps(application, log),
    )


def progress_lookup(*, reference: str, id_number: str) -> Progress | None:
    """Both values already cleaned; None for an unknown reference and for a wrong pair alike."""
    application, log = case_and_log(reference=reference, id_number=id_number)
    return progress_for(application, log) if application is not None else None


# --- the browser page (/progress/): the same look-up with a form, no login


class ProgressForm(forms.Form):
    reference = forms.CharField(
        label=_("受理编号"),
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "20位以上数字"}),
    )
    id_number = forms.CharField(
        label=_("身份证号"), max_length=30, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )

    def clean_reference(self) -> str:
        try:
            return clean_reference(self.cleaned_data["reference"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_id_number(self) -> str:
        try:
            return clean_id_number(self.cleaned_data["id_number"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


@require_http_methods(["GET", "POST"])
def progress_page(request: HttpRequest) -> HttpResponse:
    """办理进度查询 for anyone: the result, or one message for an unknown reference and a wrong pair."""
    form = ProgressForm(request.POST or None)
    context: dict = {"form": form, "progress": None, "not_found": False, "throttled": ""}
    status = 200
    if request.method == "POST":
        if (wait := wait_seconds(request, ProgressThrottle)) is not None:
            context["throttled"] = throttled_message(wait)
            response = render(request, "applications/progress.html", context, status=429)
            response["Retry-After"] = str(wait)
            return response
        if form.is_valid():
            context["progress"] = progress_lookup(**form.cleaned_data)
            if context["progress"] is None:
                context["not_found"], status = True, 404
            else:  # the ID number is not written back into the page (a shared phone, a screenshot)
                context["form"] = ProgressForm()
        else:
            status = 400
    return render(request, "applications/progress.html", context, status=status)
