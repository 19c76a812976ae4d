"""The dashboard's pre-aggregated counts (exits.tally, issue 13): every write keeps them in its own
transaction, so after any series of writes they equal a count of the rows themselves, and the
figures read from them equal the figures counted directly, for any period and any date."""

import dataclasses
from datetime import date, timedelta

import pytest
from django.utils import timezone

from applications.models import State
from applications.services import application_edit
from exits.models import Recognition, Tally
from reports import stats
from reports.services import tally_rebuild
from tests.conftest import api_as
from tests.factories import ApplicationFactory, staff
from tests.reports.test_stats import clone


def _rows() -> dict:
    return {(t.scope, t.grain, t.period, t.unit, t.measure): t.n for t in Tally.objects.all() if t.n}


def _both(scope: stats.StatsScope) -> tuple[dict, dict]:
    return stats.stats(scope, stats.Tallied(scope)), stats.stats(scope, stats.Direct(scope))


@pytest.fixture
def writes(demo, community_user, county_user):
    """Cases in every kind of state in two provinces, a correction that adds a category, and a
    recognition that exits and is restored: each through its service."""
    made = {
        state: ApplicationFactory(actor=community_user, state=state)
        for state in (
            State.SUBMITTED,
            State.INITIAL_REVIEW,
            State.COUNTY_REVIEW,
            State.APPROVED,
            State.REJECTED,
            State.WITHDRAWN,
        )
    }
    jilin = ApplicationFactory(actor=staff("jl_community"), state=State.APPROVED)
    application_edit(
        actor=community_user, application_id=made[State.SUBMITTED].pk, facts={"disability_certified": True}
    )
    second = Recognition.objects.get(application=jilin)
    case = api_as(staff("jl_community")).post(
        f"/api/v1/recognitions/{second.pk}/exits/", {"reason": "deceased", "note": "家属告知"}, format="json"
    )
    assert case.status_code == 201, case.content
    assert api_as(staff("jl_county")).post(f"/api/v1/exits/{case.json()['id']}/confirm/", {}).status_code == 200
    first = Recognition.objects.get(application=made[State.APPROVED])
    case = api_as(community_user).post(
        f"/api/v1/recognitions/{first.pk}/exits/", {"reason": "deceased", "note": "家属告知"}, format="json"
    )
    case_id = case.json()["id"]
    assert api_as(county_user).post(f"/api/v1/exits/{case_id}/confirm/", {}).status_code == 200
    assert (
        api_as(community_user).post(f"/api/v1/exits/{case_id}/objection/", {"content": "本人健在"}).status_code == 200
    )
    restored = api_as(county_user).post(f"/api/v1/exits/{case_id}/reverify/", {"upheld": True, "finding": "健在"})
    assert restored.json()["state"] == "restored"
    return made


def test_after_a_series_of_writes_the_tally_equals_a_count_of_the_rows(writes, province_user, admin_user):
    kept = _rows()
    assert kept, "the services wrote nothing to the tally"
    tally_rebuild()
    assert _rows() == kept
    for user in (province_user, admin_user):
        tallied, direct = _both(stats.stats_scope(user=user))
        assert tallied == direct
    tallied = _both(stats.stats_scope(user=admin_user))[0]
    assert tallied["applications"]["received"] == 7
    assert tallied["applications"]["by_category"]["disabled"] == 1  # the correction
    assert tallied["recognitions"]["active"] == 1  # restored in Xinjiang, exited in Jilin
    assert tallied["recognitions"]["exits_by_reason"] == {"deceased": 1}
    assert [row["received"] for row in tallied["by_child_unit"]] == [1, 6]


def test_overdue_follows_the_date_without_a_write(writes, province_user):
    scope = stats.stats_scope(user=province_user)
    later = dataclasses.replace(scope, today=scope.today + timedelta(days=60))
    tallied, direct = _both(later)
    assert tallied == direct
    assert tallied["applications"]["overdue"] == 2 > _both(scope)[0]["applications"]["overdue"]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ((1, 1), (12, 31)),  # whole months only
        ((1, 1), (3, 15)),  # whole months and the days of the last
        ((2, 10), (3, 31)),  # the days of the first month and a whole one
        ((2, 10), (4, 5)),  # days, a whole month, days
        ((2, 10), (3, 5)),  # no whole month
        ((3, 1), (3, 1)),  # one day
    ],
)
def test_any_period_reads_the_same_figures(writes, province_user, start, end):
    year = timezone.localdate().year - 1
    source = writes[State.APPROVED]
    for day in (date(year, 2, 9), date(year, 2, 10), date(year, 3, 1), date(year, 3, 31), date(year, 4, 5)):
        clone(source, 2, received_on=day, decided_on=day + timedelta(days=9))
    clone(writes[State.COUNTY_REVIEW], 3, received_on=date(year, 3, 2), stage_due_on=date(year, 3, 20))
    scope = stats.stats_scope(user=province_user, date_from=date(year, *start), date_to=date(year, *end))
    tallied, direct = _both(scope)
    assert tallied == direct
    assert tallied["applications"]["received"] > 0


@pytest.mark.django_db
def test_the_rebuild_counts_working_days_as_decision_days_does_in_any_order():
    """The rebuild counts the working days of tens of thousands of (received, decided) pairs as
    differences of running counts; each equals the rule itself, across holidays, years outside the
    calendar, a decision before its receipt, and days that come earlier than any seen so far."""
    import random

    from applications.tally import _Running, decision_days
    from eligibility import workdays

    calendar = workdays.schedules().calendar("65")
    running, rng = _Running(calendar), random.Random(5)
    base = date(2024, 9, 20)  # the National Day week and the year's turn within reach
    for _ in range(400):
        received = base + timedelta(days=rng.randrange(-900, 900))
        decided = received + timedelta(days=rng.randrange(-20, 90))
        assert running(received, decided) == decision_days(calendar, received, decided), (received, decided)
