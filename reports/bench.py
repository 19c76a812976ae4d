"""`make bench` (issue 13): the measures, their budgets and the one table.

Each measure runs warm in this process through Django's test client (the whole middleware stack)
or calls the service itself; pages also re-run their own SQL on a bare cursor ("sql ms"), so the
table shows how close a page is to what the database needs. `MEASURES` is the list: a feature that
lands later (dashboard statistics, Excel export, notice PDFs) adds its entry there."""

import json
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from applications import workflow
from applications.models import Application, State
from applications.selectors import QueueFilters, application_queue
from config import sweeps
from eligibility.engine import evaluate

PAGE_MS = 50.0  # queue pages and the list API: p95 at the largest scale
GROWTH = 1.5  # ... and at most this many times their time at the smallest scale
TRANSITION_MS, TRANSITION_QUERIES = 20.0, 12
SWEEP_S, SWEEP_IDLE_S, SWEEP_MB = 5.0, 1.0, 150.0
EVALUATE_PER_S = 50_000


class Rollback(Exception):
    pass


@dataclass
class Result:
    name: str
    unit: str  # "ms", "s" or "/s"
    samples: list[float]
    budget: float | None  # upper bound (ms, s) or lower bound (/s)
    sql_ms: float | None = None
    queries: int | None = None
    note: str = ""
    growth: dict[str, float] = field(default_factory=dict)  # scale label → median
    query_counts: dict[str, int] = field(default_factory=dict)  # scale label → queries: must not grow

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def ok(self) -> bool:
        if self.budget is None:
            return True
        if self.unit == "/s":
            return self.median >= self.budget
        within = self.p95 <= self.budget
        if self.growth and self.unit == "ms" and len(self.growth) > 1:
            first = next(iter(self.growth.values()))
            within = within and self.median <= max(GROWTH * first, first + 5)  # 5 ms: timer noise at tiny scales
        fixed = len(set(self.query_counts.values())) <= 1  # the same queries at every scale
        return within and fixed and not self.note.startswith("FAIL")


def timed(func: Callable[[], object], repeat: int) -> list[float]:
    func()  # warm
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


# --- pages and the list API


def _client(username: str, api: bool = False) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")  # an ALLOWED_HOSTS name
    client.force_login(User.objects.get(username=username))
    return client


def _page(name: str, username: str, url: str, repeat: int) -> Result:
    client = _client(username)

    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code}")
        return response

    samples = timed(get, repeat)
    with CaptureQueriesContext(connection) as captured:
        get()
    sqls = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    response = get()
    empty = (
        not response.json()["results"]
        if "json" in response["Content-Type"]
        else b'href="/applications/' not in response.content
    )
    # an empty page skips the rows' query: only pages with rows are compared across scales
    return Result(name, "ms", samples, PAGE_MS, sql_ms=_raw_sql_ms(sqls, repeat), queries=None if empty else len(sqls))


def _raw_sql_ms(sqls: list[str], repeat: int) -> float:
    def run():
        with connection.cursor() as cursor:
            for sql in sqls:
                cursor.execute(sql)
                cursor.fetchall()

    return statistics.median(timed(run, max(3, repeat // 2)))


def page_measures(repeat: int) -> list[Result]:
    """The queues and the list API of a community, a county and the province (demo users), page 1
    and a deep page, state filters and the three searches."""
    sample = (
        Application.objects.filter(unit__code__startswith="650102", state=State.COUNTY_REVIEW)
        .select_related("applicant")
        .order_by("id")
        .first()
    )
    results = []
    for who, username in (("community", "xj_community"), ("county", "xj_county"), ("province", "xj_province")):
        user = User.objects.select_related("unit").get(username=username)
        total = application_queue(user=user, filters=QueueFilters()).count()
        deep, deep_api = max(1, min(50, total // 20)), max(1, min(50, total // 50))  # page 50, or the last
        results += [
            _page(f"queue {who} to-do p1", username, "/queue/", repeat),
            _page(f"queue {who} all p1", username, "/queue/?state=all", repeat),
            _page(f"queue {who} all deep", username, f"/queue/?state=all&page={deep}", repeat),
            _page(f"api {who} list p1", username, "/api/v1/applications/?page_size=50", repeat),
            _page(f"api {who} list deep", username, f"/api/v1/applications/?page_size=50&page={deep_api}", repeat),
        ]
    for state in (State.COUNTY_REVIEW, State.APPROVED):
        results.append(_page(f"queue county state={state}", "xj_county", f"/queue/?state={state}", repeat))
        results.append(
            _page(f"api province state={state}", "xj_province", f"/api/v1/applications/?state={state}", repeat)
        )
    if sample is not None:
        number, name = sample.applicant.id_number, sample.applicant.name
        for who, username in (("county", "xj_county"), ("province", "xj_province")):
            results += [
                _page(f"queue {who} search full ID", username, f"/queue/?state=all&q={number}", repeat),
                _page(f"queue {who} search ID prefix", username, f"/queue/?state=all&q={number[:10]}", repeat),
                _page(f"queue {who} search name", username, f"/queue/?state=all&q={name}", repeat),
            ]
    return results


# --- transitions, sweeps, the rules engine


def transition_measures(repeat: int) -> list[Result]:
    """accept and county_approve with log, deadline and notifications, each in a rolled-back transaction."""
    results = []
    for name, state, level in (("accept", State.SUBMITTED, 12), ("county_approve", State.COUNTY_REVIEW, 6)):
        candidates = list(
            Application.objects.filter(state=state).order_by("id").values_list("pk", "unit_id")[: repeat + 1]
        )
        officers = {u.unit_id: u for u in User.objects.select_related("unit").filter(
            unit_id__in={unit[:level].ljust(12, "0") for _, unit in candidates}, is_active=True)}  # fmt: skip
        if not candidates:
            results.append(Result(f"transition {name}", "ms", [0.0], TRANSITION_MS, note="no case"))
            continue
        samples, counts = [], []
        for pk, unit in candidates:
            actor = officers[unit[:level].ljust(12, "0")]  # the handling community's / the county's officer
            try:
                with transaction.atomic(), CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    workflow.application_transition(application_id=pk, name=name, actor=actor, opinion="同意")
                    samples.append((time.perf_counter() - started) * 1000)
                    counts.append(len(captured.captured_queries))
                    raise Rollback
            except Rollback:
                pass
        queries = max(counts)
        note = f"FAIL: {queries} queries > {TRANSITION_QUERIES}" if queries > TRANSITION_QUERIES else ""
        results.append(
            Result(f"transition {name}", "ms", samples[1:] or samples, TRANSITION_MS, queries=queries, note=note)
        )
    return results


def sweep_measures(as_of: date) -> list[Result]:
    """Every sweep with the generated backlog, then again with nothing left to do (twice: the same
    summary), all rolled back so the next run finds the same backlog."""
    results = []
    for name, func in sweeps.registered().items():
        try:
            with transaction.atomic():
                tracemalloc.start()
                started = time.perf_counter()
                first = func(as_of)
                backlog_s = time.perf_counter() - started
                peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
                tracemalloc.stop()
                started = time.perf_counter()
                second = func(as_of)
                idle_s = time.perf_counter() - started
                third = func(as_of)
                raise Rollback
        except Rollback:
            pass
        note = f"{_summary(first)}; MB {peak_mb:.0f}"
        if peak_mb > SWEEP_MB:
            note = f"FAIL: {note}"
        if second != third:
            note = f"FAIL: idle summaries differ; {note}"
        results.append(Result(f"sweep {name} backlog", "s", [backlog_s], SWEEP_S, note=note))
        results.append(Result(f"sweep {name} idle", "s", [idle_s], SWEEP_IDLE_S, note=_summary(second)))
    return results


def _summary(result: dict) -> str:
    return json.dumps({k: v for k, v in result.items() if isinstance(v, int | float)}, ensure_ascii=False)[:60]


def evaluate_measure() -> list[Result]:
    """The rules engine with its JSON result, on the facts of generated applications."""
    from eligibility.facts import facts_from_json

    rows = list(Application.objects.values_list("policy_code", "facts")[:500])
    facts = [(code, facts_from_json(f)) for code, f in rows]
    today = timezone.localdate()
    samples = []
    for _ in range(3):
        started, done = time.perf_counter(), 0
        while time.perf_counter() - started < 1.0:
            for code, f in facts:
                json.dumps(evaluate(code, f, today).as_dict(), ensure_ascii=False, default=str)
            done += len(facts)
        samples.append(done / (time.perf_counter() - started))
    return [Result("evaluate + JSON", "/s", samples, EVALUATE_PER_S)]


# --- the list of measures and the table

MEASURES: list[tuple[str, Callable[..., list[Result]]]] = [
    ("pages", page_measures),
    ("transitions", transition_measures),
]
# measured once, at the largest scale
FINAL_MEASURES: list[tuple[str, Callable[..., list[Result]]]] = [
    ("sweeps", lambda repeat: sweep_measures(timezone.localdate())),
    ("evaluate", lambda repeat: evaluate_measure()),
]


def table(results: list[Result], scales: list[str], header: str) -> str:
    lines = [
        header,
        "",
        "| measure | " + " | ".join(scales) + " | median | p95 | sql ms | queries | budget | ok |",
        "|---|" + "---|" * len(scales) + "---|---|---|---|---|---|",
    ]
    for r in results:
        growth = [f"{r.growth[s]:.1f}" if s in r.growth else "" for s in scales]
        budget = "" if r.budget is None else (f"≥ {r.budget:,.0f}" if r.unit == "/s" else f"≤ {r.budget:g} {r.unit}")
        lines.append(
            f"| {r.name} | "
            + " | ".join(growth)
            + f" | {r.median:,.1f} | {r.p95:,.1f} | {'' if r.sql_ms is None else f'{r.sql_ms:.1f}'}"
            + f" | {'' if r.queries is None else '/'.join(str(q) for q in r.query_counts.values()) or r.queries}"
            + f" | {budget} | {'ok' if r.ok else 'FAIL'} {r.note} |"
        )
    return "\n".join(lines)
