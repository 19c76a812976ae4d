"""Officers racing on one application: exactly one wins, the others get a clean 409, never a 500.
Real threads with their own database connections, on SQLite (a file) and on PostgreSQL."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import User
from applications.models import Application, State
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def race(user: User, application_id: int, names: list[str]) -> list[int]:
    """Every name posted at the same instant from its own thread and connection; the statuses, sorted."""
    barrier = threading.Barrier(len(names))
    statuses: list[int] = []

    def attempt(name):
        from django.db import connection as thread_connection

        client = APIClient()
        client.force_authenticate(user)
        try:
            barrier.wait()
            url = f"/api/v1/applications/{application_id}/transitions/{name}/"
            statuses.append(client.post(url, {"reason": "并发"}, format="json").status_code)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=attempt, args=(name,)) for name in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return sorted(statuses)


def test_one_county_approval_wins(demo):
    county = User.objects.select_related("unit").get(username="xj_county")
    app = ApplicationFactory(state="county_review", passed=False).pk
    assert race(county, app, ["county_approve"] * 4) == [200, 409, 409, 409]
    application = Application.objects.get(pk=app)
    assert application.state == State.APPROVED
    assert application.opinions.filter(stage="county").count() == 1
    assert application.log.filter(name="county_approve").count() == 1
    assert connection.vendor in ("sqlite", "postgresql")


def test_approve_and_reject_at_once_leave_one_decision(demo):
    community = User.objects.select_related("unit").get(username="xj_community")
    app = ApplicationFactory(actor=community, state="initial_review").pk
    assert race(community, app, ["pass_initial_review", "fail_initial_review"]) == [200, 409]
    assert Application.objects.get(pk=app).opinions.count() == 1
