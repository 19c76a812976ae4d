"""A province of generated cases for `make bench` (issue 13): `generate(applications=N, recognitions=M)`.

Under 新疆维吾尔自治区 (xinjiang-2025, the demo province) it adds 14 prefectures, 98 counties, 980
townships and 9,800 communities with one officer each, then N applicants and applications spread
over every state and over the last two years, each with its hash-chained log (keyed with
LOG_CHAIN_KEY, its head stored on the case so `manage.py verify_logs` passes), opinions, materials
metadata and notice lines, and M recognitions (with plans, services and some exits, their logs
chained too) of the approved ones (one in ten in the demo county 650102, 1% in the demo community).
About 27% of the open cases with a deadline (2 working days a stage) are overdue and 12% of the
recognitions have lost contact, so the sweeps have a backlog (about 35k each at N = 1M, M = 300k).

Speed (1M in minutes, not hours): rows are tab-separated text lines built from precomputed pieces
(names, dates, the JSON of facts and evaluation, the log entries' JSON as a template that equals
`HashChained.body`), never model instances. On PostgreSQL they go in with COPY, from a second thread
while the next batch is built, with the loaded tables' foreign keys (back NOT VALID) and their indexes
but the primary keys dropped until their last rows (unique ones built back unique: the cases' while the
recognitions are built); elsewhere (SQLite, the suite) with executemany. Column lists come from the
models, so a column added later is filled with its default."""

import hashlib
import json
import queue
import random
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.utils import timezone

from accounts.models import Level, OrgUnit, Role, User
from applications.models import Applicant, Application, Material, ReviewOpinion, State, TransitionLog
from config.records import GENESIS
from eligibility import policies
from eligibility.engine import evaluate
from eligibility.facts import Facts, facts_to_json
from exits.models import ExitCase, ExitLog, ExitState, Plan, Recognition, ServiceRecord
from publicity.models import Notice, NoticeLine, NoticeState
from publicity.services import notice_title
from reports.services import tally_rebuild

PROVINCE = "650000000000"
POLICY = "xinjiang-2025"
PREFECTURES, COUNTIES, TOWNSHIPS, COMMUNITIES = 14, 7, 10, 10  # per parent: 14 / 98 / 980 / 9,800
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕凤琴云飞建国古丽阿依努尔买买提江"
UYGHUR = ["阿依古丽·买买提", "买买提江·吐尔逊", "古丽娜尔·艾则孜", "艾尔肯·阿不都拉", "热依拉·努尔", "吐尔洪·沙比尔"]
# share of each final state among all applications (per mille); the path of transitions to it
STATES = [
    (State.SUBMITTED, 30),
    (State.AWAITING_MATERIALS, 20),
    (State.INITIAL_REVIEW, 30),
    (State.PENDING_NOTICE, 20),
    (State.PUBLIC_NOTICE, 20),
    (State.TOWNSHIP_REVIEW, 30),
    (State.COUNTY_REVIEW, 30),
    (State.APPROVED, 600),
    (State.REJECTED, 140),
    (State.WITHDRAWN, 80),
]
MAIN = [  # (transition, state after, who acts)
    ("submit", State.SUBMITTED, "community"),
    ("accept", State.INITIAL_REVIEW, "community"),
    ("pass_initial_review", State.PENDING_NOTICE, "community"),
    ("publish", State.PUBLIC_NOTICE, "community"),
    ("close_notice", State.TOWNSHIP_REVIEW, "system"),
    ("township_approve", State.COUNTY_REVIEW, "township"),
]
PATHS = {state: MAIN[: i + 1] for i, (_, state, _) in enumerate(MAIN)}
PATHS[State.AWAITING_MATERIALS] = [MAIN[0], ("request_materials", State.AWAITING_MATERIALS, "community")]
PATHS[State.APPROVED] = [*MAIN, ("county_approve", State.APPROVED, "county")]
PATHS[State.REJECTED] = [*MAIN, ("county_reject", State.REJECTED, "county")]
PATHS[State.WITHDRAWN] = [MAIN[0], MAIN[1], ("withdraw", State.WITHDRAWN, "community")]
OPINIONS = {"pass_initial_review": "initial", "township_approve": "township", "county_approve": "county"}
OPINIONS["county_reject"] = "county"
STEP_DAYS = {"accept": 3, "pass_initial_review": 5, "publish": 2, "close_notice": 8, "township_approve": 6}
NO_DEADLINE = (State.SUBMITTED, State.AWAITING_MATERIALS)  # applications.workflow.stage_deadline
STAGE_DAYS = 3  # a stage's due date, in calendar days after it starts (about 2 working days, 第九条–第十一条)
OVERDUE = 0.27  # share of the open cases with a deadline that are past it: 35k at 1M
BATCH = 20_000  # applications per batch of COPY
NULL = r"\N"


def generate(*, applications: int, recognitions: int, seed: int = 13, today: date | None = None) -> dict:
    """Add the generated province; returns the counts written. Run on a database with the demo
    units and users (seed_demo); a second run adds to the first."""
    today = today or timezone.localdate()
    rng = random.Random(seed)  # noqa: S311 (repeatable test data, not secrets)
    with transaction.atomic():
        with _Loader() as load:
            units, names = _units(load)
            officers = _officers(load, units)
            counts = _cases(load, rng, units, names, officers, applications, recognitions, today)
        # the dashboard's counts (exits.tally) of what was loaded around the services, before the commit: rows
        # of the transaction that reads them need no hint bits, where the first scan after it wrote every page of
        # the applications again (1M: 22 s for a 4 s GROUP BY)
        tally_rebuild()
    counts.update(units=len(units), officers=len(officers))
    return counts


def recreate_database(prefix: str) -> None:
    """`--fresh` of make bench / make load: drop and create the PostgreSQL database of the settings,
    which must be named `prefix`…, so that no other database can be dropped by mistake."""
    db = settings.DATABASES["default"]
    if connection.vendor != "postgresql" or not db["NAME"].startswith(prefix):
        raise SystemExit(f"--fresh 只用于 PostgreSQL 上名为 {prefix}* 的数据库。")
    connection.close()
    server_execute(db, f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)', f'CREATE DATABASE "{db["NAME"]}"')


def server_execute(db: dict, *statements: str) -> None:
    """Statements run outside any transaction on the PostgreSQL server of the settings `db`, from its
    maintenance database (CREATE and DROP DATABASE)."""
    import psycopg

    params = {
        k: db[v]
        for k, v in (("host", "HOST"), ("port", "PORT"), ("user", "USER"), ("password", "PASSWORD"))
        if db.get(v)
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as maintenance:
        for statement in statements:
            maintenance.execute(statement)


# --- the organisation tree and its officers


def _units(load: "_Loader") -> tuple[list[str], dict[str, str]]:
    """The communities' codes, and every unit's name by its code (the new ones are not readable before
    the writer has loaded them); the tree is written under the province, beside the demo units."""
    names = dict(OrgUnit.objects.values_list("code", "name"))
    existing = set(names)
    rows, communities = [], []

    def add(code, parent, name, level):
        if code not in existing:
            rows.append((len(code.rstrip("0")), f"{code}\t{parent}\t{name}\t{level}\t1\t1"))
            names[code] = name

    for p in range(1, PREFECTURES + 1):
        pc = f"65{p:02d}00000000"
        add(pc, PROVINCE, f"第{p}地区", Level.PREFECTURE)
        for c in range(1, COUNTIES + 1):
            cc = f"65{p:02d}{c:02d}000000"
            add(cc, pc, f"第{p}地区第{c}县", Level.COUNTY)
            for t in range(1, TOWNSHIPS + 1):
                tc = f"{cc[:6]}{t:03d}000"
                add(tc, cc, f"第{p}-{c}-{t}街道", Level.TOWNSHIP)
                for v in range(1, COMMUNITIES + 1):
                    code = f"{tc[:9]}{v:03d}"
                    add(code, tc, f"第{p}-{c}-{t}-{v}社区", Level.COMMUNITY)
                    communities.append(code)
    fields = ["code", "parent_id", "name", "level", "is_urban", "accepts_applications"]
    load(OrgUnit, fields, [line for _, line in sorted(rows, key=lambda r: r[0])])  # parents first
    return communities, names


def _officers(load: "_Loader", communities: list[str]) -> dict[str, int]:
    """One officer per community, township and county: code → user id."""
    codes = {c for code in communities for c in (code, f"{code[:9]}000", f"{code[:6]}000000")}
    taken = set(User.objects.filter(unit_id__in=codes).values_list("unit_id", flat=True))
    first = _next_id(User)
    role = {Level.COMMUNITY: Role.COMMUNITY, Level.TOWNSHIP: Role.TOWNSHIP, Level.COUNTY: Role.COUNTY}
    rows, ids = [], {}
    for i, code in enumerate(sorted(codes - taken)):
        ids[code] = first + i
        level = Level.COMMUNITY if code[9:] != "000" else Level.TOWNSHIP if code[6:] != "000000" else Level.COUNTY
        rows.append(f"{first + i}\tg{code}\t!\t{code}\t{role[level]}\t经办人员\t1")
    load(User, ["id", "username", "password", "unit_id", "role", "first_name", "is_active"], rows)
    ids.update(User.objects.filter(unit_id__in=taken).order_by("id").values_list("unit_id", "id"))
    return ids


# --- applications and what hangs on them

TABLES = {  # the columns that differ between rows; the same ones are passed to `load` as `same`
    "people": (Applicant, ["id", "id_number", "name", "phone", "address"]),
    "apps": (
        Application,
        ["id", "log_seq", "log_head", "reference", "applicant_id", "state", "unit_id", "handling_unit_id", "facts",
         "received_on", "accepted_on", "decided_on", "stage_started_on", "stage_due_on", "notice_start",
         "notice_end", "created_by_id", "applicant_id_number", "applicant_name", "applicant_phone",
         "applicant_address"],
    ),
    "logs": (
        TransitionLog,
        ["id", "application_id", "name", "from_state", "to_state", "actor_id", "role", "unit_code", "payload", "at",
         "prev_hash", "hash"],
    ),
    "opinions": (
        ReviewOpinion, ["id", "application_id", "stage", "decision", "reason", "officer_id", "unit_id", "at"],
    ),
    "files": (
        Material,
        ["id", "applicant_id", "application_id", "kind", "file", "original_name", "sha256", "uploaded_by_id",
         "uploaded_at"],
    ),
    "lines": (NoticeLine, ["id", "notice_id", "application_id", "seq", "name", "masked_id_number", "place"]),
}  # fmt: skip
RECOGNITION_TABLES = (Recognition, Plan, ServiceRecord, ExitCase, ExitLog)


def _chain_key() -> bytes:
    return settings.LOG_CHAIN_KEY.encode()


def _sealer(key: bytes) -> Callable[[str, str], str]:
    """`seal(prev, content)`: `HashChained.compute_hash` of an entry whose `content()` dumps to `content`,
    i.e. HMAC-SHA256 (RFC 2104) with the key's two padded blocks hashed once: `hmac.digest` sets the
    key up again for every entry, over half its time (6.4 → 2.9 µs an entry, 6M entries at 1M)."""
    block = (hashlib.sha256(key).digest() if len(key) > 64 else key).ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))

    def seal(prev: str, content: str) -> str:
        step = inner.copy()
        step.update(f"{prev}{content}".encode())
        last = outer.copy()
        last.update(step.digest())
        return last.hexdigest()

    return seal


def _cases(load, rng, communities, unit_names, officers, n, m, today) -> dict:
    policy = policies.get(POLICY)
    sample = _facts("650102198001011234")
    # the same facts, each with its own number; a woman's (even 17th digit) with her original retirement age
    facts = {
        sex: _escape(json.dumps(facts_to_json(replace(sample, female_original_retirement_age=age)), ensure_ascii=False))
        for sex, age in ((1, None), (0, 55))
    }
    facts_parts = {sex: text.split(sample.id_number) for sex, text in facts.items()}
    decision = evaluate(POLICY, sample, today).as_dict()
    eligibility = _escape(json.dumps(decision, ensure_ascii=False, default=str))
    codes = [c["code"] for c in decision["categories"]]
    labels = "、".join(c["label"] for c in decision["categories"])
    same = {  # the columns equal on every row of a table (on PostgreSQL their default during the load)
        "apps": {
            "policy_code": POLICY, "policy_version": policy.version, "channel": "offline", "consent_recorded": "0",
            "eligibility": eligibility, "categories": ",{},".format(",".join(codes)),
        },
        "opinions": {"eligibility": eligibility},
        "files": {"content_type": "application/pdf", "size": "180000"},
        "lines": {"categories": labels},
    }  # fmt: skip
    kinds = [item.code for item in policy.materials if item.applies_to(set(codes))]
    states = [s for s, w in STATES for _ in range(w)]
    names = _names(rng)
    # a notice's title and agency and its lines' places by the units' names, as publicity.services writes them
    places = {code: f"{unit_names[code]}/{unit_names.get(f'{code[:9]}000', '')}" for code in communities}
    ids = {model: _next_id(model) for model in (Application, Applicant, TransitionLog, ReviewOpinion, Material)}
    ids.update({model: _next_id(model) for model in (Notice, NoticeLine, *RECOGNITION_TABLES)})
    seal, now = _sealer(_chain_key()), _ts(timezone.now())
    base = today.toordinal()
    iso = {d: date.fromordinal(d).isoformat() for d in range(base - 1000, base + 30)}  # day ordinal → text
    births = [(date(1966, 1, 1) + timedelta(days=k)).strftime("%Y%m%d") for k in range(12000)]
    birth_sums = [_weighted(b, 6) for b in births]
    serials = [f"{k:03d}" for k in range(1000)]
    serial_sums = [_weighted(serial, 14) for serial in serials]
    plans = {state: _plan(state) for state in PATHS}
    rows = {name: [] for name in TABLES}
    notices, approved = {}, []
    log_id, opinion_id, material_id, line_id = ids[TransitionLog], ids[ReviewOpinion], ids[Material], ids[NoticeLine]
    random_, offset = rng.random, Applicant.objects.count()  # a second run adds to the first: new people
    logs, opinions, files, lines = rows["logs"], rows["opinions"], rows["files"], rows["lines"]
    for i in range(offset, offset + n):
        community = _place(communities, i)
        where = (community, f"{community[:9]}000", f"{community[:6]}000000", "")  # community, township, county
        actor = (officers[where[0]], officers[where[1]], officers[where[2]], None)
        state = states[int(random_() * 1000)]
        b, s = (i * 7919) % 12000, (i // 12000) % 1000
        number = f"{community[:6]}{births[b]}{serials[s]}"
        number += CHECK[(_prefix_sum(community[:6]) + birth_sums[b] + serial_sums[s]) % 11]
        name = names[int(random_() * len(names))]
        pid, aid = ids[Applicant] + i - offset, ids[Application] + i - offset
        contact = f"{name}\t138{i % 10**8:08d}\t幸福路{i % 300 + 1}号"
        rows["people"].append(f"{pid}\t{number}\t{contact}")

        # the days of the steps: closed cases over two years; open ones recent, and some past their deadline
        steps, length, open_, deadline, accepted = plans[state]
        if not open_:
            first = base - 60 - int(random_() * 640)
        elif not deadline:
            first = base - int(random_() * 10) - length
        elif random_() < OVERDUE:
            first = base - STAGE_DAYS - 1 - int(random_() * 20) - length
        else:
            first = base - int(random_() * (STAGE_DAYS + 1)) - length
        last, published = first + length, None
        prev = GENESIS
        for seq, step, before, after, who, role, shift, payload, stage in steps:
            day = iso[first + shift]
            who_id = actor[who]
            content = (
                f'{{"actor": {"null" if who_id is None else who_id}, "application": {aid}, '
                f'"at": "{day}T01:{seq:02d}:00+00:00", "from": "{before}", "name": "{step}", "opinion": "", '
                f'"payload": {payload}, "reason": "", "role": "{role}", "to": "{after}", "unit": "{where[who]}"}}'
            )  # TransitionLog.content() as json.dumps(sort_keys=True) writes it; 09:0x in 乌鲁木齐 = 01:0x UTC
            digest = seal(prev, content)
            logs.append(
                f"{log_id}\t{aid}\t{step}\t{before}\t{after}\t{NULL if who_id is None else who_id}\t{role}\t"
                f"{where[who]}\t{payload}\t{day} 01:{seq:02d}:00\t{prev}\t{digest}"
            )
            log_id += 1
            prev = digest
            if stage:
                fail = step == "county_reject"
                opinions.append(
                    f"{opinion_id}\t{aid}\t{stage}\t{'fail' if fail else 'pass'}\t"
                    f"{'经审核，不符合认定条件。' if fail else '同意。'}\t{who_id}\t{where[who]}\t{day} 01:{seq:02d}:00"
                )
                opinion_id += 1
            elif step == "publish":
                published = first + shift
        received = iso[first]
        for kind in kinds:
            files.append(
                f"{material_id}\t{pid}\t{aid}\t{kind}\tprivate/bench/{aid}-{kind}.pdf\t{kind}.pdf\t"
                f"{hashlib.sha256(f'{aid}{kind}'.encode()).hexdigest()}\t{actor[0]}\t{received} 02:00:00"
            )
            material_id += 1
        due = last + STAGE_DAYS if deadline else None
        notice_end = None
        if published:
            notice_end = due if state == State.PUBLIC_NOTICE else published + 7
            week = (community, published - (published - 1) % 7)  # one notice a week per community (Monday)
            notice = notices.get(week)
            if notice is None:
                notice = notices[week] = [ids[Notice], 0]
                ids[Notice] += 1
            notice[1] += 1
            lines.append(
                f"{line_id}\t{notice[0]}\t{aid}\t{notice[1]}\t{name}\t{number[:6]}********{number[-4:]}\t{places[community]}"
            )
            line_id += 1
        rows["apps"].append(
            f"{aid}\t{len(steps)}\t{prev}\t{community[:6]}{received.replace('-', '')}{aid:06d}\t{pid}\t{state}\t"
            f"{community}\t{community}\t{number.join(facts_parts[int(number[16]) % 2])}\t{received}\t"
            f"{NULL if accepted is None else iso[first + accepted]}\t{NULL if open_ else iso[last]}\t"
            f"{iso[last] if open_ else NULL}\t{iso.get(due, NULL)}\t{iso.get(published, NULL)}\t"
            f"{iso.get(notice_end, NULL)}\t{actor[0]}\t{number}\t{contact}"
        )
        if state == State.APPROVED and len(approved) < m:
            approved.append(
                (aid, pid, community, date.fromordinal(last), int(births[b][:4]), int(births[b][4:6]), actor[2])
            )
        if len(rows["apps"]) >= BATCH:
            _flush(load, rows, same)
    _flush(load, rows, same)
    load(
        Notice,
        ["id", "unit_id", "policy_code", "title", "supervision_phone", "contact_person", "agency_name", "state",
         "published_on", "period_start", "period_end", "created_by_id", "created_at", "updated_at"],
        [
            f"{nid}\t{community}\t{POLICY}\t{notice_title(unit_names[community], POLICY)}\t12333\t经办人员\t"
            f"{unit_names[community]}劳动保障服务站\t"
            f"{NoticeState.CLOSED if start + timedelta(days=7) < today else NoticeState.PUBLISHED}\t{start}\t{start}\t"
            f"{start + timedelta(days=7)}\t{officers[community]}\t{now}\t{now}"
            for (community, monday), (nid, _) in notices.items()
            for start in [date.fromordinal(monday)]
        ],
    )  # fmt: skip
    counts = {"applicants": n, "applications": n, "logs": log_id - ids[TransitionLog], "notices": len(notices)}
    load.finish(Notice, *(model for model, _ in TABLES.values()))  # indexed while the recognitions are built
    counts.update(_recognitions(load, rng, approved, codes, today, ids))
    return counts


CHECK = "10X98765432"  # GB 11643-1999 MOD 11-2, as accounts.idnumber.check_digit
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _weighted(digits: str, at: int) -> int:
    """The check-digit sum of `digits` standing at position `at` of the number."""
    return sum(int(d) * w for d, w in zip(digits, WEIGHTS[at:], strict=False))


_prefix_sums: dict[str, int] = {}


def _prefix_sum(area: str) -> int:
    if area not in _prefix_sums:
        _prefix_sums[area] = _weighted(area, 0)
    return _prefix_sums[area]


def _plan(state: str) -> tuple[list[tuple], int, bool, bool, int | None]:
    """The log entries of a case ending in `state`: (seq, step, from, to, who (index into the case's
    units and officers), role, days after the first step, payload JSON, opinion stage), the days from
    the first step to the last, whether the case is open, whether its stage has a deadline, and the
    day of acceptance."""
    who_index = {"community": 0, "township": 1, "county": 2, "system": 3}
    steps, shift, before = [], 0, ""
    for seq, (step, after, who) in enumerate(PATHS[state]):
        shift += STEP_DAYS.get(step, 4) if seq else 0
        payload = '{"channel": "offline"}' if step == "submit" else "{}"
        steps.append((seq, step, before, after, who_index[who], who, shift, payload, OPINIONS.get(step)))
        before = after
    open_ = state not in (State.APPROVED, State.REJECTED, State.WITHDRAWN)
    accepted = next((step[6] for step in steps if step[1] == "accept"), None)
    return steps, shift, open_, open_ and state not in NO_DEADLINE, accepted


def _flush(load: "_Loader", rows: dict[str, list[str]], same: dict[str, dict[str, str]]) -> None:
    for name, (model, fields) in TABLES.items():
        load(model, fields, rows[name], same.get(name))
        rows[name].clear()  # in place: the loop appends to these lists


def _names(rng: random.Random) -> list[str]:
    """A pool of names drawn once (Han names of two or three characters, some Uyghur ones)."""
    pool = [
        rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
        for _ in range(20_000)
    ]
    return pool + UYGHUR * 200


def _place(communities: list[str], i: int) -> str:
    """Spread over every community, with the demo ones busy: 1% of all cases in 650102001001 and
    one in ten in its county 650102 (the bench measures these users' queues)."""
    if i % 100 == 0:
        return "650102001001"
    if i % 10 == 1:
        return f"650102{(i // 10) % TOWNSHIPS + 1:03d}{(i // 100) % COMMUNITIES + 1:03d}"
    return communities[i % len(communities)]


def _recognitions(load, rng, approved, codes, today, ids) -> dict:
    """Recognitions of the first approved cases, each with a plan and services; 12% not contacted for
    over six months (第十六条(八): an exit backlog for the sweep); 5% with an exit case already."""
    seal, now, random_ = _sealer(_chain_key()), _ts(timezone.now()), rng.random
    recognitions, plans, services, exits, exit_logs = [], [], [], [], []
    same = {"policy_code": POLICY, "source": "application", "categories": _escape(json.dumps(codes))}
    same["category_index"] = ",{},".format(",".join(codes))
    service_id, exit_id, log_id = ids[ServiceRecord], ids[ExitCase], ids[ExitLog]
    for i, (aid, pid, community, decided, born, month, county_officer) in enumerate(approved):
        rid = ids[Recognition] + i
        county = f"{community[:6]}000000"
        if random_() < 0.12:
            contact = today - timedelta(days=200 + int(random_() * 200))
        else:
            contact = today - timedelta(days=int(random_() * 150))
        contact = max(contact, decided)
        retirement = date(born + 63, month, 1)
        exited = random_() < 0.05
        recognitions.append(
            f"{rid}\t{aid}\t{pid}\t{community}\t{decided}\t{county_officer}\t{county}\t{'0' if exited else '1'}\t"
            f"{retirement}\t{contact}\t{decided + timedelta(days=182)}\t{now}"
        )
        plans.append(f'{ids[Plan] + i}\t{rid}\t["job"]\t推荐岗位，跟踪回访。\t经办人员\t{county_officer}\t{now}')
        for k, kind in enumerate(("contact", "job_referral")):
            day = decided + timedelta(days=10 + 30 * k)
            services.append(f"{service_id}\t{rid}\t{kind}\t{day}\taccepted\t{county_officer}\t{now}")
            service_id += 1
        if exited:
            day = decided + timedelta(days=120)
            prev = GENESIS
            for hour, (name, before, after) in (
                (10, ("propose", "", ExitState.PROPOSED)),
                (11, ("confirm", ExitState.PROPOSED, ExitState.CONFIRMED)),
            ):
                at = f"{day}T{hour - 8:02d}:00:00+00:00"  # 10:00 / 11:00 in 乌鲁木齐, in UTC
                content = (
                    f'{{"actor": {county_officer}, "at": "{at}", "case": {exit_id}, "from": "{before}", '
                    f'"name": "{name}", "note": "", "payload": {{}}, "role": "county", "to": "{after}", '
                    f'"unit": "{county}"}}'
                )  # ExitLog.content() as json.dumps(sort_keys=True) writes it
                digest = seal(prev, content)
                exit_logs.append(
                    f"{log_id}\t{exit_id}\t{name}\t{before}\t{after}\t{county_officer}\tcounty\t{county}\t{{}}\t"
                    f"{day} {hour - 8:02d}:00:00\t{prev}\t{digest}"
                )
                log_id += 1
                prev = digest
            exits.append(
                f"{exit_id}\t2\t{prev}\t{rid}\temployed\t第十六条（一）\t已实现就业创业\tmanual\temployed:{day}\t"
                f"{ExitState.CONFIRMED}\t{day}\t{county_officer}\t{day}\t{county_officer}\t{day}\t{now}"
            )
            exit_id += 1
    load(
        Recognition,
        ["id", "application_id", "applicant_id", "unit_id", "recognized_on", "recognized_by_id", "approving_unit_id",
         "active", "statutory_retirement_on", "last_contact_on", "identity_check_due_on", "created_at"],
        recognitions,
        same,
    )  # fmt: skip
    load(Plan, ["id", "recognition_id", "needs", "steps", "officer", "updated_by_id", "updated_at"], plans)
    load(ServiceRecord, ["id", "recognition_id", "kind", "date", "outcome", "recorded_by_id", "created_at"], services)
    load(
        ExitCase,
        ["id", "log_seq", "log_head", "recognition_id", "reason", "article", "reason_label", "source", "cause",
         "state", "effective_on", "proposed_by_id", "proposed_on", "decided_by_id", "decided_on", "updated_at"],
        exits,
    )  # fmt: skip
    load(ExitLog, ["id", "case_id", "name", "from_state", "to_state", "actor_id", "role", "unit_code", "payload",
                   "at", "prev_hash", "hash"], exit_logs)  # fmt: skip
    return {"recognitions": len(recognitions), "services": len(services), "exits": len(exits)}


def _facts(number: str) -> Facts:
    """Someone who meets every basic requirement, receives 低保 (第五条(二)) and has been registered
    unemployed since 2024 (第五条(七))."""
    return Facts(
        id_number=number, local_hukou=True, local_resident=True, urban=True, able_to_work=True,
        willing_to_work=True, unemployment_registered_on=date(2024, 1, 2), receiving_dibao=True,
    )  # fmt: skip


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1


# --- writing rows: COPY's text format (tab-separated, \N for NULL, backslash escapes)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _unescape(text: str) -> str:
    return text.replace("\\t", "\t").replace("\\n", "\n").replace("\\r", "\r").replace("\\\\", "\\")


def _day(day: date | None) -> str:
    return NULL if day is None else day.isoformat()


def _ts(moment: datetime) -> str:
    """A timestamp as UTC text: what Django's SQLite backend stores, and what PostgreSQL reads in the
    UTC session Django opens."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _text(value) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return _ts(value)
    if isinstance(value, dict | list):
        return _escape(json.dumps(value, ensure_ascii=False))
    return _escape(str(value))


class _Loader:
    """`load(model, fields, lines, same)`: text lines (the `fields` in order, attnames) into the model's
    table, with the columns of `same` (attname → text) equal on every row and the other columns their
    model defaults (auto_now: the time of the first batch); `load.finish(*models)` when those tables get
    no more rows. On PostgreSQL every statement of the load runs on a writer thread, in order, on the
    same connection (so the same transaction): the main thread builds the next batch meanwhile. A
    table's foreign keys (back NOT VALID) and its indexes but the primary key are dropped before its
    first rows; its indexes are built back by `finish`, while the main thread builds the next tables'
    rows, or at the end; then the foreign keys and sequences. The columns equal on every row are not
    sent at all: they are the columns' DEFAULT during the load (a constant, so the server neither
    receives nor parses the same 900 characters of evaluation JSON on each of millions of rows)."""

    def __enter__(self):
        self.postgres = connection.vendor == "postgresql"
        self.db = connections[DEFAULT_DB_ALIAS]  # this thread's: the writer maps its errors as Django would
        self.models: list[type[models.Model]] = []
        self.unfinished: list[str] = []  # tables whose indexes are still to build
        self.indexes: dict[str, list[str]] = {}  # table → the definitions of its dropped indexes
        self.restore: list[str] = []  # foreign keys and defaults, put back at the end
        self.same: dict[type[models.Model], dict[str, str]] = {}  # column → text, per table
        # jobs in flight: two batches of the cases' tables, so the writer never waits for the next batch to
        # be built, and memory stays bounded (about 200 MB of text)
        self.pending: queue.Queue = queue.Queue(maxsize=2 * len(TABLES))
        self.failure: BaseException | None = None
        self.writer = None
        if self.postgres:
            with connection.cursor() as cursor:
                # for this transaction only: index builds sort in memory (1M rows: 6M log entries), and the one
                # commit does not wait for its WAL flush (the load is still one transaction, a real database)
                cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
                cursor.execute("SET LOCAL synchronous_commit = off")
        return self

    def __call__(
        self, model: type[models.Model], fields: list[str], lines: list[str], same: dict[str, str] | None = None
    ) -> None:
        if not lines:
            return
        given = [model._meta.get_field(name).column for name in fields]
        same = {model._meta.get_field(name).column: value for name, value in (same or {}).items()}
        table = model._meta.db_table
        if model not in self.models:
            self.models.append(model)
            self.unfinished.append(table)
            rest = [f for f in model._meta.concrete_fields if f.column not in given + list(same) and not f.primary_key]
            self.same[model] = {f.column: _text(_default(f)) for f in rest} | same
            if self.postgres:
                self._queue(partial(self._drop_constraints, table))
                self._queue(partial(self._set_defaults, table, self.same[model]))
        constant = self.same[model]
        if set(given) & set(constant) or any(constant.get(column) != value for column, value in same.items()):
            raise ValueError(f"{model.__name__}: the columns in `same` differ between batches")
        if self.postgres:
            quoted = ", ".join(connection.ops.quote_name(c) for c in given)
            self._queue(partial(_copy, f'COPY "{table}" ({quoted}) FROM STDIN', "\n".join(lines) + "\n"))
            return
        columns = given + list(constant)
        suffix = "".join("\t" + value for value in constant.values())
        marks = ", ".join(["%s"] * len(columns))
        rows = [
            [None if v == NULL else _unescape(v) if "\\" in v else v for v in (line + suffix).split("\t")]
            for line in lines
        ]
        with connection.cursor() as cursor:
            cursor.executemany(f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({marks})', rows)  # noqa: S608

    def finish(self, *models: type[models.Model]) -> None:
        """These tables get no more rows: on PostgreSQL their indexes are built now, after their rows,
        while the main thread goes on building the next tables' rows."""
        tables = [model._meta.db_table for model in models if model._meta.db_table in self.unfinished]
        self.unfinished = [table for table in self.unfinished if table not in tables]
        if self.postgres and tables:
            self._queue(partial(self._build, tables))

    def _queue(self, job: Callable) -> None:
        if self.writer is None:
            raw = connection.connection  # the same transaction: psycopg's connection (its lock: one thread at a time)
            self.writer = threading.Thread(target=self._write, args=(raw,), daemon=True)
            self.writer.start()
        self.pending.put(job)
        if self.failure is not None:
            raise self.failure

    def _write(self, raw) -> None:
        while (job := self.pending.get()) is not None:
            if self.failure is None:
                try:
                    with self.db.wrap_database_errors, raw.cursor() as cursor:
                        job(cursor)
                except BaseException as exc:  # raised again in the main thread
                    self.failure = exc

    def __exit__(self, kind, *_):
        if self.writer is not None:
            self.pending.put(None)
            self.writer.join()
        if kind is not None or not self.postgres:
            return
        if self.failure is not None:
            raise self.failure
        with connection.cursor() as cursor:
            self._build(self.unfinished, cursor)
            for statement in self.restore:
                cursor.execute(statement)
            for statement in connection.ops.sequence_reset_sql(no_style(), self.models):
                cursor.execute(statement)

    def _build(self, tables: list[str], cursor) -> None:
        for table in tables:
            for statement in self.indexes.pop(table, []):
                cursor.execute(statement)
            cursor.execute(f'ANALYZE "{table}"')

    def _set_defaults(self, table: str, values: dict[str, str], cursor) -> None:
        """Each column's constant (COPY text) as its DEFAULT until the end, then its own default back."""
        from psycopg import sql

        cursor.execute(
            "SELECT a.attname, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a LEFT JOIN pg_attrdef d "
            "ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = %s::regclass AND a.attnum > 0",
            [table],
        )
        original = dict(cursor.fetchall())
        for column, value in values.items():
            literal = "NULL" if value == NULL else sql.Literal(_unescape(value)).as_string(cursor.connection)
            cursor.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" SET DEFAULT {literal}')
            back = f"SET DEFAULT {original[column]}" if original[column] else "DROP DEFAULT"
            self.restore.append(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" {back}')

    def _drop_constraints(self, table: str, cursor) -> None:
        # fire the checks deferred so far in this transaction: a table with pending ones cannot be altered
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            # back NOT VALID: enforced for every later row, the generated ids not checked again (minutes at 1M;
            # the suite checks them on SQLite)
            self.restore.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition} NOT VALID')
        # every index but the primary key's (ids ascend: each insert lands on its last page) and those a
        # foreign key refers to; unique ones too, built back unique (a duplicate fails the load): building an
        # index after the rows sorts once, where each row's insert into a unique index of random keys (a
        # reference, an ID number, a notice's lines) cost a descent on the critical path of the load
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), c.conname, "
            "pg_get_constraintdef(c.oid) FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid "
            "AND c.conrelid = i.indrelid AND c.contype = 'u' WHERE i.indrelid = %s::regclass AND NOT "
            "i.indisprimary AND NOT EXISTS (SELECT FROM pg_constraint f WHERE f.contype = 'f' "
            "AND f.conindid = i.indexrelid)",
            [table],
        )
        for name, definition, constraint, constraint_definition in cursor.fetchall():
            if constraint:
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{constraint}"')
                definition = f'ALTER TABLE "{table}" ADD CONSTRAINT "{constraint}" {constraint_definition}'
            else:
                cursor.execute(f"DROP INDEX {name}")
            self.indexes.setdefault(table, []).append(definition)


def _copy(statement: str, data: str, cursor) -> None:
    with cursor.copy(statement) as copy:
        copy.write(data)


def _default(field: models.Field):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    return field.get_default()
