import time_machine

from accounts.models import User
from eligibility.models import OfficialYear
from tests.applications.helpers import act
from tests.conftest import api_as
from tests.factories import ApplicationFactory


def deadline(user, app):
    return api_as(user).get(f"/api/v1/applications/{app}/").json()["deadline"]


@time_machine.travel("2026-09-30 10:00 +0800", tick=False)
def test_xinjiang_gives_each_stage_two_working_days(community_user, township_user):
    # the 自治区's own 2026 schedule entered, so its dates are not provisional
    OfficialYear.objects.create(year=2026, province="65", notice="测试")
    # 2026 National Day: 1-7 October off, Saturday 10 October worked
    app = ApplicationFactory(actor=community_user, state="initial_review").pk
    assert deadline(community_user, app) == {
        "stage": "initial_review",
        "due_date": "2026-10-09",
        "provisional": False,
        "overdue": False,
    }
    act(community_user, app, "fail_initial_review", reason="x")
    assert deadline(community_user, app)["due_date"] == "2026-10-09"  # township: 2 working days from receipt
    with time_machine.travel("2026-10-12 09:00 +0800", tick=False):
        assert deadline(community_user, app)["overdue"] is True
        act(township_user, app, "township_reject", reason="x")
        assert deadline(community_user, app) == {
            "stage": "county_review",
            "due_date": "2026-10-14",
            "provisional": False,
            "overdue": False,
        }


@time_machine.travel("2026-09-30 10:00 +0800", tick=False)
def test_jilin_gives_the_whole_procedure_ten_working_days(demo):
    community = User.objects.select_related("unit").get(username="jl_community")
    app = ApplicationFactory(actor=community, state="initial_review").pk
    first = deadline(community, app)
    assert first["due_date"] == "2026-10-20"  # 8, 9, 10 (Sat, worked), 12-16, 19, 20
    act(community, app, "pass_initial_review")
    assert deadline(community, app)["due_date"] == first["due_date"]


@time_machine.travel("2026-12-30 10:00 +0800", tick=False)
def test_a_deadline_in_a_year_without_a_schedule_is_provisional(community_user):
    app = ApplicationFactory(actor=community_user, state="initial_review").pk
    assert deadline(community_user, app) == {
        "stage": "initial_review",
        "due_date": "2027-01-04",
        "provisional": True,
        "overdue": False,
    }
