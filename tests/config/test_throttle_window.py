"""The per-client limits on PostgreSQL (config.throttling): one atomic statement, so clients racing for the
last places of a budget never get more than the budget, and Retry-After still says how long to wait; the
public progress look-up is counted in its own statement; the windows are swept when no limit reaches them."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.demo import seed_demo
from accounts.models import RateWindow
from accounts.sweeps import clear_rate_windows
from applications import progress
from config.throttling import Hit, ProgressThrottle, Refused
from tests.factories import make_id

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps its limits in the cache")


def post(address: str):
    return RequestFactory().post("/api/v1/progress/", REMOTE_ADDR=address)


@pytest.mark.django_db(transaction=True)
def test_requests_racing_for_the_last_places_never_pass_the_budget(monkeypatch):
    monkeypatch.setitem(ProgressThrottle.THROTTLE_RATES, "progress", "5/min")
    start, answers = threading.Barrier(12), []

    def ask():
        start.wait()
        try:
            answers.append(ProgressThrottle().allow_request(post("10.1.2.3"), None))
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=ask) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers.count(True) == 5
    refused = ProgressThrottle()
    assert refused.allow_request(post("10.1.2.3"), None) is False
    assert 55 < refused.wait() <= 60  # until the oldest of the five leaves the minute
    assert ProgressThrottle().allow_request(post("10.1.2.4"), None)
    assert len(RateWindow.objects.get(key="throttle_progress_10.1.2.3").hits) == 5  # counted in PostgreSQL


def test_a_window_lets_a_client_in_again_once_its_oldest_request_leaves_it(db):
    hit = Hit("throttle_progress_10.9.9.9", 1000.0, 60.0, 2)
    for now, allowed in [(1000.0, True), (1010.0, True), (1020.0, False), (1059.0, False), (1061.0, True)]:
        throttle = ProgressThrottle()
        throttle.hit = lambda request, now=now: hit._replace(now=now)
        assert throttle.allow_request(post("10.9.9.9"), None) is allowed
    assert throttle.wait() == pytest.approx(60 - (1061 - 1010))
    assert RateWindow.objects.get(key=hit.key).hits == [1010.0, 1061.0]


def test_the_look_up_counts_in_its_own_statement_and_a_refused_one_reads_nothing(demo, django_assert_num_queries):
    hit = Hit("throttle_progress_10.7.7.7", timezone.now().timestamp(), 60.0, 1)
    with django_assert_num_queries(1):
        assert (
            progress.progress_lookup(reference="65010220251103999999", id_number="650102197901011234", hit=hit) is None
        )
    with pytest.raises(Refused) as refused, django_assert_num_queries(1):
        progress.progress_lookup(reference="65010220251103999999", id_number="650102197901011234", hit=hit)
    assert 59 < refused.value.wait <= 60


@pytest.mark.django_db(transaction=True)
def test_the_api_and_the_page_share_one_budget(monkeypatch):
    """Outside a transaction, as in production: the API's look-up and its count run through libpq."""
    seed_demo()
    monkeypatch.setitem(ProgressThrottle.THROTTLE_RATES, "progress", "2/min")
    body = {"reference": "65010220251103999999", "id_number": make_id(date(1979, 1, 1), "F", region="650102")}
    assert APIClient().post("/api/v1/progress/", body, format="json").status_code == 404
    assert APIClient().post("/progress/", body).status_code == 404
    with CaptureQueriesContext(connection) as queries:
        refused = APIClient().post("/api/v1/progress/", body, format="json")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 59
    assert [q["sql"].split(" (")[0] for q in queries] == ["EXECUTE progress_counted"]


def test_the_sweep_clears_windows_no_limit_reaches(db):
    today = timezone.localdate()
    day = 86400
    midnight = timezone.make_aware(timezone.datetime.combine(today, timezone.datetime.min.time())).timestamp()
    RateWindow.objects.create(key="old", hits=[midnight - 2 * day, midnight - day - 1], counted=True)
    RateWindow.objects.create(key="recent", hits=[midnight - 2 * day, midnight - day + 1], counted=True)
    assert clear_rate_windows(today) == {"deleted": 1}
    assert clear_rate_windows(today) == {"deleted": 0}
    assert list(RateWindow.objects.values_list("key", flat=True)) == ["recent"]
    assert clear_rate_windows(today + timedelta(days=1)) == {"deleted": 1}
