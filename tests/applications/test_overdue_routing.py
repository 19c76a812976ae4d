"""Overdue alerts reach the unit that answers for the stage, found by level (DESIGN.md §4, §8)."""

from datetime import date

import time_machine

from accounts.models import Notification, User
from config import sweeps
from tests.applications.helpers import act
from tests.factories import ApplicationFactory


def test_a_case_received_at_a_township_alerts_the_county(demo):
    township = User.objects.select_related("unit").get(username="xj_township")
    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):
        app = ApplicationFactory(actor=township, state="initial_review").pk
        # the township reviewed first (第七条), so a failed review goes straight to the county
        assert act(township, app, "fail_initial_review", reason="材料存疑。").json()["state"] == "county_review"
    summary = sweeps.run_all(date(2026, 11, 30))["sweeps"]["flag_overdue_stages"]
    assert summary["flagged"] == 1 and summary["notifications"] == 1
    assert Notification.objects.get().user.username == "xj_county"
