"""一人一册 through the API (吉人社发〔2022〕10号 四(一)): visits, the register list (masked, a fixed number of
queries), one person's file, and a surveyed person put on the work list and applied for with consent."""

import pytest
from django.utils import timezone

from applications.models import Application
from outreach.models import Origin, PushedPerson
from tests.conftest import api_as
from tests.factories import PersonFactory, staff

pytestmark = pytest.mark.django_db


def visit(user, person=None, **body):
    person = person or PersonFactory()
    data = {
        "id_number": person["id_number"],
        "name": person["name"],
        "unit_code": "650102001001",
        "visited_on": timezone.localdate().isoformat(),
        "findings": "失业在家，照顾老人。",
        "job_wishes": "保洁",
        "service_needs": ["job"],
        **body,
    }
    return api_as(user).post("/api/v1/visits/", data, format="json")


def test_visits_fill_the_register_listed_masked_in_a_fixed_number_of_queries(
    community_user, county_user, django_assert_num_queries
):
    for _ in range(2):
        assert visit(community_user).status_code == 201
    client = api_as(county_user)
    with django_assert_num_queries(2):
        few = client.get("/api/v1/persons/").json()
    for _ in range(5):
        visit(community_user)
    with django_assert_num_queries(2):
        more = client.get("/api/v1/persons/").json()

    assert (few["count"], more["count"]) == (2, 7)
    first = more["results"][0]
    assert "*" in first["id_number"] and first["service_needs"] == ["job"] and first["visits"] == 1
    assert api_as(staff("xj_community2")).get("/api/v1/persons/").json()["count"] == 0


def test_a_visit_refuses_bad_input_field_by_field(community_user, county_user):
    assert visit(county_user).status_code == 403  # 第四条: communities and townships survey
    bad = visit(community_user, service_needs=["money"], visited_on="2999-01-01")
    assert bad.status_code == 400
    assert "visited_on" in bad.json() or "service_needs" in bad.json()
    assert visit(community_user, unit_code="650102002001").status_code == 400  # another street's community


def test_a_surveyed_person_goes_onto_the_work_list_and_is_applied_for_with_consent(community_user):
    person = PersonFactory()
    visit_id = visit(community_user, person).json()["id"]
    facts = {
        "local_hukou": True,
        "local_resident": True,
        "urban": True,
        "able_to_work": True,
        "willing_to_work": True,
        "unemployment_registered_on": "2024-01-02",
        "receiving_dibao": True,
    }
    client = api_as(community_user)

    listed = client.post(f"/api/v1/visits/{visit_id}/work-list/", {"facts": facts}, format="json")

    assert listed.status_code == 201, listed.json()
    pushed = PushedPerson.objects.get(pk=listed.json()["pushed_person_id"])
    assert pushed.origin == Origin.SURVEY and pushed.eligible and not Application.objects.exists()
    consent = client.post(f"/api/v1/pushed-persons/{pushed.pk}/consent/", {"method": "in_person"}, format="json")
    assert consent.status_code == 201
    file = client.get(f"/api/v1/persons/{pushed_person_id(person)}/").json()
    assert file["application_ids"] == [consent.json()["application_id"]]
    assert [p["state"] for p in file["pushes"]] == ["consented"]
    assert [h["event"] for h in file["history"]] == ["consent", "listed", "visit"]


def pushed_person_id(person: dict) -> int:
    from outreach.models import Person

    return Person.objects.get(id_number=person["id_number"]).pk
