"""DATABASE_REPLICA_URL (config/replica.py): the dashboard's figures, the stats API and the rows of
exports are read on the replica; writes, and every service working in a transaction (the transition
service), stay on the primary. The replica here is a second alias mirroring the test database, as
DATABASE_REPLICA_URL with TEST MIRROR configures it, so this runs in CI without a replica server."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, router
from django.test.utils import CaptureQueriesContext

from applications.models import Application, State
from applications.workflow import application_transition
from config.replica import REPLICA, replica_reads
from tests.conftest import api_as
from tests.factories import ApplicationFactory

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.mark.django_db  # ordered before the transactional test below, whose module-wide replica alias it must not see
def test_without_a_replica_everything_reads_the_primary():
    with replica_reads():
        assert router.db_for_read(Application) == DEFAULT_DB_ALIAS
    assert router.db_for_write(Application) == DEFAULT_DB_ALIAS


@pytest.fixture(scope="module")
def replica(django_db_setup, django_db_blocker):
    """Module-scoped, so the alias exists before the test's databases are checked."""
    connections.settings[REPLICA] = {**connections.settings[DEFAULT_DB_ALIAS], "TEST": {"MIRROR": DEFAULT_DB_ALIAS}}
    yield connections[REPLICA]
    with django_db_blocker.unblock():
        connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


def _sql(context) -> list[str]:
    return [query["sql"] for query in context.captured_queries]


@pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])
def test_figures_and_exports_are_read_on_the_replica_and_nothing_is_written_there(
    replica, demo, community_user, county_user, province_user
):
    case = ApplicationFactory(actor=community_user, state=State.SUBMITTED, materials=True)
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(connection) as on_default:
        response = api_as(province_user).get("/api/v1/stats/")
        assert response.status_code == 200 and response.json()["applications"]["received"] == 1
    assert any("exits_tally" in sql for sql in _sql(on_replica))
    assert not any("exits_tally" in sql for sql in _sql(on_default))

    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(connection) as on_default:
        response = api_as(county_user).get("/api/v1/applications/export.xlsx")
        assert response.status_code == 200
        b"".join(response.streaming_content)
    assert any("applications_application" in sql for sql in _sql(on_replica))
    assert any(sql.startswith("INSERT") and "audit" in sql for sql in _sql(on_default))  # the export's audit entry
    assert not any(sql.startswith(WRITES) for sql in _sql(on_replica))

    with CaptureQueriesContext(replica) as on_replica, replica_reads():
        application_transition(application_id=case.pk, name="accept", actor=community_user)
    assert _sql(on_replica) == []  # the transition service reads and writes the primary only
    assert Application.objects.get(pk=case.pk).state == State.INITIAL_REVIEW
