"""County officers racing on one exit case: exactly one wins, the others get a clean 409, never a 500.
Real threads with their own database connections, on SQLite (a file) and on PostgreSQL."""

import threading

import pytest
from rest_framework.test import APIClient

from exits.models import ExitCase, ExitLog
from tests.exits.helpers import recognised
from tests.factories import staff

pytestmark = pytest.mark.django_db(transaction=True)


def race(user, paths: list[str], body: dict) -> list[int]:
    barrier = threading.Barrier(len(paths))
    statuses: list[int] = []

    def attempt(path):
        from django.db import connection as thread_connection

        client = APIClient()
        client.force_authenticate(user)
        try:
            barrier.wait()
            statuses.append(client.post(path, body, format="json").status_code)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=attempt, args=(path,)) for path in paths]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return sorted(statuses)


def test_one_confirmation_or_dismissal_wins(demo):
    county = staff("xj_county")
    r = recognised()
    client = APIClient()
    client.force_authenticate(county)
    case = client.post(f"/api/v1/recognitions/{r.pk}/exits/", {"reason": "deceased"}, format="json").json()["id"]
    paths = [f"/api/v1/exits/{case}/confirm/"] * 3 + [f"/api/v1/exits/{case}/dismiss/"]
    assert race(county, paths, {"note": "并发"}) == [200, 409, 409, 409]
    assert ExitLog.objects.filter(case_id=case).exclude(name="propose").count() == 1
    assert ExitCase.objects.get(pk=case).state in ("confirmed", "dismissed")
