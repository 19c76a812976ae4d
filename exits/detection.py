"""Daily exit detection (DESIGN.md §7, §8). Each rule is a queryset of the active recognitions without an
open proposal for its reason, annotated with the cause, the day the exit takes effect and the detail;
`propose` turns it into proposals with one INSERT … SELECT … ON CONFLICT DO NOTHING (the unique
constraints on ExitCase, one open proposal per reason and one proposal per cause, make a second run or
a second worker insert nothing), then writes their first log entries and chain heads with one statement
each. No recognition reaches Python, only the new proposals' ids to seal their entries (issue 13): a
fixed number of statements per rule whatever the number of recognitions or the backlog."""

import json
from datetime import date

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    Func,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Concat, JSONObject
from django.utils import timezone

from config.records import GENESIS, keyed_hash
from eligibility import policies
from eligibility.dates import add_months
from exits.models import ExitCase, ExitLog, ExitSource, ExitState, Outcome, Recognition, ServiceRecord, Subsidy

REFUSALS = 3  # xinjiang 第十六条(七) 6个月内…3次及以上; jilin 三(五) 半年内…3次以上
REFUSAL_MONTHS = 6
LOST_CONTACT_MONTHS = 6  # xinjiang 第十六条(八) 连续6个月


class IsoDate(Func):
    """A date as its 'YYYY-MM-DD' text (what date.isoformat() gives), on every database."""

    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return compiler.compile(self.source_expressions[0])  # SQLite stores dates as that text

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"TO_CHAR({sql}, 'YYYY-MM-DD')", params


class AddMonths(Func):
    """eligibility.dates.add_months in SQL: the same day `months` later or, where that month is shorter,
    its last day (民法典第二百零三条)."""

    output_field = DateField()

    def __init__(self, expression, months: int):
        super().__init__(expression)
        self.months = int(months)

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(({sql}) + MAKE_INTERVAL(months => {self.months}) AS DATE)", params

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite's '+n months' runs over into the next month (08-31 + 6 months = 03-03): the first of the
        # target month plus the day, capped at that month's length
        sql, params = compiler.compile(self.source_expressions[0])
        first = f"DATE({sql}, 'start of month', '+{self.months} months')"
        following = f"DATE({sql}, 'start of month', '+{self.months + 1} months')"
        length = f"CAST(JULIANDAY({following}) - JULIANDAY({first}) AS INTEGER)"
        day = f"CAST(SUBSTR({sql}, 9, 2) AS INTEGER)"
        return f"DATE({first}, '+' || (MIN({day}, {length}) - 1) || ' days')", params * 4


def _policies_with(reason: str) -> list[str]:
    return [p.code for p in policies.POLICIES.values() if any(r.code == reason for r in p.exit_reasons)]


def _without_open(reason: str) -> QuerySet[Recognition]:
    """Active recognitions under a policy with `reason` and no open proposal for it. The open proposal is
    looked up per candidate (a scalar subquery: one probe of the one_open_exit_per_reason index each),
    not by NOT EXISTS, which PostgreSQL turns into an anti join planned on the table's statistics: taken
    before today's proposals (a run right after a big one, in the same transaction or before autovacuum),
    they made it compare every candidate with every proposal, 12 s at 300k recognitions (issue 13)."""
    open_case = ExitCase.objects.filter(recognition=OuterRef("pk"), reason=reason, state=ExitState.PROPOSED)
    return (
        Recognition.objects.filter(active=True, policy_code__in=_policies_with(reason))
        .alias(open_case=Subquery(open_case.order_by().values("recognition")[:1]))
        .filter(open_case__isnull=True)
    )


def retirement_age(as_of: date) -> QuerySet[Recognition]:
    """第十六条(三) / 三(一): the statutory retirement date (stored at recognition) is reached."""
    return (
        _without_open("retirement_age")
        .filter(statutory_retirement_on__lte=as_of)
        .annotate(
            cause=Value("retirement_age"),
            effective=F("statutory_retirement_on"),
            detail=JSONObject(statutory_retirement_on=IsoDate("statutory_retirement_on")),
        )
    )


def refused_services(as_of: date) -> QuerySet[Recognition]:
    """第十六条(七) / 三(五): 3 or more refusals without good reason within the 6 months up to `as_of`.
    Counted from the refusals in the window (few), not over every recognition's services, so a day
    with nothing new reads little (issue 13: ≤ 1 s idle at 300k recognitions)."""
    since = add_months(as_of, -REFUSAL_MONTHS)
    window = ServiceRecord.objects.filter(outcome=Outcome.REFUSED, date__gte=since, date__lte=as_of).order_by()
    counted = window.values("recognition").annotate(n=Count("pk")).filter(n__gte=REFUSALS).values("recognition")
    own = window.filter(recognition=OuterRef("pk")).values("recognition")
    last = Subquery(own.annotate(last=Max("date")).values("last"))
    return (
        _without_open("refused_services")
        .filter(pk__in=counted)
        .annotate(
            cause=Concat(Value("refused_services:"), IsoDate(last)),
            effective=last,
            detail=JSONObject(
                refusals=Subquery(own.annotate(n=Count("pk")).values("n")), since=Value(since.isoformat())
            ),
        )
    )


def lost_contact(as_of: date) -> QuerySet[Recognition]:
    """xinjiang 第十六条(八): no successful contact and no service request for 6 consecutive months."""
    cutoff = add_months(as_of, -LOST_CONTACT_MONTHS)
    return (
        _without_open("lost_contact")
        .filter(last_contact_on__lte=cutoff)
        .annotate(
            cause=Concat(Value("lost_contact:"), IsoDate("last_contact_on")),
            effective=AddMonths("last_contact_on", LOST_CONTACT_MONTHS),
            detail=JSONObject(last_contact_on=IsoDate("last_contact_on")),
        )
    )


def policy_period_expired(as_of: date) -> QuerySet[Recognition]:
    """jilin 三(二): 享受就业援助政策期满 — the day after the assistance period's last day."""
    return (
        _without_open("policy_period_expired")
        .filter(assistance_ends_on__lt=as_of)
        .annotate(
            cause=Concat(Value("policy_period_expired:"), IsoDate("assistance_ends_on")),
            effective=F("assistance_ends_on"),
            detail=JSONObject(assistance_ends_on=IsoDate("assistance_ends_on")),
        )
    )


def employed_subsidy_ended(as_of: date) -> QuerySet[Recognition]:
    """xinjiang 第十六条(一): employed, and no difficulty subsidy still running on `as_of`
    (正在享受就业困难人员补贴政策的，延长至该政策享受期满)."""
    running = Subsidy.objects.filter(recognition=OuterRef("pk"), start__lte=as_of).filter(
        Q(end__isnull=True) | Q(end__gte=as_of)
    )
    subsidies = Subsidy.objects.filter(recognition=OuterRef("pk")).order_by().values("recognition")
    return (
        _without_open("employed")
        .filter(employed_on__isnull=False, employed_on__lte=as_of)
        .exclude(Exists(running))
        .alias(last_end=Subquery(subsidies.annotate(last=Max("end")).values("last")))
        .annotate(
            cause=Concat(Value("employed:"), IsoDate("employed_on")),
            effective=Case(When(last_end__gt=F("employed_on"), then=F("last_end")), default=F("employed_on")),
            detail=JSONObject(employed_on=IsoDate("employed_on"), subsidy_ended_on=IsoDate("last_end")),
        )
    )


RULES = {
    "retirement_age": retirement_age,
    "refused_services": refused_services,
    "lost_contact": lost_contact,
    "policy_period_expired": policy_period_expired,
    "employed": employed_subsidy_ended,
}


def propose(reason: str, found: QuerySet[Recognition], as_of: date) -> list[int]:
    """One proposal per recognition of `found` (a rule's queryset) that the constraints accept, with its
    first log entry and chain head (config.records.ChainHead). Returns the ids of the proposals created."""
    reasons = [(code, r) for code in _policies_with(reason) for r in policies.get(code).exit_reasons]
    reasons = [(code, r) for code, r in reasons if r.code == reason]
    columns = {  # every column of ExitCase: the INSERT … SELECT fills in no model default
        "recognition_id": F("pk"),
        "reason": Value(reason),
        "article": Case(*[When(policy_code=code, then=Value(r.article)) for code, r in reasons]),
        "reason_label": Case(*[When(policy_code=code, then=Value(r.label)) for code, r in reasons]),
        "source": Value(ExitSource.SWEEP.value),
        "cause": F("cause"),
        "detail": F("detail"),
        "state": Value(ExitState.PROPOSED.value),
        "effective_on": F("effective"),
        "proposed_on": Value(as_of, DateField()),
        "note": Value(""),
        "decision_note": Value(""),
        "objection_content": Value(""),
        "finding": Value(""),
        "log_seq": Value(0),
        "log_head": Value(""),
        "updated_at": Value(timezone.now()),
    }
    rows = found.order_by().annotate(**{f"c{n}": expr for n, expr in enumerate(columns.values())})
    select, params = rows.values(*[f"c{n}" for n in range(len(columns))]).query.sql_with_params()
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(ExitCase._meta.db_table)} ({', '.join(map(q, columns))}) {select}"
            " ON CONFLICT DO NOTHING RETURNING id",
            params,
        )
        created = [pk for (pk,) in cursor.fetchall()]
    if created:
        _log_proposed(created)
        first = ExitLog.objects.filter(case=OuterRef("pk"), prev_hash=GENESIS).values("hash")[:1]
        today_s = ExitCase.objects.filter(state=ExitState.PROPOSED, proposed_on=as_of, reason=reason, log_seq=0)
        today_s.filter(source=ExitSource.SWEEP).update(log_seq=1, log_head=Subquery(first))
    return created


def _log_proposed(cases: list[int]) -> None:
    """The first entry of each new proposal's chain, in one INSERT. The entries differ only in their case
    and hash: HashChained.body of one entry is split around its case id, and each hash is the keyed
    HMAC of the pieces (the same bytes `compute_hash` signs)."""
    now = timezone.now()
    entry = ExitLog(
        case_id=-987654321,
        name="propose",
        from_state="",
        to_state=ExitState.PROPOSED,
        actor=None,
        role="system",
        unit_code="",
        note="系统检测",
        payload={},
        at=now,
        prev_hash=GENESIS,
    )
    head, tail = (piece.encode() for piece in entry.body().decode().split(str(entry.case_id)))
    hashes = [keyed_hash(head + str(pk).encode() + tail) for pk in cases]
    q = connection.ops.quote_name
    constants = ["propose", "", ExitState.PROPOSED.value, "system", "", "系统检测", GENESIS]
    if connection.vendor == "postgresql":
        rows, pairs = "UNNEST(%s::bigint[], %s::varchar[]) AS v(case_id, hash)", [cases, hashes]
        case, digest, payload = "v.case_id", "v.hash", "CAST(%s AS jsonb)"
    else:
        rows, pairs = "JSON_EACH(%s) AS v", [json.dumps(list(zip(cases, hashes, strict=True)))]
        case, digest, payload = "JSON_EXTRACT(v.value, '$[0]')", "JSON_EXTRACT(v.value, '$[1]')", "%s"
    sql = f"""
        INSERT INTO {q(ExitLog._meta.db_table)}
            (case_id, hash, name, from_state, to_state, role, unit_code, note, prev_hash, actor_id, payload, at)
        SELECT {case}, {digest}, %s, %s, %s, %s, %s, %s, %s, NULL, {payload}, %s FROM {rows}
    """  # noqa: S608 -- only table names and fixed SQL are formatted in; every value is a parameter
    params = [*constants, "{}", connection.ops.adapt_datetimefield_value(now), *pairs]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def identity_checks_due(as_of: date) -> QuerySet[Recognition]:
    """xinjiang 第十七条 定期开展身份核验 (jilin 四(一) 动态维护): active recognitions whose check is due."""
    return Recognition.objects.filter(active=True, identity_check_due_on__lte=as_of)
