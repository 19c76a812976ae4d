"""config.postgresql: the health check asks the server (SELECT 1) only when the connection may be gone —
the server wrote to it unasked, or it sat idle — and a request after the server ended the session
still gets its answer (issue 13)."""

import time

import pytest
from django.db import connection, connections

from config import postgresql
from config.postgresql import base

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend's health check")


@pytest.fixture
def wrapper(db, monkeypatch):
    """A second connection to the test database, as a web worker keeps one between requests."""
    own = connections.create_connection("default")
    asked = []
    usable = own.is_usable
    monkeypatch.setattr(own, "is_usable", lambda: asked.append(1) or usable())
    own.asked = asked
    yield own
    own.close()


def request(wrapper) -> int:
    """What a request does: Django's start-of-request check, then a query."""
    wrapper.close_if_unusable_or_obsolete()
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0]


def test_the_settings_use_it():
    assert connection.settings_dict["ENGINE"] == "config.postgresql"
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    assert postgresql


def test_a_connection_in_use_and_silent_is_not_asked(wrapper):
    request(wrapper)
    request(wrapper)
    request(wrapper)
    assert wrapper.asked == []


def test_a_connection_left_idle_is_asked(wrapper, monkeypatch):
    request(wrapper)
    wrapper.checked_at -= base.IDLE_SECONDS + 1
    request(wrapper)
    assert wrapper.asked == [1]


def test_after_the_server_ended_the_session_the_next_request_still_gets_its_answer(wrapper):
    request(wrapper)
    pid = wrapper.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while not wrapper._server_wrote() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert request(wrapper) == 1
    assert wrapper.asked == [1]
    assert wrapper.connection.info.backend_pid != pid
