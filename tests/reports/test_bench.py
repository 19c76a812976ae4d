"""`make bench` in its short form (issue 13): the generator and every measure run end to end at a tiny
scale, the table is written, and the pages' query counts do not grow with the data. Budgets are
not judged here (CI machines differ): `make bench` judges them."""

import io
import json
from contextlib import suppress
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from applications.logchain import verify_chains
from applications.models import Applicant, Application, State, TransitionLog
from applications.selectors import QueueFilters, application_queue
from eligibility.engine import evaluate
from exits.models import ExitCase, Recognition
from publicity.models import Notice, NoticeLine
from reports import bench, loadgen
from tests.factories import staff


@pytest.mark.django_db(transaction=False)
def test_the_bench_writes_its_table_and_the_queries_stay_fixed(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(bench, "PDF_S", {5: 1.0})  # a short notice: the 1,000-line one takes seconds
    with suppress(SystemExit):  # a budget missed on this machine: the table is still written
        call_command("bench", applications=200, recognitions=60, repeat=1, steps=2, output=str(tmp_path))
    (path,) = tmp_path.glob("bench-*.md")
    text = path.read_text()
    assert "| queue province all p1 |" in text and "| api county list deep |" in text
    assert "| transition county_approve |" in text and "| sweep flag_overdue_stages backlog |" in text
    assert "| stats province (api) |" in text and "| export applications xlsx (county) |" in text
    assert "| notice pdf 5 lines |" in text and "| http api list ÷ bare DRF |" in text
    assert "| generate_load_data 200 applications |" in text  # its own budget, scaled from 1M
    rows = [line.split(" | ") for line in text.splitlines() if line.startswith(("| queue ", "| api "))]
    assert len(rows) >= 20
    for row in rows:
        counts = [c for c in row[6].split("/") if c]  # the queries at 20 and at 200 applications (pages with rows)
        assert len(set(counts)) == 1, row
        # sampled at both scales, each in its own database (20 applications may hold no case to search for)
        assert row[2] and (row[1] or " search " in row[0]), row
    assert sum(len(row[6].split("/")) == 2 for row in rows) >= 15
    assert not _side_databases()  # the 20 applications' database is gone again; the 200 are the bench's own
    assert Application.objects.count() == 200
    assert application_queue(user=staff("xj_province"), filters=QueueFilters()).count() == 200
    assert TransitionLog.objects.filter(name="county_approve").exists()
    assert verify_chains()[1] == []  # generated logs end at their cases' stored heads (log_seq, log_head)


def _side_databases() -> list[str]:
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return [path.name for path in Path(name).parent.glob(f"{Path(name).stem}__bench*")]
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{name}__bench%"])
        return [datname for (datname,) in cursor.fetchall()]


@pytest.mark.django_db(transaction=False)
def test_a_bench_that_fails_midway_leaves_no_database_behind_and_one_with_cases_is_refused(monkeypatch):
    """The smaller scales' databases are dropped whatever stops the run; the bench's own database must
    hold no case (--fresh makes it), or its scale would not be the size it says."""

    def broken(repeat, scales):
        assert len(scales) == 2 and _side_databases()  # generated, side by side
        raise RuntimeError("a page answered 500")

    monkeypatch.setattr(bench, "page_measures", broken)
    with pytest.raises(RuntimeError, match="500"):
        call_command("bench", applications=40, recognitions=10, repeat=1, steps=2, stderr=io.StringIO())
    assert not _side_databases()
    with pytest.raises(CommandError, match="--fresh"):
        call_command("bench", applications=40, recognitions=10, repeat=1, steps=2)
    assert not _side_databases()


@pytest.mark.django_db(transaction=False)
def test_generated_logs_verify_with_their_heads_and_a_forged_entry_is_found(monkeypatch):
    """generate_load_data seals every application's and exit case's log with LOG_CHAIN_KEY and stores
    the chain heads, so `verify_logs` passes on generated data (and still finds an edited entry)."""
    call_command("seed_demo", force=True, stdout=io.StringIO())
    monkeypatch.setattr(loadgen, "BATCH", 70)  # several batches
    counts = loadgen.generate(applications=200, recognitions=120)
    connection.check_constraints()  # every generated id refers to a row (SQLite checks; PostgreSQL loads NOT VALID)
    assert counts["exits"] and counts["logs"] == TransitionLog.objects.count()
    out = io.StringIO()
    call_command("verify_logs", stdout=out)
    assert json.loads(out.getvalue().splitlines()[-1]) == {
        "checked": counts["logs"] + 2 * counts["exits"],
        "broken": 0,
    }
    app = Application.objects.filter(state=State.APPROVED).first()
    assert app.log_seq == app.log.count() == 7 and app.log_head == app.log.order_by("-id").first().hash
    assert ExitCase.objects.filter(log_seq=2).count() == counts["exits"]
    # the columns equal on every row (on PostgreSQL the columns' DEFAULT during the load, then dropped)
    decision = evaluate(loadgen.POLICY, loadgen._facts("650102198001011234"), timezone.localdate()).as_dict()
    assert app.eligibility == json.loads(json.dumps(decision, default=str)) and app.eligibility["categories"]
    assert app.policy_code == loadgen.POLICY and app.channel == "offline" and not app.consent_recorded
    assert app.categories == ",{},".format(",".join(c["code"] for c in decision["categories"]))
    assert app.missing_materials == [] and app.created_at and app.updated_at
    assert [o.eligibility == app.eligibility for o in app.opinions.all()] == [True] * 3
    assert {(m.content_type, m.size) for m in app.materials.all()} == {("application/pdf", 180000)}
    line = NoticeLine.objects.filter(application=app).get()
    assert line.categories == "、".join(c["label"] for c in decision["categories"])
    recognition = Recognition.objects.first()
    assert recognition.categories == [c["code"] for c in decision["categories"]] and recognition.created_at
    if connection.vendor == "postgresql":  # the load's defaults are gone again
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_attrdef WHERE adrelid = 'applications_application'::regclass")
            assert cursor.fetchone()[0] == 0  # as the migrations left it

    TransitionLog.objects.filter(pk=app.log.order_by("id").first().pk).update(unit_code="650102001002")
    with pytest.raises(CommandError):
        call_command("verify_logs", stdout=io.StringIO())


# the schema as pg_dump would write it, the foreign keys the load brings back NOT VALID as they were
SCHEMA = """
SELECT conrelid::regclass::text, conname, replace(pg_get_constraintdef(oid), ' NOT VALID', '') FROM pg_constraint
WHERE connamespace = 'public'::regnamespace
UNION ALL SELECT indrelid::regclass::text, indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index
JOIN pg_class ON pg_class.oid = indrelid WHERE relnamespace = 'public'::regnamespace
UNION ALL SELECT adrelid::regclass::text, adnum::text, pg_get_expr(adbin, adrelid) FROM pg_attrdef
"""


def _schema() -> set[tuple]:
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("SELECT type, name, sql FROM sqlite_master")
        else:
            cursor.execute(SCHEMA)
        return set(cursor.fetchall())


@pytest.mark.django_db(transaction=False)
def test_the_load_leaves_every_index_as_it_was_and_a_duplicate_id_number_fails_it_whole():
    """On PostgreSQL the load drops the loaded tables' indexes, unique ones too, and builds them back
    after the rows: the schema is the migrations' again, and a person loaded twice fails the load
    when the ID number's unique index is built, with nothing of it left."""
    call_command("seed_demo", force=True, stdout=io.StringIO())
    before = _schema()
    loadgen.generate(applications=30, recognitions=10)
    assert _schema() == before
    # the ID number the next load gives its second person: that load, rolled back
    with suppress(bench.Rollback), transaction.atomic():
        loadgen.generate(applications=2, recognitions=0)
        taken = Applicant.objects.order_by("-id").values_list("id_number", flat=True)[0]
        raise bench.Rollback
    Applicant.objects.create(id_number=taken, name="王芳")  # the next load starts one person later: at that one
    applications = Application.objects.count()
    with pytest.raises(IntegrityError):
        loadgen.generate(applications=20, recognitions=5)
    assert Application.objects.count() == applications and _schema() == before


@pytest.mark.django_db(transaction=False)
def test_make_run_demo_cases_are_generated_once_and_reach_the_demo_users():
    """`make seed` (so `make run`) adds demo cases with `--if-empty`: a second run adds none, and the
    demo community, county and province officers each have cases in their queues."""
    call_command("seed_demo", force=True, stdout=io.StringIO())
    for _ in range(2):
        call_command("generate_load_data", applications=120, recognitions=40, if_empty=True, stdout=io.StringIO())
    assert Application.objects.count() == 120
    for username in ("xj_community", "xj_county", "xj_province"):
        user = staff(username)
        assert application_queue(user=user, filters=QueueFilters()).exists(), username


@pytest.mark.django_db(transaction=False)
def test_generated_notices_and_cases_read_as_the_services_write_them():
    """The demo notices name their unit, agency and places by name, not by code (a review found
    "650102001001社区劳动保障服务站"), and every case carries its person's contact details."""
    call_command("seed_demo", force=True, stdout=io.StringIO())
    call_command("generate_load_data", applications=60, recognitions=10, if_empty=True, stdout=io.StringIO())
    notice = Notice.objects.select_related("unit").first()
    assert notice.title.startswith(notice.unit.name) and notice.agency_name.startswith(notice.unit.name)
    place = notice.lines.first().place
    assert notice.unit_id not in notice.agency_name + place and place.startswith(notice.unit.name + "/")
    case = Application.objects.select_related("applicant").first()
    assert (case.applicant_phone, case.applicant_address) == (case.applicant.phone, case.applicant.address) != ("", "")


@pytest.mark.django_db
def test_no_index_is_kept_on_who_wrote_a_case_an_opinion_a_file_or_a_log_entry():
    """Issue 13: no list or lookup reads these rows by their officer, so each such index only cost every
    write (a transition adds a log entry and an opinion) and seconds of a province's load; a notice's
    lines are found through the unique constraints that begin with the notice."""
    from applications.models import Material, ReviewOpinion

    unindexed = {
        Application: "created_by_id",
        Material: "uploaded_by_id",
        ReviewOpinion: "officer_id",
        TransitionLog: "actor_id",
        NoticeLine: "notice_id",
    }
    with connection.cursor() as cursor:
        for model, column in unindexed.items():
            constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
            leading = [c["columns"][0] for c in constraints.values() if c["index"] and not c["unique"]]
            assert column not in leading, (model.__name__, column)
