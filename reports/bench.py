"""`make bench` (issue 13): the measures, their budgets and the one table.

Each measure runs warm in this process through Django's test client (the whole middleware stack)
or calls the service itself; pages also re-run their own SQL on a bare cursor ("sql ms"), so the
table shows how close a page is to what the database needs. Each scale (10k, 100k, 1M) is its own
database, generated from empty (the 1M one first: its load time is a measure too), and the pages take
their samples at all scales in turns. `MEASURES` is the list: a feature that lands later (dashboard
statistics, Excel export, notice PDFs) adds its entry there."""

import html
import http.client
import itertools
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from applications import workflow
from applications.models import Application, State
from applications.selectors import QueueFilters, application_queue
from config import sweeps
from eligibility.engine import evaluate
from reports.loadgen import server_execute

LOAD_ROWS, LOAD_S = 1_000_000, 180.0  # generate_load_data of the full province on an empty database
PAGE_MS = 50.0  # queue pages and the list API: p95 at the largest scale
GROWTH = 1.5  # ... and at most this many times their time at the smallest scale (10k at the default scale)
GROWTH_SLACK_MS = 5.0  # added to that bound below the default scale only, where the smallest scale takes a few ms
TRANSITION_MS, TRANSITION_QUERIES = 20.0, 12
SWEEP_S, SWEEP_IDLE_S, SWEEP_MB = 5.0, 1.0, 150.0
EVALUATE_PER_S = 50_000
STATS_MS = 100.0  # the province's dashboard statistics, p95
EXPORT_ROWS, EXPORT_S, EXPORT_MB = 100_000, 30.0, 300.0
PDF_S = {50: 1.0, 1000: 5.0}  # notice lines → seconds
HTTP_CLIENTS, HTTP_WORKERS = 8, 2
LIST_RATIO, PROGRESS_RATIO, PROGRESS_MS = 0.15, 0.6, 20.0


class Rollback(Exception):
    pass


@dataclass
class Result:
    name: str
    unit: str  # "ms", "s", "MB" (upper bounds) or "/s", "×" (lower bounds)
    samples: list[float]
    budget: float | None
    sql_ms: float | None = None
    queries: int | None = None
    note: str = ""
    growth: dict[str, float] = field(default_factory=dict)  # scale label → median
    query_counts: dict[str, int] = field(default_factory=dict)  # scale label → queries: must not grow
    flat: bool = False  # judged on growth too: its median at most GROWTH × its median at the smallest scale
    slack_ms: float = 0.0  # added to that bound (timer noise when the smallest scale takes a few ms)

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
        if self.unit in ("/s", "×"):
            return self.median >= self.budget and not self.note.startswith("FAIL")
        within = self.p95 <= self.budget
        if self.flat and len(self.growth) > 1:
            first = next(iter(self.growth.values()))
            within = within and self.median <= GROWTH * first + self.slack_ms
        fixed = len(set(self.query_counts.values())) <= 1  # the same queries at every scale
        return within and fixed and not self.note.startswith("FAIL")


# --- the scales, a database each


@dataclass(eq=False)
class Scale:
    """The province generated at one size, in the bench's own database (the largest: `database` None)
    or in one beside it."""

    size: int
    database: BaseDatabaseWrapper | None = None

    @property
    def label(self) -> str:
        return f"{self.size:,}"

    @contextmanager
    def active(self):
        """The ORM, the test client and `connection` on this scale's database within the block (a
        replica's alias too: the dashboard's reads, config.replica)."""
        if self.database is None:
            yield
            return
        before = {alias: connections[alias] for alias in connections}
        for alias in before:
            connections[alias] = self.database
        try:
            yield
        finally:
            for alias, database in before.items():
                connections[alias] = database


def side_database(size: int) -> BaseDatabaseWrapper:
    """A new, empty database beside the bench's own for a smaller scale, `<name>__bench<size>` (a file
    beside it on SQLite); one a stopped run left behind is dropped first."""
    own = connection.settings_dict
    if connection.vendor == "sqlite":
        if connection.is_in_memory_db():
            raise CommandError("make bench 需要数据库文件或 PostgreSQL，不能用内存数据库。")
        path = Path(own["NAME"])
        name = str(path.with_name(f"{path.stem}__bench{size}{path.suffix}"))
    else:
        name = f"{own['NAME']}__bench{size}"
    database = load_backend(own["ENGINE"]).DatabaseWrapper({**own, "NAME": name}, DEFAULT_DB_ALIAS)
    drop_side_database(database)
    if database.vendor == "postgresql":
        server_execute(database.settings_dict, f'CREATE DATABASE "{name}"')
    return database


def drop_side_database(database: BaseDatabaseWrapper) -> None:
    database.close()
    name = database.settings_dict["NAME"]
    if database.vendor == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
    else:
        server_execute(database.settings_dict, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def load_result(size: int, seconds: float) -> Result:
    """generate_load_data's own time: LOAD_S for the full province, scaled below (no less than a tenth)."""
    note = "" if size >= LOAD_ROWS else f"budget scaled from {LOAD_S:g} s for {LOAD_ROWS:,}"
    budget = LOAD_S * max(size, LOAD_ROWS // 10) / LOAD_ROWS
    return Result(f"generate_load_data {size:,} applications", "s", [seconds], budget, note=note)


def grown(earlier: Result | None, result: Result, label: str) -> Result:
    """`result`, measured at the scale `label`, with the medians and query counts of the smaller scales."""
    result.growth = {**(earlier.growth if earlier else {}), label: result.median}
    if result.queries is not None:
        result.query_counts = {**(earlier.query_counts if earlier else {}), label: result.queries}
    return result


def timed(func: Callable[[], object], repeat: int) -> list[float]:
    func()  # warm
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


# --- pages and the list API


def _client(username: str) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")  # an ALLOWED_HOSTS name
    client.force_login(User.objects.get(username=username))
    return client


def _get(client: Client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url}: {response.status_code}")
    return response


def _queries(client: Client, url: str) -> tuple[list[str], bool]:
    """The page's SQL, and whether the page is empty: it then skips the rows' query, so only pages
    with rows are compared across scales."""
    with CaptureQueriesContext(connection) as captured:
        response = _get(client, url)
    if "json" in response["Content-Type"]:
        empty = not response.json()["results"]
    else:
        empty = b'href="/applications/' not in response.content
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))], empty


def _raw_sql_ms(sqls: list[str], repeat: int) -> float:
    def run():
        with connection.cursor() as cursor:
            for sql in sqls:
                cursor.execute(sql)
                cursor.fetchall()

    return statistics.median(timed(run, max(3, repeat // 2)))


def _page_plan() -> dict[str, tuple[Client, str]]:
    """The pages measured, in the active database: the queues and the list API of a community, a
    county and the province (demo users), page 1 and a deep page, state filters and the searches (an
    ID number, its prefix, a name, a surname alone, a name in the other orders): name → (a signed-in
    client, the address)."""
    sample = (
        Application.objects.filter(unit__code__startswith="650102", state=State.COUNTY_REVIEW)
        .select_related("applicant")
        .order_by("id")
        .first()
    )
    plan = {}
    for who, username in (("community", "xj_community"), ("county", "xj_county"), ("province", "xj_province")):
        user = User.objects.select_related("unit").get(username=username)
        total = application_queue(user=user, filters=QueueFilters()).count()
        deep, deep_api = max(1, min(50, total // 20)), max(1, min(50, total // 50))  # page 50, or the last
        plan |= {
            f"queue {who} to-do p1": (_client(username), "/queue/"),
            f"queue {who} all p1": (_client(username), "/queue/?state=all"),
            f"queue {who} all deep": (_client(username), _deep(username, "/queue/?state=all", deep)),
            f"api {who} list p1": (_client(username), "/api/v1/applications/?page_size=50"),
            f"api {who} list deep": (
                _client(username),
                _deep(username, "/api/v1/applications/?page_size=50", deep_api),
            ),
        }
    for state in (State.COUNTY_REVIEW, State.APPROVED):
        plan[f"queue county state={state}"] = (_client("xj_county"), f"/queue/?state={state}")
        plan[f"api province state={state}"] = (_client("xj_province"), f"/api/v1/applications/?state={state}")
    if sample is not None:
        number, name = sample.applicant_id_number, sample.applicant_name
        # and a surname alone (thousands share it, nobody bears it as a name) and a name in the other orders
        searches = [
            ("full ID", number, ""),
            ("ID prefix", number[:10], ""),
            ("name", name, ""),
            ("surname", name[0], ""),
            ("name by received", name, "-received"),
            ("name by state", name, "state"),
        ]
        for who, username in (("county", "xj_county"), ("province", "xj_province")):
            for what, q, sort in searches:
                client = _client(username)
                # the query is posted and kept in the session (issue 12): the page is its ?k= address
                url = client.post("/queue/", {"state": "all", "q": q})["Location"] + (f"&sort={sort}" if sort else "")
                plan[f"queue {who} search {what}"] = (client, url)
    return plan


def page_measures(repeat: int, scales: list[Scale]) -> list[Result]:
    """Every page of `_page_plan` at every scale, its samples taken in turns (one at each scale, then
    the next round), so the growth from the smallest to the largest scale compares the same moments of
    a machine whose speed drifts over minutes (a bench that measured 10k first and 1M four minutes
    later read 24 vs 40 ms; the same two pages in turns, 29 vs 32 ms). The raw SQL at the largest."""
    plans = {}
    for scale in scales:
        with scale.active():
            plans[scale] = _page_plan()
    largest = scales[-1]
    results = []
    for name in plans[largest]:
        present = [scale for scale in scales if name in plans[scale]]
        samples: dict[Scale, list[float]] = {scale: [] for scale in present}
        for turn in range(repeat + 1):  # the first warms
            for scale in present:
                with scale.active():
                    started = time.perf_counter()
                    _get(*plans[scale][name])
                    if turn:
                        samples[scale].append((time.perf_counter() - started) * 1000)
        counts = {}
        for scale in present:
            with scale.active():
                sqls, empty = _queries(*plans[scale][name])
                if not empty:
                    counts[scale.label] = len(sqls)
                if scale is largest:
                    sql_ms = _raw_sql_ms(sqls, repeat)
        result = Result(name, "ms", samples[largest], PAGE_MS, sql_ms=sql_ms, queries=counts.get(largest.label))
        result.growth = {scale.label: statistics.median(samples[scale]) for scale in present}
        result.query_counts, result.flat = counts, True
        results.append(result)
    return results


def _deep(username: str, url: str, pages: int) -> str:
    """The address of page `pages` of a list, by its next links (pages go by cursor, issue 13)."""
    client = _client(username)
    for _ in range(pages - 1):
        response = client.get(url)
        if "json" in response["Content-Type"]:
            link = response.json()["next"]
        else:
            found = re.search(r'href="([^"]+)" rel="next"', response.content.decode())
            link = html.unescape(found.group(1)) if found else None
        if not link:
            break
        parts = urlsplit(link)
        url = f"{parts.path or urlsplit(url).path}?{parts.query}"
    return url


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
    summary), all rolled back so the next run finds the same backlog. Its memory is traced in a first
    run rolled back to a savepoint, so tracing does not slow the timed run."""
    results = []
    for name, func in sweeps.registered().items():
        try:
            with transaction.atomic():
                with suppress(Rollback), transaction.atomic():
                    tracemalloc.start()
                    func(as_of)
                    peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
                    tracemalloc.stop()
                    raise Rollback
                started = time.perf_counter()
                first = func(as_of)
                backlog_s = time.perf_counter() - started
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


def server_settings() -> str:
    """The database settings a run used (README "Scale"), for the table's header."""
    db = settings.DATABASES["default"]
    line = f"CONN_MAX_AGE={db.get('CONN_MAX_AGE', 0)}"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for name in ("shared_buffers", "work_mem", "maintenance_work_mem", "effective_cache_size",
                         "max_wal_size", "random_page_cost", "max_connections"):  # fmt: skip
                cursor.execute(f"SHOW {name}")
                line += f", {name}={cursor.fetchone()[0]}"
    return line


def _summary(result: dict) -> str:
    """The counts of a sweep's summary, those of a nested dict (detect_exits' per reason) flattened."""
    counts = {}
    for key, value in result.items():
        if isinstance(value, dict):
            counts.update({f"{key}.{k}": v for k, v in value.items() if isinstance(v, int | float) and v})
        elif isinstance(value, int | float):
            counts[key] = value
    return json.dumps(counts, ensure_ascii=False)[:90]


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
                evaluate(code, f, today).as_json()  # the JSON the evaluation fields store (config.fields)
            done += len(facts)
        samples.append(done / (time.perf_counter() - started))
    return [Result("evaluate + JSON", "/s", samples, EVALUATE_PER_S)]


# --- the dashboard, the Excel export and the notice PDF


def stats_measure(repeat: int) -> list[Result]:
    """The province's dashboard statistics as GET /api/v1/stats/ serves them (reports.stats)."""
    client = _client("xj_province")

    def get():
        response = client.get("/api/v1/stats/")
        if response.status_code != 200:
            raise RuntimeError(f"/api/v1/stats/: {response.status_code}")

    samples = timed(get, repeat)
    with CaptureQueriesContext(connection) as captured:
        get()
    return [Result("stats province (api)", "ms", samples, STATS_MS, queries=len(captured.captured_queries))]


def export_measure() -> list[Result]:
    """The county's applications as Excel through reports.services (the queued job's path above
    EXPORT_ASYNC_ROWS), up to EXPORT_ROWS rows: the demo county holds one case in ten, so 100,000 at
    1M; at a smaller scale all its rows, with the time budget scaled to them. Memory: the peak growth
    of this process's resident set while it runs. Rolled back; the file is deleted."""
    from reports import services

    user = User.objects.select_related("unit").get(username="xj_county")
    params = {"state": "all"}
    try:
        with transaction.atomic(), _peak_rss() as memory:
            started = time.perf_counter()
            built = services.export_start(user=user, kind="applications", params=params)
            if not isinstance(built, services.Built):
                built = services.export_build(job_id=built.pk)
                Path(built.file.path).unlink(missing_ok=True)
                rows = built.written
            else:
                rows = built.rows
            seconds = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    budget = EXPORT_S * max(rows, 10_000) / EXPORT_ROWS
    note = f"{rows:,} rows; MB {memory.mb:.0f} (≤ {EXPORT_MB:.0f})"
    if rows < EXPORT_ROWS:
        note += f"; budget scaled from {EXPORT_S:g} s for {EXPORT_ROWS:,}"
    if memory.mb > EXPORT_MB:
        note = f"FAIL: {note}"
    return [Result("export applications xlsx (county)", "s", [seconds], budget, note=note)]


def pdf_measures() -> list[Result]:
    """A notice of 50 and of 1,000 lines rendered by publicity.pdf with the formal fonts (rolled back)."""
    from publicity import pdf
    from publicity.models import Notice, NoticeLine

    results = []
    for lines in PDF_S:
        model = Notice.objects.order_by("id").first()
        applications = list(Application.objects.order_by("id").values_list("pk", flat=True)[:lines])
        if model is None or not applications:
            continue
        try:
            with transaction.atomic():
                model.pk = None
                model.save()
                line = {"name": "阿依古丽·买买提", "categories": "低保家庭人员", "place": "第1-1-1-1社区"}
                NoticeLine.objects.bulk_create(
                    NoticeLine(notice=model, application_id=pk, seq=seq, masked_id_number="650102********1234", **line)
                    for seq, pk in enumerate(applications, 1)
                )
                started = time.perf_counter()
                data = pdf.render(model)
                seconds = time.perf_counter() - started
                raise Rollback
        except Rollback:
            pass
        note = f"{len(data) // 1024} KB" + ("" if len(applications) == lines else f"; only {len(applications)} lines")
        results.append(Result(f"notice pdf {lines} lines", "s", [seconds], PDF_S[lines], note=note))
    return results


@contextmanager
def _peak_rss():
    """`.mb` after the block: how far this process's resident set grew at its peak (sampled every 20 ms)."""

    def rss() -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    box, stop = type("Peak", (), {"mb": 0.0})(), threading.Event()
    base = peak = rss()

    def watch():
        nonlocal peak
        while not stop.wait(0.02):
            peak = max(peak, rss())

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield box
    finally:
        stop.set()
        watcher.join()
        box.mb = (max(peak, rss()) - base) / 2**20


# --- throughput over HTTP: gunicorn (2 workers) and 8 clients, the app against bare views


def http_measures(seconds: float) -> list[Result]:
    """API list ÷ a bare DRF view with the same token authentication, and the public progress look-up
    ÷ a bare Django JSON view, each as requests per second of 8 clients against one gunicorn with 2
    workers (reports/bench_wsgi.py adds the bare views; production has none); the look-up's latency
    from one client. Needs the data committed: inside a test's transaction it is skipped.

    The server runs as production does behind one reverse proxy (NUM_PROXIES=1) with the production rate
    limits, and each request comes from its own client address (X-Forwarded-For, as the proxy writes it):
    the many people who each look up their own case, every look-up checked and counted by the limiter.
    Eight clients from one address under a limit raised to 100,000,000/min would instead time a limiter
    holding the last minute's 60,000 requests of one address, which production never sees."""
    names = ["http api list ÷ bare DRF", "http progress ÷ bare JSON", "http progress p95 (1 client)"]
    if connection.in_atomic_block or connection.vendor == "sqlite":
        skipped = "skipped: needs committed data on a server database"
        return [Result(name, "×", [0.0], None, note=skipped) for name in names]
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=User.objects.get(username="xj_county"))
    sample = (
        Application.objects.filter(unit__code__startswith="650102").select_related("applicant").order_by("id").first()
    )
    auth = {"Authorization": f"Token {token.key}"}
    body = json.dumps({"reference": sample.reference, "id_number": sample.applicant.id_number})
    post = {"Content-Type": "application/json"}
    with _gunicorn() as port:
        api, _ = _hammer(port, "GET", "/api/v1/applications/", None, auth, seconds)
        bare, _ = _hammer(port, "GET", "/bench/bare-list/", None, auth, seconds)
        look, _ = _hammer(port, "POST", "/api/v1/progress/", body, post, seconds)
        plain, _ = _hammer(port, "POST", "/bench/bare-json/", "{}", post, seconds)
        _, one = _hammer(port, "POST", "/api/v1/progress/", body, post, seconds / 2, clients=1)
    return [
        Result(names[0], "×", [api / bare], LIST_RATIO, note=f"{api:,.0f} vs {bare:,.0f} req/s (county, page 1)"),
        Result(names[1], "×", [look / plain], PROGRESS_RATIO, note=f"{look:,.0f} vs {plain:,.0f} req/s"),
        Result(names[2], "ms", one, PROGRESS_MS, note=f"{len(one):,} requests"),
    ]


@contextmanager
def _gunicorn():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "NUM_PROXIES": "1",  # the client address is the proxy's last X-Forwarded-For entry (config.throttling)
    }
    server = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "gunicorn", "reports.bench_wsgi", "--workers", str(HTTP_WORKERS),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=settings.BASE_DIR, env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            with suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


_addresses = itertools.count(1)


def _next_address() -> str:
    """A client address not used before in this process (10.0.0.1, 10.0.0.2, …)."""
    n = next(_addresses)
    return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


def _hammer(port, method, path, body, headers, seconds, clients=HTTP_CLIENTS) -> tuple[float, list[float]]:
    """Requests per second of `clients` threads sending the request for `seconds`, and the latencies (ms)."""
    latencies: list[float] = []
    failures: list[int] = []

    def client(stop: float):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.perf_counter() < stop:
            started = time.perf_counter()
            conn.request(method, path, body=body, headers={**headers, "X-Forwarded-For": _next_address()})
            response = conn.getresponse()
            response.read()
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                failures.append(response.status)
        conn.close()

    client(time.perf_counter() + 0.5)  # warm both workers' code paths
    latencies.clear()
    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(started + seconds,)) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{method} {path}: {len(failures)} answers not 200, e.g. {failures[0]}")
    return len(latencies) / (time.perf_counter() - started), latencies


# --- the list of measures and the table

# at every scale, after page_measures (in turns at all scales)
MEASURES: list[tuple[str, Callable[..., list[Result]]]] = [
    ("transitions", transition_measures),
    ("stats", stats_measure),
]
# measured once, at the largest scale
FINAL_MEASURES: list[tuple[str, Callable[..., list[Result]]]] = [
    ("sweeps", lambda repeat: sweep_measures(timezone.localdate())),
    ("evaluate", lambda repeat: evaluate_measure()),
    ("export", lambda repeat: export_measure()),
    ("pdf", lambda repeat: pdf_measures()),
    ("http", lambda repeat: http_measures(float(os.environ.get("BENCH_HTTP_SECONDS", "5")))),
]


def table(results: list[Result], scales: list[str], header: str) -> str:
    lines = [
        header,
        "",
        "| measure | " + " | ".join(scales) + " | median | p95 | sql ms | queries | budget | ok |",
        "|---|" + "---|" * len(scales) + "---|---|---|---|---|---|",
    ]
    for r in results:
        digits = 3 if r.unit == "×" else 1  # a ratio of 0.035 is not "0.0"
        growth = [f"{r.growth[s]:.1f}" if s in r.growth else "" for s in scales]
        budget = (
            ""
            if r.budget is None
            else f"≥ {r.budget:,.0f}"
            if r.unit == "/s"
            else f"≥ {r.budget:g}×"
            if r.unit == "×"
            else f"≤ {r.budget:g} {r.unit}"
        )
        lines.append(
            f"| {r.name} | "
            + " | ".join(growth)
            + f" | {r.median:,.{digits}f} | {r.p95:,.{digits}f} | {'' if r.sql_ms is None else f'{r.sql_ms:.1f}'}"
            + f" | {'' if r.queries is None else '/'.join(str(q) for q in r.query_counts.values()) or r.queries}"
            + f" | {budget} | {'ok' if r.ok else 'FAIL'} {r.note} |"
        )
    return "\n".join(lines)
