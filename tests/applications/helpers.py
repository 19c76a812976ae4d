"""What tests post to the applications API; the objects themselves come from tests.factories."""

from tests.conftest import api_as
from tests.factories import PersonFactory, facts_for


def submit(user, *, unit_code="650102001001", person=None, facts=None, **extra):
    """POST /api/v1/applications/ for `person` (default: a new one of the unit's region) with the
    policy's facts from the factories, `facts` over them."""
    person = person or PersonFactory(region=unit_code[:6])
    body = {
        "unit_code": unit_code,
        "channel": "offline",
        "applicant": person,
        "facts": facts_for(unit_code, person, **(facts or {})),
        "commitments": ["truthfulness"],
        **extra,
    }
    return api_as(user).post("/api/v1/applications/", body, format="json")


def act(user, application_id, name, **body):
    return api_as(user).post(f"/api/v1/applications/{application_id}/transitions/{name}/", body, format="json")
