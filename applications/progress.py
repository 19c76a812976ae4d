"""Public progress look-up (API.md "Progress (public)"; DESIGN.md §10): by reference and ID number,
no login. It answers a masked name and the procedure's steps with their dates, nothing else; a
wrong pair is indistinguishable from an unknown reference (one query on both, no early return).

The steps follow the policy's procedure: 收到申请 → 受理 → 初审 → 公示 → 复核 → 审批 (新人社规〔2025〕1号
第七条 to 第十一条: 复核 only where a community reviewed first); Jilin has no township re-review
(吉人社发〔2022〕10号 二(一) to 二(三)). Dates come from the application's log and stored dates."""

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import NamedTuple

from django import forms
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts import idnumber
from applications.models import Application, State, next_after_initial
from config.throttling import RECORD_HIT, Hit, ProgressThrottle, Refused, throttled_message, wait_seconds
from eligibility import policies

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
    """What the steps read of a TransitionLog entry: the local day it happened."""

    name: str
    to_state: str
    day: date


class Case(NamedTuple):
    """What the steps and the answer read of a case: the look-up's one row, or an Application
    (`Case.of`) on the person's own pages. No model instances on the look-up's path (issue 13)."""

    reference: str
    state: str
    policy_code: str
    received_on: date
    stage_started_on: date | None
    stage_due_on: date | None
    notice_start: date | None
    notice_end: date | None
    decided_on: date | None
    applicant_name: str
    handling_unit_name: str
    handling_unit_level: str

    @classmethod
    def of(cls, application: Application) -> "Case":
        return cls(
            *(getattr(application, name) for name in cls._fields[:9]),
            application.applicant_name,
            application.handling_unit.name,
            application.handling_unit.level,
        )


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


# The look-up in one statement (issue 13): the case with its applicant's name and its handling unit, found by
# both keys at once (an unknown reference and a wrong pair take the same path), and its log entries as
# [name, to_state, local day] in log order, all as one JSON array: one value to send and to convert, whether a
# cursor or libpq reads it, and the days counted in the site's zone by PostgreSQL. Plain SQL: the ORM spends
# longer building it than PostgreSQL running it.
LOOKUP_SQL = """
SELECT json_build_array(
    a.reference, a.state, a.policy_code, a.received_on, a.stage_started_on, a.stage_due_on, a.notice_start,
    a.notice_end, a.decided_on, p.name, u.name, u.level,
    (SELECT json_agg(json_build_array(l.name, l.to_state, (l.at AT TIME ZONE {zone})::date) ORDER BY l.id)
     FROM applications_transitionlog l WHERE l.application_id = a.id))::text
FROM applications_application a
JOIN applications_applicant p ON p.id = a.applicant_id
JOIN accounts_orgunit u ON u.code = a.handling_unit_id
WHERE a.reference = {reference} AND p.id_number = {id_number}
"""
# SQLite (the embedded default) has no zones and no ordered aggregate: a row per entry (LEFT JOIN: a case
# without any entry still has its row), with the UTC time the day is counted from in Python.
SQLITE_LOOKUP_SQL = """
SELECT a.reference, a.state, a.policy_code, a.received_on, a.stage_started_on, a.stage_due_on, a.notice_start,
       a.notice_end, a.decided_on, p.name, u.name, u.level, l.name, l.to_state, l.at
FROM applications_application a
JOIN applications_applicant p ON p.id = a.applicant_id
JOIN accounts_orgunit u ON u.code = a.handling_unit_id
LEFT JOIN applications_transitionlog l ON l.application_id = a.id
WHERE a.reference = %s AND p.id_number = %s
ORDER BY l.id
"""
# The public API's look-up counted against the client's rate limit in the same statement (config.throttling):
# one round trip to one server. A refused look-up reads nothing (the case's query is filtered on the hit).
COUNTED_SQL = f"""
WITH hit AS ({RECORD_HIT})
SELECT hit.allowed, hit.wait, c.* FROM hit LEFT JOIN LATERAL ({LOOKUP_SQL} AND hit.allowed) c ON true
"""  # noqa: S608 (two constants: this module's and config.throttling's)
NAMES = ("reference", "id_number", "zone", "key", "now", "period", "limit")
POSITIONAL = {name: f"${n}" for n, name in enumerate(NAMES, 1)}
NAMED = {name: f"%({name})s" for name in NAMES}
# name: (the statement with $1, $2… to prepare, the same with %(name)s for a cursor), formatted once
STATEMENTS = {
    name: (sql.format(**POSITIONAL), sql.format(**NAMED))
    for name, sql in (("progress_lookup", LOOKUP_SQL), ("progress_counted", COUNTED_SQL))
}


def case_and_log(*, reference: str, id_number: str, hit: Hit | None = None) -> tuple[Case | None, list[LogEntry]]:
    """The case and its log entries, or (None, []) for an unknown reference and a wrong pair alike. With a
    `hit` (PostgreSQL only), counted against its limit first: Refused when over it.

    On PostgreSQL a prepared statement through libpq where it can (config.postgresql: PostgreSQL spends
    ~0.6 ms planning this join over the 20 indexes of applications and 0.05 ms running it), else a cursor."""
    if connection.vendor != "postgresql":
        return _sqlite_case_and_log(reference, id_number)
    name = "progress_lookup" if hit is None else "progress_counted"
    prepared, named = STATEMENTS[name]
    params = {"reference": reference, "id_number": id_number, "zone": settings.TIME_ZONE}
    if hit is not None:
        params.update(hit._asdict())
    rows = connection.fetch_prepared(name, prepared, [str(value) for value in params.values()])
    if rows is not None:
        row = [None if value is None else value.decode() for value in rows[0]] if rows else None
        if hit is not None:
            row = [row[0] == "t", row[1] and float(row[1]), row[2]]
    else:
        with connection.cursor() as cursor:
            cursor.execute(named, params)
            row = cursor.fetchone()
    if hit is not None:
        allowed, wait, *row = row
        if not allowed:
            raise Refused(wait)
    if row is None or row[0] is None:
        return None, []
    values = json.loads(row[0])
    days = [value and date.fromisoformat(value) for value in values[3:9]]
    log = [LogEntry(name, to_state, date.fromisoformat(day)) for name, to_state, day in values[12] or ()]
    return Case(*values[:3], *days, *values[9:12]), log


def _sqlite_case_and_log(reference: str, id_number: str) -> tuple[Case | None, list[LogEntry]]:
    with connection.cursor() as cursor:
        cursor.execute(SQLITE_LOOKUP_SQL, [reference, id_number])
        rows = cursor.fetchall()
    if not rows:
        return None, []
    log = [LogEntry(name, to_state, _local_day(at)) for *_, name, to_state, at in rows if name is not None]
    return Case(*rows[0][:12]), log


def _local_day(at: datetime | str) -> date:
    """SQLite hands plain SQL its stored UTC times as text, without their zone (the ORM adds it)."""
    at = datetime.fromisoformat(at) if isinstance(at, str) else at
    return timezone.localdate(at if at.tzinfo is not None else at.replace(tzinfo=UTC))


def _stages(case: Case, log: list[LogEntry]) -> list[str]:
    """The procedure this case follows: no 公示 once the initial review failed without one (第九条
    forwards it; 二(二) tells the applicant), 复核 only where the policy and the first unit have it."""
    names = [e.name for e in log]
    skipped_notice = "fail_initial_review" in names and "publish" not in names
    stages = [RECEIVED, ACCEPTED, INITIAL]
    if not skipped_notice:
        stages.append(NOTICE)
    if next_after_initial(policies.get(case.policy_code), case.handling_unit_level) == State.TOWNSHIP_REVIEW:
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
            done[stage] = (entry.day, outcome)
    return done


def _started(case: Case, log: list[LogEntry], stage: str) -> date | None:
    if stage == NOTICE and case.state == State.PUBLIC_NOTICE:
        return case.notice_start
    if stage == ACCEPTED:  # waits since receipt, or since the last supplement
        supplements = [e for e in log if e.name == "supplement"]
        return supplements[-1].day if supplements else case.received_on
    return case.stage_started_on


def progress_steps(case: Case, log: list[LogEntry]) -> list[Step]:
    stages = _stages(case, log)
    finished = _finished(log)
    state = case.state
    steps = [Step(RECEIVED, LABELS[RECEIVED], "done", case.received_on)]
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
                elif state == State.PUBLIC_NOTICE and case.notice_end:
                    note = f"公示期 {case.notice_start:%Y-%m-%d} 至 {case.notice_end:%Y-%m-%d}"
                steps.append(
                    Step(
                        stage,
                        LABELS[stage],
                        "current",
                        _started(case, log, stage),
                        due_date=case.stage_due_on,
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
        day = withdrawn.day if withdrawn else case.decided_on
        steps.append(Step(WITHDRAWN, LABELS[WITHDRAWN], "done", day))
    return steps


def _ended_at(log: list[LogEntry]) -> str | None:
    """The stage whose decision rejected the case (Jilin 二(二): at the initial review or by an upheld
    objection; otherwise the county, 第十一条 / 二(三))."""
    entry = next((e for e in reversed(log) if e.to_state == State.REJECTED), None)
    return FINISHES[entry.name][0] if entry is not None and entry.name in FINISHES else None


def progress_for(application: Application) -> Progress:
    """An application's progress as the look-up answers it, read through the ORM (the person's own pages)."""
    rows = application.log.order_by("id").values_list("name", "to_state", "at")
    return progress_of(Case.of(application), [LogEntry(name, to_state, _local_day(at)) for name, to_state, at in rows])


def progress_of(case: Case, log: list[LogEntry]) -> Progress:
    return Progress(
        reference=case.reference,
        state=case.state,
        state_label=str(State(case.state).label),
        name=idnumber.mask_name(case.applicant_name),
        policy=case.policy_code,
        policy_document=policies.get(case.policy_code).document,
        handling_unit=case.handling_unit_name,
        steps=progress_steps(case, log),
    )


def progress_lookup(*, reference: str, id_number: str, hit: Hit | None = None) -> Progress | None:
    """Both values already cleaned; None for an unknown reference and for a wrong pair alike. With a `hit`,
    counted against the client's limit in the same statement (Refused when over it)."""
    case, log = case_and_log(reference=reference, id_number=id_number, hit=hit)
    return progress_of(case, log) if case is not None else None


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
