"""A province's list filtered by state at most is counted from the tally (issue 13): exact, never capped, and
without reading the province's rows; every other list counts its rows, capped."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import OrgUnit, Role, User
from applications.models import State
from applications.selectors import QueueFilters, application_queue, known_count
from tests.factories import ApplicationFactory, staff, transition

STATE_SETS = [(), (State.INITIAL_REVIEW,), (State.SUBMITTED,), (State.SUBMITTED, State.INITIAL_REVIEW), ("nonsense",)]


@pytest.fixture
def cases(demo):
    community = staff("xj_community")
    made = [ApplicationFactory(materials=True) for _ in range(5)]
    for application in made[:3]:
        transition(application, "accept", community)
    transition(made[0], "withdraw", community)
    return made


@pytest.fixture
def prefecture_user(demo):
    unit = OrgUnit.objects.get(code="650100000000")
    return User.objects.create_user("xj_prefecture", role=Role.PREFECTURE, unit=unit, password="x")


@pytest.mark.parametrize("states", STATE_SETS)
def test_the_tally_gives_what_counting_the_rows_gives(cases, prefecture_user, states):
    for user in (staff("xj_province"), prefecture_user):
        for unit_prefix in ("", "6501", "650100000000"):
            filters = QueueFilters(states=states, unit_prefix=unit_prefix)
            assert known_count(user=user, filters=filters) == application_queue(user=user, filters=filters).count()


@pytest.mark.parametrize(
    "filters",
    [QueueFilters(todo=True), QueueFilters(q="6501"), QueueFilters(overdue=True), QueueFilters(unit_prefix="650102")],
)
def test_other_lists_count_their_rows(cases, filters):
    assert known_count(user=staff("xj_province"), filters=filters) is None
    assert known_count(user=staff("xj_county"), filters=QueueFilters()) is None  # the tally keeps no county


def test_a_province_list_over_the_cap_says_its_exact_count(cases, monkeypatch):
    monkeypatch.setattr("config.pagination.COUNT_CAP", 2)
    client = APIClient()
    client.force_authenticate(staff("xj_province"))
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/applications/").json()
    assert (body["count"], body["count_capped"]) == (5, False)
    assert not any("COUNT(*)" in q["sql"] and "applications_application" in q["sql"] for q in queries)
    county = APIClient()
    county.force_authenticate(staff("xj_county"))
    assert county.get("/api/v1/applications/").json()["count_capped"] is True  # counted, and capped at 2


def test_the_province_queue_shows_the_exact_count(cases, client, monkeypatch):
    monkeypatch.setattr("config.pagination.COUNT_CAP", 1)
    monkeypatch.setattr("applications.views.PAGE_SIZE", 1)  # two pages: the pager shows the count
    client.force_login(staff("xj_province"))
    html = client.get("/queue/?state=initial_review").content.decode()
    assert "共 2 件" in html and "件以上" not in html
    client.force_login(staff("xj_county"))
    assert "共 10,000 件以上" in client.get("/queue/?state=initial_review").content.decode()  # counted: capped
