"""GET /api/v1/stats/ (API.md "Oversight"): the figures, their scope, and a fixed number of queries."""

from datetime import date

import pytest
from django.utils import timezone

from applications.models import Application, State
from reports import stats
from reports.services import tally_rebuild
from tests.conftest import api_as
from tests.factories import ApplicationFactory, staff

URL = "/api/v1/stats/"


@pytest.fixture
def cases(demo, community_user):
    """One approved, one rejected, one withdrawn and one open case in 天山区's first community."""
    return {
        state: ApplicationFactory(actor=community_user, state=state)
        for state in (State.APPROVED, State.REJECTED, State.WITHDRAWN, State.INITIAL_REVIEW)
    }


def test_it_counts_the_cohort_received_this_year(cases, province_user):
    response = api_as(province_user).get(URL)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["unit_code"] == "650000000000"
    figures = body["applications"]
    assert figures["received"] == 4
    assert (figures["approved"], figures["rejected"], figures["withdrawn"], figures["open"]) == (1, 1, 1, 1)
    assert figures["by_state"]["initial_review"] == 1
    assert figures["by_category"]["dibao"] == 4
    assert figures["median_working_days_to_decision"] is not None
    assert body["recognitions"]["active"] == 1
    assert body["recognitions"]["by_category"]["dibao"] == 1
    urumqi = next(row for row in body["by_child_unit"] if row["unit_code"] == "650100000000")
    assert urumqi["received"] == 4 and urumqi["recognitions_active"] == 1
    kashgar = next(row for row in body["by_child_unit"] if row["unit_code"] == "653100000000")
    assert kashgar["received"] == 0


def clone(application: Application, n: int, **changes) -> None:
    """`n` more rows like `application`, bulk inserted around the services like generate_load_data,
    so the dashboard's counts are rebuilt after them as after a bulk load."""
    fields = {f.attname: getattr(application, f.attname) for f in Application._meta.concrete_fields}
    fields.update(id=None, reference=None, **changes)
    Application.objects.bulk_create([Application(**fields) for _ in range(n)])
    tally_rebuild()


def test_it_runs_a_fixed_number_of_queries_whatever_the_data(cases, province_user, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_as(province_user)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    approved = cases[State.APPROVED]
    clone(
        approved,
        40,
        received_on=date(timezone.localdate().year, 1, 6),
        decided_on=date(timezone.localdate().year, 2, 3),
    )
    clone(cases[State.INITIAL_REVIEW], 30, unit_id="653101001001", handling_unit_id="653101001000")
    clone(cases[State.REJECTED], 30, categories=",veteran,")
    with django_assert_num_queries(len(few)):
        body = client.get(URL).json()
    assert body["applications"]["received"] == 104
    assert body["applications"]["by_category"]["veteran"] == 30
    kashgar = next(row for row in body["by_child_unit"] if row["unit_code"] == "653100000000")
    assert kashgar["received"] == 30 and kashgar["open"] == 30


def test_the_median_counts_working_days_on_the_province_calendar(cases, province_user):
    """2025-09-30 → 2025-10-09 spans 国庆/中秋 (10-01..10-08 off, Saturday 10-11 worked): 10-09 is the
    1st working day after 09-30 and 10-11 the 3rd; cases decided after 1 and 3 give a median of 2."""
    Application.objects.filter(state__in=[State.APPROVED, State.REJECTED]).update(
        received_on=date(2025, 9, 30), decided_on=date(2025, 10, 9)
    )
    Application.objects.filter(state=State.REJECTED).update(decided_on=date(2025, 10, 11))
    tally_rebuild()  # dates rewritten around the services
    body = api_as(province_user).get(URL, {"from": "2025-01-01", "to": "2025-12-31"}).json()
    assert body["applications"]["decided"] == 2
    assert body["applications"]["median_working_days_to_decision"] == 2


@pytest.mark.parametrize(
    ("username", "query", "status"),
    [
        ("xj_county", {"unit_code": "653101000000"}, 404),  # another county
        ("xj_county", {"unit_code": "650000000000"}, 404),  # above its own unit
        ("xj_county", {"unit_code": "999999999999"}, 404),  # unknown
        ("xj_county", {"unit_code": "65"}, 400),
        ("xj_county", {"from": "2025-13-01"}, 400),
        ("xj_county", {"from": "2025-06-01", "to": "2025-01-01"}, 400),
        ("xj_county", {"to": "9999-12-31"}, 400),  # was a 500: the month after December 9999
        ("xj_county", {"from": "0001-01-01"}, 400),
        ("xj_county", {"unit_code": "650102001000"}, 200),  # a township below it
        ("xj_province", {"unit_code": "653101000000"}, 200),
        ("jl_province", {"unit_code": "650000000000"}, 404),
        ("admin", {}, 200),
    ],
)
def test_it_is_scoped_like_every_list(demo, username, query, status):
    response = api_as(staff(username)).get(URL, query)
    assert response.status_code == status, response.content


def test_applicants_and_strangers_get_nothing(demo, applicant, api):
    assert api_as(applicant).get(URL).status_code == 403
    assert api.get(URL).status_code == 401


def test_a_county_sees_its_townships_and_a_community_has_no_children(cases, county_user, community_user):
    body = api_as(county_user).get(URL).json()
    assert [row["unit_code"] for row in body["by_child_unit"]] == ["650102001000", "650102002000"]
    assert body["by_child_unit"][0]["received"] == 4
    body = api_as(community_user).get(URL).json()
    assert body["by_child_unit"] == [] and body["applications"]["received"] == 4


def test_the_months_of_the_period_are_all_there(cases, province_user):
    year = timezone.localdate().year
    body = api_as(province_user).get(URL, {"from": f"{year}-01-01", "to": f"{year}-12-31"}).json()
    assert [m["month"] for m in body["by_month"]] == [f"{year}-{m:02d}" for m in range(1, 13)]
    assert sum(m["received"] for m in body["by_month"]) == 4


def test_the_weighted_median():
    assert stats._weighted_median([]) is None
    assert stats._weighted_median([(5, 1)]) == 5
    assert stats._weighted_median([(1, 1), (3, 1)]) == 2
    assert stats._weighted_median([(1, 3), (10, 1)]) == 1
    assert stats._weighted_median([(2, 2), (1, 1), (9, 2)]) == 2
