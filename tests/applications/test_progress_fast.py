"""The progress look-up's short path (issue 13): a look-up sent as JSON is answered without DRF's request,
negotiation and serializers, and must answer exactly as DRF does (the form-encoded body still goes
through DRF); the case and its log are read by one prepared statement on a kept PostgreSQL connection."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from accounts.demo import seed_demo
from applications.api import ProgressOutput, progress_json
from applications.models import Application, State
from applications.progress import progress_for, progress_lookup
from config.throttling import ProgressThrottle
from tests.factories import ApplicationFactory, NoticeFactory, make_id, on, staff, transition

XJ_ID = make_id(date(1979, 1, 1), "F", region="650102")
MON = date(2025, 11, 3)
HEADERS = ("Content-Type", "Allow", "Vary", "Retry-After")


@pytest.fixture
def xj(demo):
    with on(MON):
        application = ApplicationFactory(person__name="阿依尔", person__id_number=XJ_ID, materials=True)
        transition(application, "accept", staff("xj_community"))
    return application


def both_ways(reference: str, id_number: str, **extra):
    """The same look-up as JSON (the short path) and form-encoded (DRF's path), from one client address."""
    body = {"reference": reference, "id_number": id_number}
    short = APIClient().post("/api/v1/progress/", body, format="json", **extra)
    drf = APIClient().post("/api/v1/progress/", body, **extra)
    return short, drf


def same_answer(short, drf):
    assert short.status_code == drf.status_code
    assert short.content == drf.content
    assert {h: short.get(h) for h in HEADERS} == {h: drf.get(h) for h in HEADERS}


def test_a_found_case_answers_the_same_bytes_and_headers_either_way(xj):
    short, drf = both_ways(xj.reference, XJ_ID)
    assert short.status_code == 200 and short.json()["state"] == "initial_review"
    same_answer(short, drf)


def test_a_wrong_pair_answers_the_same_404_either_way(xj):
    short, drf = both_ways(xj.reference, make_id(date(1985, 3, 3), "F", region="650102"))
    assert short.status_code == 404
    same_answer(short, drf)


def test_both_ways_count_on_one_budget_and_refuse_alike(xj, monkeypatch):
    monkeypatch.setitem(ProgressThrottle.THROTTLE_RATES, "progress", "4/min")
    first = both_ways(xj.reference, XJ_ID)
    second = both_ways(xj.reference, XJ_ID)
    assert [r.status_code for r in (*first, *second)] == [200, 200, 200, 200]
    short, drf = both_ways(xj.reference, XJ_ID)
    assert short.status_code == 429 and int(short["Retry-After"]) >= 1
    same_answer(short, drf)


@pytest.mark.parametrize(
    "body",
    [
        {"reference": "abc", "id_number": XJ_ID},
        {"reference": "65010220251103000001", "id_number": "6 5 0 1 0 2 1 9 7 9 0 1 0 1 1 2 3 4"},  # too long
        {"reference": 65010220251103000001, "id_number": XJ_ID},  # a JSON number: DRF reads its digits
    ],
)
def test_what_the_fields_refuse_or_convert_goes_through_drf(db, body):
    response = APIClient().post("/api/v1/progress/", body, format="json")
    assert response.status_code in (400, 404)
    assert response.status_code == 404 or set(response.json()) <= {"reference", "id_number"}


def test_another_rendering_asked_for_goes_through_drf(xj):
    body = {"reference": xj.reference, "id_number": XJ_ID}
    page = APIClient().post("/api/v1/progress/", body, format="json", HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")  # DRF's browsable answer
    nan = APIClient().post(
        "/api/v1/progress/", b'{"reference": "1", "id_number": "2", "x": NaN}', content_type="application/json"
    )
    assert nan.status_code == 400  # DRF's strict JSON, not a look-up


def test_the_answer_is_what_the_documented_serializer_gives(xj):
    """progress_json builds what ProgressOutput (the schema's description) renders: a notice running, a
    case withdrawn."""
    community = staff("xj_community")
    with on(MON):
        transition(xj, "pass_initial_review", community)
    NoticeFactory(actor=community, applications=[xj], published_on=date(2025, 11, 5))
    withdrawn = ApplicationFactory(person__id_number=make_id(date(1980, 2, 2), "M", region="650102"))
    transition(withdrawn, "withdraw", community)
    rendered = JSONRenderer().render
    for case in (xj, withdrawn):
        found = progress_lookup(reference=case.reference, id_number=case.applicant.id_number)
        assert rendered(progress_json(found)) == rendered(ProgressOutput(found).data)
    assert found.steps[-1].stage == "withdrawn"


def test_the_one_query_gives_what_the_case_and_its_log_give(xj):
    """The look-up's own SQL against progress_for reading the case through the ORM."""
    transition(xj, "pass_initial_review", staff("xj_community"))
    assert progress_lookup(reference=xj.reference, id_number=XJ_ID) == progress_for(Application.objects.get(pk=xj.pk))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_look_up_is_prepared_once_and_run_through_libpq(monkeypatch):
    seed_demo()
    case = ApplicationFactory(person__id_number=XJ_ID, materials=True)
    transition(case, "accept", staff("xj_community"))
    connection.close()  # a new connection: nothing prepared yet
    with CaptureQueriesContext(connection) as first:
        found = progress_lookup(reference=case.reference, id_number=XJ_ID)
    with CaptureQueriesContext(connection) as second:
        assert progress_lookup(reference=case.reference, id_number=XJ_ID) == found
    assert [q["sql"].split(" (")[0] for q in (*first, *second)] == ["EXECUTE progress_lookup"] * 2
    assert found == progress_for(Application.objects.get(pk=case.pk)) and found.state == "initial_review"
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE progress_lookup")  # gone behind the backend's back: the cursor answers
    with CaptureQueriesContext(connection) as gone:
        assert progress_lookup(reference=case.reference, id_number=XJ_ID) == found
    assert gone[-1]["sql"].lstrip().startswith("SELECT")
    with CaptureQueriesContext(connection) as again:
        assert progress_lookup(reference=case.reference, id_number=XJ_ID) == found
    assert again[0]["sql"].startswith("EXECUTE progress_lookup")  # prepared anew
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)  # PgBouncer's setting: nothing prepared
    with CaptureQueriesContext(connection) as pooled:
        assert progress_lookup(reference=case.reference, id_number=XJ_ID) == found
    assert pooled[0]["sql"].lstrip().startswith("SELECT")


def test_state_label_is_the_display_of_every_state(db):
    for state in State:
        application = Application(state=state)
        assert application.state_label == application.get_state_display()


def test_a_step_done_after_midnight_beijing_time_is_dated_that_day(xj):
    """00:30 on 4 November in Beijing is still 3 November in UTC, the zone the log's times are stored in:
    the look-up counts its days in the site's zone, as the person's own pages do."""
    tz = timezone.get_current_timezone()
    with time_machine.travel(datetime.combine(date(2025, 11, 4), time(0, 30), tzinfo=tz), tick=False):
        transition(xj, "pass_initial_review", staff("xj_community"))
    found = progress_lookup(reference=xj.reference, id_number=XJ_ID)
    initial = next(step for step in found.steps if step.stage == "initial")
    assert initial.status == "done" and initial.date == date(2025, 11, 4)
    assert found == progress_for(Application.objects.get(pk=xj.pk))
