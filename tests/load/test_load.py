"""The load proof (issue 12, proof 4) in its short form: 20 clients for 10 s against gunicorn with the
production settings on the PostgreSQL test database (`make load`: 100 clients for 60 s on its own
database). No 5xx; every transition answered 200 is in its case's log once, no entry without a 200,
each case's state is its last entry's target, every chain verifies (reports.loadtest)."""

import shutil

import pytest
from django.conf import settings

from reports import loadtest
from reports.loadgen import generate

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL"),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="no redis-server"),
]


def test_20_clients_for_10_seconds_get_no_5xx_and_lose_or_double_no_transition(demo, redis_server):
    generate(applications=800, recognitions=20)
    result = loadtest.run(
        clients=20, seconds=10, database_url=loadtest.database_url(), redis_url=redis_server.url, workers=3
    )
    print(result.table())
    assert result.errors_5xx == 0
    assert result.unexpected == {}, result.samples
    checks = result.checks
    assert sum(result.answered.values()) > 0 and result.statuses["transition"][409] > 0  # real races
    assert checks["missing"] == checks["unanswered"] == checks["wrong_state"] == checks["broken_chains"] == 0
    assert checks["logged"] == sum(result.answered.values())
    assert result.statuses["queue"][200] and result.statuses["list"][200] and result.statuses["progress"][200]
    assert result.ok
