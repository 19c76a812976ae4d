"""A province of generated cases for `make bench` (issue 13): `generate(applications=N, recognitions=M)`.

Under 新疆维吾尔自治区 (xinjiang-2025, the demo province) it adds 14 prefectures, 98 counties, 980
townships and 9,800 communities with one officer each, then N applicants and applications spread
over every state and over the last two years, each with its hash-chained log, opinions, materials
metadata and notice lines, and M recognitions (with plans, services and some exits) of the approved
ones (one in ten in the demo county 650102, 1% in the demo community). About 3.5% of the open
cases are overdue and about 12% of the recognitions have lost contact,
so the sweeps have a backlog (35k at N = 1M).

Rows are written in bulk, not through the services: on PostgreSQL with COPY (foreign keys and
secondary indexes dropped during the load and rebuilt after), elsewhere with executemany. Column
lists come from the models, so a column added later is filled with its default."""

import hashlib
import json
import random
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from accounts import idnumber
from accounts.models import Level, OrgUnit, Role, User
from applications.models import Applicant, Application, Material, ReviewOpinion, State, TransitionLog
from applications.workflow import GENESIS
from eligibility import policies
from eligibility.engine import evaluate
from eligibility.facts import Facts, facts_to_json
from exits.models import ExitCase, ExitLog, ExitState, Plan, Recognition, ServiceRecord
from publicity.models import Notice, NoticeLine, NoticeState
from reports.services import tally_rebuild

PROVINCE = "650000000000"
POLICY = "xinjiang-2025"
PREFECTURES, COUNTIES, TOWNSHIPS, COMMUNITIES = 14, 7, 10, 10  # per parent: 14 / 98 / 980 / 9,800
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕凤琴云飞建国古丽阿依努尔买买提江"
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
STAGE_DAYS = 14  # a stage's due date, in calendar days after it starts (about 10 working days)


def generate(*, applications: int, recognitions: int, seed: int = 13, today: date | None = None) -> dict:
    """Add the generated province; returns the counts written. Run on a database with the demo
    units and users (seed_demo); a second run adds to the first."""
    today = today or timezone.localdate()
    rng = random.Random(seed)  # noqa: S311 (repeatable test data, not secrets)
    with transaction.atomic(), _Loader() as load:
        units = _units(load)
        officers = _officers(load, units)
        counts = _cases(load, rng, units, officers, applications, recognitions, today)
    tally_rebuild()  # the dashboard's counts (exits.tally) of what was loaded around the services
    counts.update(units=len(units), officers=len(officers))
    return counts


def recreate_database(prefix: str) -> None:
    """`--fresh` of make bench / make load: drop and create the PostgreSQL database of the settings,
    which must be named `prefix`…, so that no other database can be dropped by mistake."""
    import psycopg

    db = settings.DATABASES["default"]
    if connection.vendor != "postgresql" or not db["NAME"].startswith(prefix):
        raise SystemExit(f"--fresh 只用于 PostgreSQL 上名为 {prefix}* 的数据库。")
    params = {
        k: db[v]
        for k, v in (("host", "HOST"), ("port", "PORT"), ("user", "USER"), ("password", "PASSWORD"))
        if db.get(v)
    }
    connection.close()
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as maintenance:
        maintenance.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
        maintenance.execute(f'CREATE DATABASE "{db["NAME"]}"')


# --- the organisation tree and its officers


def _units(load: "_Loader") -> list[str]:
    """The communities' codes; the tree is written under the province, beside the demo units."""
    existing = set(OrgUnit.objects.values_list("code", flat=True))
    rows, communities = [], []

    def add(code, parent, name, level):
        if code not in existing:
            rows.append((code, parent, name, level, True, True))

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
    load(OrgUnit, fields, sorted(rows, key=lambda r: len(r[0].rstrip("0"))))
    return communities


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
        rows.append((first + i, f"g{code}", "!", code, role[level], "经办人员", True))
    fields = ["id", "username", "password", "unit_id", "role", "first_name", "is_active"]
    load(User, fields, rows)
    ids.update(User.objects.filter(unit_id__in=taken).order_by("id").values_list("unit_id", "id"))
    return ids


# --- applications and what hangs on them


class _Batch:
    """Rows of one batch of applications, per table, written together."""

    TABLES = {
        "people": (Applicant, ["id", "id_number", "name", "phone", "address", "created_at", "updated_at"]),
        "apps": (
            Application,
            ["id", "reference", "applicant_id", "policy_code", "policy_version", "state", "unit_id",
             "handling_unit_id", "channel", "consent_recorded", "facts", "eligibility", "categories",
             "received_on", "accepted_on", "decided_on", "stage_started_on", "stage_due_on",
             "notice_start", "notice_end", "created_by_id", "created_at", "updated_at", "log_seq", "log_head"],
        ),
        "logs": (
            TransitionLog,
            ["id", "application_id", "name", "from_state", "to_state", "actor_id", "role", "unit_code",
             "payload", "at", "prev_hash", "hash"],
        ),
        "opinions": (
            ReviewOpinion,
            ["id", "application_id", "stage", "decision", "reason", "officer_id", "unit_id", "eligibility", "at"],
        ),
        "files": (
            Material,
            ["id", "applicant_id", "application_id", "kind", "file", "original_name", "content_type", "size",
             "sha256", "uploaded_by_id", "uploaded_at"],
        ),
        "lines": (
            NoticeLine,
            ["id", "notice_id", "application_id", "seq", "name", "masked_id_number", "categories", "place"],
        ),
    }  # fmt: skip

    def __init__(self):
        self.rows = {name: [] for name in self.TABLES}

    def flush(self, load: "_Loader") -> None:
        for name, (model, fields) in self.TABLES.items():
            load(model, fields, self.rows[name])
            self.rows[name] = []


def _cases(load, rng, communities, officers, n, m, today) -> dict:
    policy = policies.get(POLICY)
    sample = _facts("650102198001011234")
    # the same facts, each with its own number; a woman's (even 17th digit) with her original retirement age
    facts = {
        sex: json.dumps(facts_to_json(replace(sample, female_original_retirement_age=age)), ensure_ascii=False)
        for sex, age in ((1, None), (0, 55))
    }
    decision = evaluate(POLICY, sample, today).as_dict()
    eligibility = json.dumps(decision, ensure_ascii=False, default=str)
    codes = [c["code"] for c in decision["categories"]]
    categories = ",{},".format(",".join(codes))
    labels = "、".join(c["label"] for c in decision["categories"])
    kinds = [item.code for item in policy.materials if item.applies_to(set(codes))]
    states = [s for s, w in STATES for _ in range(w)]
    ids = {model: _next_id(model) for model in (Application, Applicant, TransitionLog, ReviewOpinion, Material)}
    ids.update({Notice: _next_id(Notice), NoticeLine: _next_id(NoticeLine)})
    zone, now = timezone.get_current_timezone(), timezone.now()
    batch, notices, approved = _Batch(), {}, []
    rows = batch.rows
    offset = Applicant.objects.count()  # a second run adds to the first: new people, same places
    for i in range(offset, offset + n):
        community = _place(communities, i)
        township, county = f"{community[:9]}000", f"{community[:6]}000000"
        actor = {"community": officers[community], "township": officers[township], "county": officers[county]}
        where = {"community": community, "township": township, "county": county}
        state = states[rng.randrange(1000)]
        birth = date(1966, 1, 1) + timedelta(days=(i * 7919) % 12000)
        first17 = f"{community[:6]}{birth:%Y%m%d}{(i // 12000) % 1000:03d}"
        number = first17 + idnumber.check_digit(first17)
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
        pid, aid = ids[Applicant] + i - offset, ids[Application] + i - offset
        rows["people"].append((pid, number, name, f"138{i % 10**8:08d}", f"幸福路{i % 300 + 1}号", now, now))

        # the days of the steps: closed cases over two years, open ones recent, 1 in 8 of them overdue
        open_ = state not in (State.APPROVED, State.REJECTED, State.WITHDRAWN)
        day = today - timedelta(days=rng.randrange(60, 700))
        steps = []
        for step, after, who in PATHS[state]:
            day += timedelta(days=STEP_DAYS.get(step, 4) if steps else 0)
            steps.append((step, after, who, day))
        if open_:
            late = STAGE_DAYS + 1 + rng.randrange(10) if rng.random() < 0.125 else rng.randrange(STAGE_DAYS)
            shift = (today - timedelta(days=late)) - steps[-1][3]
            steps = [(a, b, c, d + shift) for a, b, c, d in steps]
        done = {step: day for step, _, _, day in steps}
        received, last = steps[0][3], steps[-1][3]

        prev = GENESIS
        for seq, (step, after, who, day) in enumerate(steps):
            at = datetime.combine(day, time(9, seq), tzinfo=zone).astimezone(UTC)  # as read back
            payload = {"channel": "offline"} if step == "submit" else {}
            entry = SimpleNamespace(
                application_id=aid, name=step, from_state=steps[seq - 1][1] if seq else "", to_state=after,
                actor_id=actor.get(who), role=who, unit_code=where.get(who, ""), opinion="", reason="",
                payload=payload, at=at, prev_hash=prev,
            )  # fmt: skip
            entry.content = lambda e=entry: TransitionLog.content(e)
            entry.body = lambda e=entry: TransitionLog.body(e)
            digest = TransitionLog.compute_hash(entry)
            rows["logs"].append(
                (ids[TransitionLog], aid, step, entry.from_state, after, entry.actor_id, who, entry.unit_code,
                 json.dumps(payload), at, prev, digest)
            )  # fmt: skip
            ids[TransitionLog] += 1
            prev = digest
            if stage := OPINIONS.get(step):
                fail = step == "county_reject"
                reason = "经审核，不符合认定条件。" if fail else "同意。"
                rows["opinions"].append(
                    (ids[ReviewOpinion], aid, stage, "fail" if fail else "pass", reason, actor[who], where[who],
                     eligibility, at)
                )  # fmt: skip
                ids[ReviewOpinion] += 1
        at = datetime.combine(received, time(10), tzinfo=zone)
        for kind in kinds:
            rows["files"].append(
                (ids[Material], pid, aid, kind, f"private/bench/{aid}-{kind}.pdf", f"{kind}.pdf", "application/pdf",
                 180_000, hashlib.sha256(f"{aid}{kind}".encode()).hexdigest(), actor["community"], at)
            )  # fmt: skip
            ids[Material] += 1
        if published := done.get("publish"):
            key = (community, published - timedelta(days=published.weekday()))  # one notice a week per community
            notice = notices.setdefault(key, [ids[Notice], 0])
            if notice[1] == 0:
                ids[Notice] += 1
            notice[1] += 1
            masked = f"{number[:6]}********{number[-4:]}"
            rows["lines"].append((ids[NoticeLine], notice[0], aid, notice[1], name, masked, labels, community))
            ids[NoticeLine] += 1
        notice_end = published + timedelta(days=7) if published else None
        rows["apps"].append(
            (aid, f"{community[:6]}{received:%Y%m%d}{aid:06d}", pid, POLICY, policy.version, state, community,
             community, "offline", False, facts[int(number[16]) % 2].replace(sample.id_number, number), eligibility,
             categories,
             received, done.get("accept"), None if open_ else last, last if open_ else None,
             last + timedelta(days=STAGE_DAYS) if open_ else None, published, notice_end, actor["community"], now, now,
             len(steps), prev)  # the chain's stored head (config.records): verify_logs checks the last entry
        )  # fmt: skip
        if state == State.APPROVED and len(approved) < m:
            approved.append((aid, pid, community, last, birth, actor["county"]))
        if len(rows["apps"]) >= 10_000:
            batch.flush(load)
    batch.flush(load)
    load(
        Notice,
        ["id", "unit_id", "policy_code", "title", "supervision_phone", "contact_person", "agency_name", "state",
         "published_on", "period_start", "period_end", "created_by_id", "created_at", "updated_at"],
        [
            (nid, community, POLICY, f"就业困难人员认定公示（{start:%Y年%m月%d日}）", "0991-12333", "经办人员",
             f"{community}社区劳动保障服务站", NoticeState.CLOSED if start + timedelta(days=7) < today
             else NoticeState.PUBLISHED, start, start, start + timedelta(days=7), officers[community], now, now)
            for (community, start), (nid, _) in notices.items()
        ],
    )  # fmt: skip
    counts = {"applicants": n, "applications": n, "notices": len(notices)}
    counts.update(_recognitions(load, rng, approved, codes, today))
    return counts


def _place(communities: list[str], i: int) -> str:
    """Spread over every community, with the demo ones busy: 1% of all cases in 650102001001 and
    one in ten in its county 650102 (the bench measures these users' queues)."""
    if i % 100 == 0:
        return "650102001001"
    if i % 10 == 1:
        return f"650102{(i // 10) % TOWNSHIPS + 1:03d}{(i // 100) % COMMUNITIES + 1:03d}"
    return communities[i % len(communities)]


def _recognitions(load, rng, approved, codes, today) -> dict:
    """Recognitions of the first approved cases, each with a plan and services; 12% not contacted for
    over six months (第十六条(八): an exit backlog for the sweep); 5% with an exit case already."""
    zone, now = timezone.get_current_timezone(), timezone.now()
    ids = {model: _next_id(model) for model in (Recognition, Plan, ServiceRecord, ExitCase, ExitLog)}
    recognitions, plans, services, exits, exit_logs = [], [], [], [], []
    for i, (aid, pid, community, decided, birth, county_officer) in enumerate(approved):
        rid = ids[Recognition] + i
        lost = rng.random() < 0.12
        contact = (
            today - timedelta(days=200 + rng.randrange(200)) if lost else today - timedelta(days=rng.randrange(150))
        )
        contact = max(contact, decided)
        retirement = date(birth.year + 63, birth.month, 1)
        exited = rng.random() < 0.05
        recognitions.append(
            (rid, aid, pid, community, POLICY, "application", json.dumps(codes), ",{},".format(",".join(codes)),
             decided, county_officer, f"{community[:6]}000000", not exited, retirement, contact,
             decided + timedelta(days=182), now)
        )  # fmt: skip
        steps = "推荐岗位，跟踪回访。"
        plans.append((ids[Plan] + i, rid, json.dumps(["job"]), steps, "经办人员", county_officer, now))
        for k in range(2):
            kind, day = "job_referral" if k else "contact", decided + timedelta(days=10 + 30 * k)
            services.append((ids[ServiceRecord], rid, kind, day, "accepted", county_officer, now))
            ids[ServiceRecord] += 1
        if exited:
            eid, day = ids[ExitCase], decided + timedelta(days=120)
            ids[ExitCase] += 1
            prev = GENESIS
            for name, before, after in (
                ("propose", "", ExitState.PROPOSED),
                ("confirm", ExitState.PROPOSED, ExitState.CONFIRMED),
            ):
                at = datetime.combine(day, time(10 if name == "propose" else 11), tzinfo=zone).astimezone(UTC)
                entry = SimpleNamespace(
                    case_id=eid, name=name, from_state=before, to_state=after, actor_id=county_officer,
                    role="county", unit_code=f"{community[:6]}000000", note="", payload={}, at=at, prev_hash=prev,
                )  # fmt: skip
                entry.content = lambda e=entry: ExitLog.content(e)
                entry.body = lambda e=entry: ExitLog.body(e)
                digest = ExitLog.compute_hash(entry)
                exit_logs.append((ids[ExitLog], eid, name, before, after, county_officer, "county",
                                  entry.unit_code, "{}", at, prev, digest))  # fmt: skip
                ids[ExitLog] += 1
                prev = digest
            exits.append(
                (eid, rid, "employed", "第十六条（一）", "已实现就业创业", "manual", f"employed:{day}",
                 ExitState.CONFIRMED, day, county_officer, day, county_officer, day, now, 2, prev)
            )  # fmt: skip
    load(
        Recognition,
        ["id", "application_id", "applicant_id", "unit_id", "policy_code", "source", "categories", "category_index",
         "recognized_on", "recognized_by_id", "approving_unit_id", "active", "statutory_retirement_on",
         "last_contact_on", "identity_check_due_on", "created_at"],
        recognitions,
    )  # fmt: skip
    load(Plan, ["id", "recognition_id", "needs", "steps", "officer", "updated_by_id", "updated_at"], plans)
    load(ServiceRecord, ["id", "recognition_id", "kind", "date", "outcome", "recorded_by_id", "created_at"], services)
    load(
        ExitCase,
        ["id", "recognition_id", "reason", "article", "reason_label", "source", "cause", "state", "effective_on",
         "proposed_by_id", "proposed_on", "decided_by_id", "decided_on", "updated_at", "log_seq", "log_head"],
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


# --- writing rows


class _Loader:
    """`load(model, fields, rows)`: rows (tuples in `fields` order, attnames) into the model's table;
    the other columns get their defaults. On PostgreSQL: COPY, with the loaded tables' foreign keys
    and secondary indexes dropped until the end, then sequences moved past the ids given."""

    def __enter__(self):
        self.postgres = connection.vendor == "postgresql"
        self.models: list[type[models.Model]] = []
        self.restore: list[str] = []
        return self

    def __call__(self, model: type[models.Model], fields: list[str], rows: Iterable[tuple]) -> None:
        if model not in self.models:
            self.models.append(model)
            if self.postgres:
                self._drop_constraints(model._meta.db_table)
        given = [model._meta.get_field(name) for name in fields]
        rest = [f for f in model._meta.concrete_fields if f not in given and not f.primary_key]
        columns = [f.column for f in given + rest]
        defaults = tuple(_default(f) for f in rest)
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            if self.postgres:
                quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
                with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row + defaults)
            else:
                adapt = [f.get_db_prep_save for f in given + rest]
                marks = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 (model names)
                prepared = [
                    [
                        prep(v, connection) if not isinstance(v, str) else v
                        for prep, v in zip(adapt, row + defaults, strict=True)
                    ]
                    for row in rows
                ]
                cursor.executemany(sql, prepared)

    def __exit__(self, kind, *_):
        if kind is not None or not self.postgres:
            return
        with connection.cursor() as cursor:
            for statement in self.restore:
                cursor.execute(statement)
            for statement in connection.ops.sequence_reset_sql(no_style(), self.models):
                cursor.execute(statement)
            for model in self.models:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")

    def _drop_constraints(self, table: str) -> None:
        with connection.cursor() as cursor:
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
                self.restore.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT i.indisunique",
                [table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f"DROP INDEX {name}")
                self.restore.insert(0, definition)  # indexes before the foreign keys that use them


def _default(field: models.Field):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    value = field.get_default()
    if isinstance(field, models.JSONField):
        return json.dumps(value)
    return value
