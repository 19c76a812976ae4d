"""The register 一人一册 searched by name or ID number without either in a URL (issue 12 #3): the page's
form posts and is answered with a redirect to a session key, the API searches by POST and refuses `?q=`."""

import pytest
from django.test import Client

from tests.conftest import api_as
from tests.factories import PersonFactory, staff
from tests.outreach.test_register_api import visit

pytestmark = pytest.mark.django_db


def client_of(username: str) -> Client:
    client = Client()
    client.force_login(staff(username))
    return client


@pytest.fixture
def surveyed(community_user):
    people = [PersonFactory(), PersonFactory()]
    for person in people:
        assert visit(community_user, person).status_code == 201
    return people


def test_the_page_searches_by_post_and_keeps_the_id_number_out_of_every_url(surveyed):
    wanted, other = surveyed
    client = client_of("xj_county")

    answer = client.post("/outreach/persons/", {"q": wanted["id_number"]})
    assert answer.status_code == 302
    assert wanted["id_number"] not in answer.url and "k=" in answer.url
    page = client.get(answer.url)
    assert wanted["name"] in page.text and other["name"] not in page.text
    assert page.text.count(wanted["id_number"]) == 1  # in the search box the user typed it in; masked in the row

    old_link = client.get(f"/outreach/persons/?q={wanted['id_number']}")  # a bookmark from before
    assert old_link.status_code == 302 and wanted["id_number"] not in old_link.url

    stranger = client_of("xj_county").get(answer.url)  # the key means nothing in another session
    assert wanted["name"] not in stranger.text and "搜索条件已失效" in stranger.text


def test_the_api_searches_in_the_body_and_refuses_a_query_in_the_url(surveyed):
    wanted, other = surveyed
    client = api_as(staff("xj_county"))

    refused = client.get(f"/api/v1/persons/?q={wanted['id_number']}")
    assert refused.status_code == 400 and "POST /api/v1/persons/search/" in refused.json()["q"][0]

    found = client.post("/api/v1/persons/search/", {"q": wanted["id_number"]}, format="json").json()
    assert [r["name"] for r in found["results"]] == [wanted["name"]]
    by_name = client.post("/api/v1/persons/search/", {"q": other["name"]}, format="json").json()
    assert other["name"] in [r["name"] for r in by_name["results"]]
    assert client.post("/api/v1/persons/search/", {}, format="json").status_code == 400
    outside = api_as(staff("xj_community2")).post("/api/v1/persons/search/", {"q": wanted["id_number"]}, format="json")
    assert outside.json()["count"] == 0
