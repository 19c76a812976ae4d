"""Fuzzing the API against its own OpenAPI document (issue 12, proof 2): schemathesis generates requests for
every operation of /api/schema/, valid and invalid, sent in-process to the WSGI app as a county officer
(a token) and anonymously. No answer may be a 5xx, and every answer must match what the schema says
(status code documented, content type, body schema).

Bounded in CI (FUZZ_EXAMPLES per operation, default 3); `make fuzz` runs 50 per operation."""

import os

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import ApplicationFactory

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
PHASES = [Phase.explicit, Phase.generate]  # no shrinking: the first failure of each operation is enough
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def api_schema(db):
    # As Django's test client does: the test's transaction must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def staff_token(demo, community_user):
    ApplicationFactory(actor=community_user)  # something in scope to find
    return Token.objects.create(user=community_user.__class__.objects.get(username="xj_county")).key


def fuzz(schema, headers: dict) -> tuple[int, list[str]]:
    """Every operation, EXAMPLES valid and EXAMPLES invalid requests each; returns (cases sent, failures)."""
    sent, failures = 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                phases=PHASES,
                suppress_health_check=list(HealthCheck),
            )
            def run(case):
                nonlocal sent
                cache.clear()  # each request starts within the rate limits
                sent += 1
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                run()
            except Unsatisfiable:  # nothing invalid to send (an operation without parameters)
                continue
            except BaseException as exc:  # schemathesis' FailureGroup is a BaseExceptionGroup
                if isinstance(exc, KeyboardInterrupt | SystemExit):
                    raise
                failures.append(f"{operation.label} ({mode.value}): {summary(exc)}")
    return sent, failures


def summary(exc: Exception) -> str:
    """The failed checks and what was received, from schemathesis' report (its reproduction stays out)."""
    lines = [line.strip() for line in str(exc).splitlines()]
    keep = [line for line in lines if line.startswith(("- ", "Received", "Documented", "[", "`"))]
    return " | ".join(keep)[:500] or repr(exc)[:500]


def test_the_api_as_staff(api_schema, staff_token):
    sent, failures = fuzz(api_schema, {"Authorization": f"Token {staff_token}"})
    print(f"fuzz as staff: {sent} cases")
    assert not failures, "\n\n".join(failures)


def test_the_api_anonymously(api_schema, demo):
    sent, failures = fuzz(api_schema, {})
    print(f"fuzz anonymously: {sent} cases")
    assert not failures, "\n\n".join(failures)
