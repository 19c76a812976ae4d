"""Decision.as_json (orjson, issue 13) writes the JSON json.dumps wrote, on the golden test's 3,000
generated fact sets: the same dict read back, Chinese kept, dates as ISO strings as default=str gave;
and the evaluation fields store it (config.fields.OrjsonField) on SQLite and PostgreSQL."""

import json

import pytest
from django.db import connection

from applications.models import Application, ReviewOpinion
from eligibility.engine import FactError, evaluate
from tests.eligibility.test_engine_golden import CASES, case
from tests.factories import ApplicationFactory


def test_as_json_is_the_json_of_as_dict():
    compared = 0
    for index in range(CASES):
        policy, facts, as_of = case(index)
        try:
            decision = evaluate(policy, facts, as_of)
        except FactError:
            continue
        found = decision.as_json()
        stdlib = json.dumps(decision.as_dict(), ensure_ascii=False, default=str)
        assert json.loads(found) == json.loads(stdlib), index
        # byte for byte the compact form of json.dumps: Chinese as UTF-8, not \u escapes
        assert found == json.dumps(json.loads(stdlib), ensure_ascii=False, separators=(",", ":")).encode()
        assert json.loads(found)["as_of"] == as_of.isoformat()
        compared += 1
    assert compared > 2000  # the rest are refused facts
    assert "就业" in found.decode()


@pytest.mark.django_db
def test_the_evaluation_fields_store_orjson(community_user):
    application = ApplicationFactory(actor=community_user, state="initial_review")
    stored = Application.objects.get(pk=application.pk).eligibility
    assert stored == application.evaluate(application.received_on).as_dict()
    assert stored["basic_requirements"][0]["label"]  # Chinese label read back
    assert Application.objects.filter(pk=application.pk, eligibility__eligible=stored["eligible"]).exists()
    assert Application.objects.filter(pk=application.pk, eligibility=stored).exists()
    field = ReviewOpinion._meta.get_field("eligibility")
    prepared = field.get_db_prep_save(stored, connection)
    if connection.vendor == "postgresql":
        assert prepared.dumps.__module__ == "orjson"
    else:
        assert prepared == json.dumps(stored, ensure_ascii=False, separators=(",", ":"))
