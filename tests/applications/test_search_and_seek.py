"""A name or ID number never in a URL (issue 12 #3) and seek pagination of the queue and the list API
(issue 13)."""

from datetime import date

import pytest
import time_machine

from accounts.models import AuditEvent
from applications.selectors import SORTS, QueueFilters, application_queue, queue_page
from config.pagination import Cursor
from tests.conftest import api_as
from tests.factories import ApplicationFactory, staff


@pytest.fixture
def cases(community_user, county_user):
    """Open cases with deadlines (two on the same day) and decided ones without."""
    made = []
    for day, state in (
        (2, "initial_review"),
        (2, "initial_review"),
        (3, "township_review"),
        (4, "approved"),
        (5, "initial_review"),
    ):
        with time_machine.travel(f"2026-03-0{day} 10:00 +0800", tick=False):
            made.append(ApplicationFactory(actor=community_user, state=state, person__birth=date(1980, 1, day)))
    with time_machine.travel("2026-03-06 10:00 +0800", tick=False):
        made.append(ApplicationFactory(actor=community_user, state="rejected", person__birth=date(1981, 1, 6)))
    return made


def test_a_full_id_typed_in_the_search_box_never_reaches_a_url(client, cases, county_user):
    number = cases[2].applicant.id_number
    client.force_login(county_user)
    events = AuditEvent.objects.count()
    response = client.post("/queue/", {"state": "all", "q": number})
    assert response.status_code == 302 and number not in response["Location"] and "q=" not in response["Location"]
    assert response["Location"].startswith("/queue/?state=all&k=")
    page = client.get(response["Location"])
    body = page.content.decode()
    assert cases[2].reference in body and cases[0].reference not in body
    for link in (*page.context["sorting"].values(), page.context["params"]):
        assert number not in str(link) and number[:6] not in str(link)
    assert f"{number[:6]}********{number[-4:]}" in body  # the row stays masked
    assert AuditEvent.objects.count() == events  # a masked list shows no full ID: nothing to audit
    # an old link with ?q= is answered with the key too, the name likewise
    legacy = client.get(f"/queue/?state=all&q={cases[0].applicant.name}")
    assert legacy.status_code == 302 and "q=" not in legacy["Location"] and "k=" in legacy["Location"]
    # the export from the searched list exports what the list shows
    export = client.get(f"/exports/applications.xlsx?{response['Location'].split('?')[1]}")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_a_search_key_means_nothing_in_another_session(client, cases, county_user, demo):
    client.force_login(county_user)
    location = client.post("/queue/", {"state": "all", "q": cases[2].applicant.id_number})["Location"]
    other = type(client)()
    other.force_login(staff("xj_county"))
    body = other.get(location).content.decode()
    assert "搜索条件已失效" in body and cases[2].reference not in body
    assert other.get(f"/exports/applications.xlsx?{location.split('?')[1]}").status_code == 400


def test_the_api_takes_searches_by_post_only(cases, county_user):
    api = api_as(county_user)
    number = cases[2].applicant.id_number
    refused = api.get(f"/api/v1/applications/?q={number}")
    assert refused.status_code == 400 and "POST" in refused.json()["q"][0]
    found = api.post("/api/v1/applications/search/", {"q": number}, format="json").json()
    assert [r["reference"] for r in found["results"]] == [cases[2].reference] and found["count"] == 1
    assert found["results"][0]["id_number"] != number  # masked as in the list
    paged = api.post("/api/v1/applications/search/?page_size=2", {"q": "6501"}, format="json").json()
    assert len(paged["results"]) == 2 and "cursor=" in paged["next"] and "6501" not in paged["next"]
    rest = api.post(paged["next"], {"q": "6501"}, format="json").json()
    assert {r["id"] for r in rest["results"]}.isdisjoint(r["id"] for r in paged["results"])
    assert api.post("/api/v1/applications/search/", {}, format="json").status_code == 400


def _walk(queryset, sort: str, size: int) -> list[list[int]]:
    pages, cursor = [], None
    while True:
        page = queue_page(queryset, sort=sort, cursor=cursor, size=size)
        pages.append([a.pk for a in page])
        if page.next is None:
            return pages
        cursor = page.next


@pytest.mark.parametrize("sort", sorted(SORTS))
@pytest.mark.parametrize("size", [1, 2, 4])
def test_seek_pages_cover_the_list_once_in_order_both_ways(cases, county_user, sort, size):
    queryset = application_queue(user=county_user, filters=QueueFilters(sort=sort))
    expected = list(queryset.values_list("pk", flat=True))
    assert len(expected) == 6 and queryset.filter(stage_due_on=None).count() == 2  # dated, undated and a tie
    pages = _walk(queryset, sort, size)
    assert [pk for page in pages for pk in page] == expected
    assert all(len(page) == size for page in pages[:-1])
    # back from the last page: the same pages again
    back, page = [pages[-1]], queue_page(queryset, sort=sort, cursor=_last_cursor(queryset, sort, size), size=size)
    while page.previous is not None:
        page = queue_page(queryset, sort=sort, cursor=page.previous, size=size)
        back.insert(0, [a.pk for a in page])
    assert back == pages


def _last_cursor(queryset, sort, size):
    cursor, page = None, queue_page(queryset, sort=sort, cursor=None, size=size)
    while page.next is not None:
        cursor, page = page.next, queue_page(queryset, sort=sort, cursor=page.next, size=size)
    return cursor


def test_the_api_list_pages_by_cursor(cases, county_user, django_assert_num_queries):
    api = api_as(county_user)
    first = api.get("/api/v1/applications/?page_size=4").json()
    assert first["count"] == 6 and first["previous"] is None and "cursor=" in first["next"]
    with django_assert_num_queries(2):  # count + the page, as on page 1
        second = api.get(first["next"]).json()
    assert len(second["results"]) == 2 and second["next"] is None
    assert [r["id"] for r in api.get(second["previous"]).json()["results"]] == [r["id"] for r in first["results"]]
    bad = api.get("/api/v1/applications/?cursor=not-a-cursor")
    assert bad.status_code == 400 and "游标" in bad.json()["cursor"][0]
    forged = Cursor("2026-13-40", 1).encode()
    assert api.get(f"/api/v1/applications/?cursor={forged}").status_code == 400


def test_a_forged_cursor_on_the_page_shows_the_first_page(client, cases, county_user):
    client.force_login(county_user)
    response = client.get("/queue/?state=all&cursor=!!")
    assert response.status_code == 200 and response.content.decode().count('name="ids"') == 6
