"""The list API's rows (issue 13): ApplicationListOutput writes each row directly, and must write what DRF's
generic serializer path writes for the same fields, in every state, through the renderer to the byte."""

from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from accounts.models import User
from applications.api import ApplicationListOutput, ApplicationOutput
from applications.models import Application, State
from tests.conftest import api_as
from tests.factories import ApplicationFactory


def test_a_row_is_what_the_generic_path_writes_in_every_state(demo):
    for state in (State.SUBMITTED, State.AWAITING_MATERIALS, State.COUNTY_REVIEW, State.APPROVED, State.REJECTED):
        ApplicationFactory(state=state)
    rows = Application.objects.select_related("applicant", "unit", "handling_unit")
    assert {a.state for a in rows} >= {State.SUBMITTED, State.COUNTY_REVIEW, State.APPROVED}
    serializer = ApplicationListOutput()
    for application in rows:
        direct = serializer.to_representation(application)
        generic = serializers.ModelSerializer.to_representation(serializer, application)
        assert JSONRenderer().render(direct) == JSONRenderer().render(generic)
        assert list(direct) == ApplicationListOutput.Meta.fields


def test_the_list_answers_those_rows_and_the_detail_keeps_every_field(demo):
    application = ApplicationFactory(state=State.COUNTY_REVIEW)
    client = api_as(User.objects.select_related("unit").get(username="xj_county"))
    row = client.get("/api/v1/applications/").json()["results"][0]
    assert row["state_label"] == application.get_state_display()
    assert list(row) == ApplicationListOutput.Meta.fields
    detail = client.get(f"/api/v1/applications/{application.pk}/").json()
    assert list(detail) == ApplicationOutput.Meta.fields


def test_the_page_joins_the_unit_it_shows_and_nothing_else(demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ApplicationFactory.create_batch(2)
    client = api_as(User.objects.select_related("unit").get(username="xj_county"))
    with CaptureQueriesContext(connection) as captured:
        assert len(client.get("/api/v1/applications/").json()["results"]) == 2
    page = next(q["sql"] for q in captured.captured_queries if "ORDER BY" in q["sql"])
    assert page.count('JOIN "accounts_orgunit"') == 1 and 'JOIN "applications_applicant"' not in page
