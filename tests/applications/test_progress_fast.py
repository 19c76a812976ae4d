"""The progress look-up's short path (issue 13): a look-up sent as JSON is answered without DRF's request,
negotiation and serializers, and must answer exactly as DRF does (the form-encoded body still goes
through DRF); the case and its log are read by one prepared statement on a kept PostgreSQL connection."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

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
def test_a_kept_connection_prepares_the_look_up_once(xj, monkeypatch):
    with CaptureQueriesContext(connection) as first:
        progress_lookup(reference=xj.reference, id_number=XJ_ID)
    with CaptureQueriesContext(connection) as second:
        progress_lookup(reference=xj.reference, id_number=XJ_ID)
    assert len(first) == len(second) == 1
    assert second[0]["sql"].startswith("EXECUTE progress_lookup")
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)  # PgBouncer's setting: nothing left behind
    with CaptureQueriesContext(connection) as pooled:
        progress_lookup(reference=xj.reference, id_number=XJ_ID)
    assert pooled[0]["sql"].lstrip().startswith("SELECT")


def test_state_label_is_the_display_of_every_state(db):
    for state in State:
        application = Application(state=state)
        assert application.state_label == application.get_state_display()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_a_statement_left_behind_by_a_failed_first_look_up_is_replaced(xj):
    from applications import progress

    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
        cursor.execute(f"PREPARE progress_lookup AS {progress.LOOKUP_SQL.format('$1', '$2')}")
    progress._prepared.discard(connection.connection)  # as if its EXECUTE had failed
    assert progress_lookup(reference=xj.reference, id_number=XJ_ID).reference == xj.reference
    assert progress_lookup(reference=xj.reference, id_number=XJ_ID).reference == xj.reference
