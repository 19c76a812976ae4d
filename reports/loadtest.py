"""The load proof (issue 12, proof 4): `run(clients=100, seconds=60)` against gunicorn with the production
settings (`make serve`'s: DJANGO_ENV=production, a generated SECRET_KEY, the static files collected into a
temporary folder) on this process's PostgreSQL database, which holds generated cases
(`manage.py generate_load_data`).

Clients are threads over http.client (no load library is installed; a client is one blocking loop, as a
person at a desk is), on loopback, in three kinds:
- readers: staff signed in through the login page reading `/queue/`, and by token `/api/v1/applications/`;
- deciders: staff with their own tokens taking cases one step on (`POST …/transitions/{name}/`), several
  on the same few cases at once, so that some lose the race (409) and read the case again;
- the public: `POST /api/v1/progress/` with real and wrong (reference, ID number) pairs, each look-up
  from its own loopback address (127.x.y.z: one person each), as the per-client limit counts them.

Afterwards the database is checked against the answers: each transition answered 200 is in its case's
log exactly once, no log entry was written without a 200, each case's state is its last entry's target,
and every log chain verifies. Pass: that, and no 5xx."""

import http.client
import json
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from rest_framework.authtoken.models import Token

from accounts.models import User
from applications.logchain import verify_chains
from applications.models import Application, State, TransitionLog

# The next step of a case and who takes it (DESIGN.md §5); publishing goes through notices, so a case
# waiting for its notice is withdrawn instead.
NEXT = {
    State.SUBMITTED: ("accept", "community"),
    State.INITIAL_REVIEW: ("pass_initial_review", "community"),
    State.PENDING_NOTICE: ("withdraw", "community"),
    State.TOWNSHIP_REVIEW: ("township_approve", "township"),
    State.COUNTY_REVIEW: ("county_approve", "county"),
}
REASON = {"withdraw": "申请人本人要求撤回。"}
EXPECTED = {  # statuses that are answers, not faults
    "queue": {200},
    "list": {200},
    "detail": {200},
    "transition": {200, 400, 409},  # 400: a generated person past working age fails the initial review (第五条)
    "progress": {200, 404},
}
PASSWORD = "load-test-" + secrets.token_urlsafe(12)
# The pages under load reference only our own static files: the API docs' bundles, the admin's and the
# browsable API's are not collected (compressing their 25 MB takes minutes on two shared cores).
IGNORED_STATIC = ["--ignore", "redoc", "--ignore", "drf_spectacular_sidecar", "--ignore", "admin"]
IGNORED_STATIC += ["--ignore", "rest_framework"]


@dataclass
class Result:
    clients: int
    seconds: float
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    answered: Counter = field(default_factory=Counter)  # (case, transition) answered 200
    samples: dict = field(default_factory=dict)  # (kind, status) → the first answer of an unexpected status
    checks: dict = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return sum(sum(c.values()) for c in self.statuses.values())

    @property
    def errors_5xx(self) -> int:
        return sum(n for c in self.statuses.values() for status, n in c.items() if status >= 500 or status == 0)

    @property
    def unexpected(self) -> dict[str, dict[int, int]]:
        return {
            kind: {s: n for s, n in c.items() if s not in EXPECTED[kind]}
            for kind, c in self.statuses.items()
            if set(c) - EXPECTED[kind]
        }

    @property
    def ok(self) -> bool:
        c = self.checks
        return (
            self.errors_5xx == 0
            and not c.get("missing")
            and not c.get("unanswered")
            and not c.get("wrong_state")
            and c.get("broken_chains") == 0
        )

    def table(self) -> str:
        rows = [
            f"load: {self.clients} clients × {self.seconds:.0f} s on loopback, gunicorn + PostgreSQL, "
            f"{self.requests} requests, {self.requests / self.seconds:.1f} req/s, 5xx: {self.errors_5xx}",
            "| kind | requests | req/s | p50 ms | p95 ms | statuses |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for kind in ("queue", "list", "transition", "detail", "progress"):
            times = sorted(self.latencies.get(kind, []))
            if not times:
                continue
            statuses = ", ".join(f"{s}: {n}" for s, n in sorted(self.statuses[kind].items()))
            rows.append(
                f"| {kind} | {len(times)} | {len(times) / self.seconds:.1f} | {pct(times, 50):.0f} | "
                f"{pct(times, 95):.0f} | {statuses} |"
            )
        c = self.checks
        rows.append(
            f"transitions answered 200: {sum(self.answered.values())} on {len(self.answered)} (case, step) pairs; "
            f"log entries written: {c.get('logged')}; missing from the log: {c.get('missing')}; "
            f"logged without a 200: {c.get('unanswered')}; state ≠ last entry: {c.get('wrong_state')}; "
            f"chains verified: {c.get('chains')} (broken: {c.get('broken_chains')})"
        )
        return "\n".join(rows)


def pct(values: list[float], p: int) -> float:
    return values[min(len(values) - 1, len(values) * p // 100)] * 1000


class Server:
    """gunicorn as `make serve` starts it, on a free port, with the static files in a temporary folder."""

    def __init__(self, *, database_url: str, redis_url: str = "", workers: int = 3):
        self.folder = Path(tempfile.mkdtemp(prefix="loadtest-"))
        self.port = _free_port()
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ("TEST_DB_NAME", "REDIS_URL")},
            "DJANGO_ENV": "production",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "LOG_CHAIN_KEY": settings.LOG_CHAIN_KEY,  # the chains this process wrote and will verify
            "DATABASE_URL": database_url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_ROOT": str(self.folder / "static"),
            **({"REDIS_URL": redis_url} if redis_url else {}),
        }
        self.workers = workers
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        bindir = Path(sys.executable).parent
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0", *IGNORED_STATIC],
            cwd=settings.BASE_DIR,
            env=self.env,
            check=True,
        )
        self.log = (self.folder / "gunicorn.log").open("w")
        command = [str(bindir / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", str(self.workers), "--timeout", "120", "--error-logfile", "-"]
        self.process = subprocess.Popen(  # noqa: S603
            command,
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while _request(self.port, "GET", "/accounts/login/")[0] != 200:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start: {(self.folder / 'gunicorn.log').read_text()[-2000:]}")
            time.sleep(0.2)
        return self

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.log.close()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(port, method, path, *, body=None, headers=None, source="127.0.0.1") -> tuple[int, bytes, dict]:
    """One request on its own connection (gunicorn's sync workers close each one). Status 0: no answer."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120, source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    except OSError:
        return 0, b"", {}
    finally:
        conn.close()


class Cases:
    """The cases the deciders work on, shared: each decider picks among the first `hot` still open, so
    several act on one case at once."""

    def __init__(self, states: dict[int, str], hot: int):
        self.lock = threading.Lock()
        self.states = dict(states)
        self.open = [pk for pk, state in states.items() if state in NEXT]
        self.hot = hot

    def pick(self, rng: random.Random) -> tuple[int, str] | None:
        with self.lock:
            if not self.open:
                return None
            pk = rng.choice(self.open[: self.hot])
            return pk, self.states[pk]

    def seen(self, pk: int, state: str) -> None:
        with self.lock:
            self.states[pk] = state
            if state not in NEXT and pk in self.open:
                self.open.remove(pk)


def prepare(*, clients: int, seconds: float) -> dict:
    """Who does what: tokens for every officer the chosen cases need, readers' passwords, look-up pairs."""
    deciders = max(1, clients * 4 // 10)
    wanted = min(4000, max(50, int(deciders * seconds * 2)))
    cases = list(
        Application.objects.filter(state__in=list(NEXT))
        .order_by("?")
        .values_list("pk", "state", "handling_unit_id", "unit_id")[:wanted]
    )
    if not cases:
        raise RuntimeError("no open cases: run manage.py generate_load_data first")
    units = {code for _, _, handling, unit in cases for code in (handling, f"{unit[:9]}000", f"{unit[:6]}000000")}
    officers = {}
    for user in User.objects.filter(unit_id__in=units, is_active=True).order_by("-pk"):
        officers.setdefault(user.unit_id, user)  # one officer per unit (generated ones are the newest)
    tokens = {t.user_id: t.key for t in Token.objects.filter(user__in=officers.values())}
    fresh = [Token(user=u, key=Token.generate_key()) for u in officers.values() if u.pk not in tokens]
    Token.objects.bulk_create(fresh)
    tokens.update({t.user_id: t.key for t in fresh})
    actors = {}
    for pk, _, handling, unit in cases:
        who = {"community": handling, "township": f"{unit[:9]}000", "county": f"{unit[:6]}000000"}
        actors[pk] = {role: tokens[officers[code].pk] for role, code in who.items() if code in officers}

    readers = [officers[handling] for _, _, handling, _ in cases[: max(1, clients * 3 // 10)] if handling in officers]
    hasher = PBKDF2PasswordHasher()  # production's hasher, whatever this process's settings use
    User.objects.filter(pk__in=[u.pk for u in readers]).update(password=hasher.encode(PASSWORD, hasher.salt()))
    pairs = list(Application.objects.all().order_by("?").values_list("reference", "applicant__id_number")[:500])
    return {
        "cases": Cases({pk: state for pk, state, _, _ in cases}, hot=max(2, deciders // 4)),
        "actors": actors,
        "readers": [(u.username, tokens[u.pk]) for u in readers],
        "pairs": pairs,
        "deciders": deciders,
        "last_log": TransitionLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
    }


def run(*, clients: int, seconds: float, database_url: str, redis_url: str = "", workers: int = 3) -> Result:
    plan = prepare(clients=clients, seconds=seconds)
    result = Result(clients=clients, seconds=seconds)
    lock = threading.Lock()
    addresses = iter(range(1, 10**9))

    with Server(database_url=database_url, redis_url=redis_url, workers=workers) as server:
        port = server.port

        def call(kind, method, path, **kw):
            started = time.monotonic()
            status, body, headers = _request(port, method, path, **kw)
            with lock:
                result.latencies[kind].append(time.monotonic() - started)
                result.statuses[kind][status] += 1
                if status not in EXPECTED[kind]:
                    result.samples.setdefault((kind, status), f"{method} {path}: {body[:300].decode(errors='replace')}")
            return status, body, headers

        def reader(n: int, until: float) -> None:
            username, token = plan["readers"][n % len(plan["readers"])]
            cookie = cookies[username]
            while time.monotonic() < until:
                call("queue", "GET", "/queue/", headers={"Cookie": cookie})
                call("list", "GET", "/api/v1/applications/", headers={"Authorization": f"Token {token}"})

        def decider(n: int, until: float) -> None:
            rng = random.Random(n)  # noqa: S311
            cases: Cases = plan["cases"]
            while time.monotonic() < until:
                picked = cases.pick(rng)
                if picked is None:
                    return
                pk, state = picked
                name, role = NEXT[state]
                if rng.random() < 0.1:
                    name, role = "withdraw", "community"  # and a withdrawal races the next step
                token = plan["actors"][pk].get(role)
                if token is None:
                    cases.seen(pk, State.WITHDRAWN)  # nobody to act: leave it
                    continue
                auth = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
                payload = json.dumps({"reason": REASON[name]} if name in REASON else {})
                path = f"/api/v1/applications/{pk}/transitions/{name}/"
                status, body, _ = call("transition", "POST", path, body=payload, headers=auth)
                if status == 200:
                    with lock:
                        result.answered[(pk, name)] += 1
                    cases.seen(pk, json.loads(body)["state"])
                elif status == 409:  # another decider was first: read the case again
                    status, body, _ = call("detail", "GET", f"/api/v1/applications/{pk}/", headers=auth)
                    if status == 200:
                        cases.seen(pk, json.loads(body)["state"])
                else:
                    cases.seen(pk, State.WITHDRAWN)  # refused by its article (400) or unexpected: leave it

        def public(n: int, until: float) -> None:
            rng = random.Random(10_000 + n)  # noqa: S311
            while time.monotonic() < until:
                reference, id_number = rng.choice(plan["pairs"])
                if rng.random() < 0.1:  # someone else's number: answered like an unknown reference
                    id_number = rng.choice(plan["pairs"])[1]
                with lock:
                    a = next(addresses)
                source = f"127.{1 + a // 62500 % 250}.{a // 250 % 250}.{a % 250 + 1}"  # a person of their own
                body = json.dumps({"reference": reference, "id_number": id_number})
                call("progress", "POST", "/api/v1/progress/", body=body,
                     headers={"Content-Type": "application/json"}, source=source)  # fmt: skip

        with ThreadPoolExecutor(max_workers=workers) as pool:  # signed in before the clock starts
            names = [username for username, _ in plan["readers"]]
            cookies = dict(zip(names, pool.map(lambda name: login(port, name), names), strict=True))
        kinds = [reader] * max(1, clients * 3 // 10) + [decider] * plan["deciders"]
        kinds += [public] * max(0, clients - len(kinds))
        ready = threading.Barrier(len(kinds) + 1)

        def client(kind, n):
            ready.wait()
            kind(n, start + seconds)

        threads = [threading.Thread(target=client, args=(kind, n), daemon=True) for n, kind in enumerate(kinds)]
        for thread in threads:
            thread.start()
        start = time.monotonic()
        ready.wait()
        for thread in threads:
            thread.join(timeout=seconds + 180)
        result.seconds = time.monotonic() - start

    result.checks = check(result.answered, plan["last_log"])
    return result


def login(port: int, username: str) -> str:
    """Signs in through the login page as a browser does; returns the Cookie header."""
    status, page, headers = _request(port, "GET", "/accounts/login/")
    cookies = dict(re.findall(r"(csrftoken)=([^;]+)", headers.get("Set-Cookie", "")))
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    form = urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    status, _, headers = _request(
        port,
        "POST",
        "/accounts/login/",
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookies['csrftoken']}"},
    )
    session = re.search(r"sessionid=([^;]+)", headers.get("Set-Cookie", ""))
    if status != 302 or not session:
        raise RuntimeError(f"login of {username} failed: {status}")
    return f"sessionid={session.group(1)}"


def check(answered: Counter, last_log: int) -> dict:
    """The database against the answers the clients got."""
    entries = list(
        TransitionLog.objects.filter(pk__gt=last_log).order_by("pk").values_list("application_id", "name", "to_state")
    )
    logged = Counter((case, name) for case, name, _ in entries)
    last = {case: to_state for case, _, to_state in entries}
    states = dict(Application.objects.filter(pk__in=list(last)).values_list("pk", "state"))
    checked, breaks = verify_chains()
    connection.close()
    return {
        "logged": len(entries),
        "missing": sum((answered - logged).values()),  # answered 200, not in the log (or fewer times)
        "unanswered": sum((logged - answered).values()),  # in the log without a 200
        "wrong_state": sum(states[case] != state for case, state in last.items()),
        "chains": checked,
        "broken_chains": len(breaks),
    }


def database_url() -> str:
    """This process's database as a URL for gunicorn's environment."""
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
