"""Searches read the case's copies of the applicant's number and name (issue 13): what they find, in
scope only, the copies kept equal to the record, and pages of a fixed number of queries."""

import importlib
from datetime import date

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications import services
from applications.api import ApplicationSearch
from applications.models import Application
from applications.selectors import QueueFilters, application_queue, queue_page
from tests.conftest import api_as
from tests.factories import ApplicationFactory, staff


def found(user, q: str, **filters) -> set[int]:
    return set(application_queue(user=user, filters=QueueFilters(q=q, **filters)).values_list("pk", flat=True))


@pytest.fixture
def people(community_user, other_community_user):
    """Namesakes and one birth year in three communities, one of them in another county (Kashgar)."""
    return {
        "mine": ApplicationFactory(
            actor=community_user, person__name="买买提江·吐尔逊", person__birth=date(1967, 3, 1)
        ),
        "li": ApplicationFactory(actor=community_user, person__name="李四", person__birth=date(1985, 2, 2)),
        "li2": ApplicationFactory(actor=community_user, person__name="李娜", person__birth=date(1986, 2, 2)),
        "other": ApplicationFactory(
            actor=other_community_user, person__name="买买提江·吐尔逊", person__birth=date(1967, 5, 1)
        ),
        "kashgar": ApplicationFactory(
            actor=staff("ks_township"),
            person__name="买买提江·吐尔逊",
            person__region="650102",  # born in Urumqi, lives in Kashgar
            person__birth=date(1967, 7, 1),
        ),
        "middle": ApplicationFactory(
            actor=community_user, person__name="阿依古丽·买买提江", person__birth=date(1990, 1, 1)
        ),
    }


def test_a_name_or_number_prefix_finds_the_cases_in_scope_only(people, community_user, county_user, demo):
    pk = {key: case.pk for key, case in people.items()}
    namesakes = {pk["mine"], pk["other"], pk["kashgar"]}
    assert found(staff("xj_province"), "买买提江·吐尔逊") == namesakes
    assert found(county_user, "买买提江·吐尔逊") == {pk["mine"], pk["other"]}  # Kashgar is another county
    assert found(community_user, "买买提江") == {pk["mine"]}  # the name's start; not the middle one's father
    assert found(staff("ks_county"), "买买提") == {pk["kashgar"]}
    assert found(staff("jl_county"), "买买提江·吐尔逊") == set()
    # one and two characters: a surname, a short name (no index length limit)
    assert found(community_user, "李") == {pk["li"], pk["li2"]} and found(community_user, "李四") == {pk["li"]}
    # a number's first digits (region + birth year), a full number in any case of its last character
    assert found(county_user, "6501021967") == {pk["mine"], pk["other"]}
    assert found(staff("ks_county"), "6501021967") == {pk["kashgar"]}
    number = people["other"].applicant.id_number
    assert found(county_user, number.lower()) == {pk["other"]} and found(community_user, number) == set()
    assert found(county_user, "6501021967", states=("approved",)) == set()


def test_the_copies_follow_the_record(people, community_user, county_user):
    case = people["li"]
    services.application_edit(actor=community_user, application_id=case.pk, applicant={"name": "李思远"})
    assert found(county_user, "李思远") == {case.pk} and case.pk not in found(county_user, "李四")
    # the same person applying again under a corrected name: the earlier case is found by it too
    services.application_edit(actor=community_user, application_id=case.pk, applicant={"name": "李四"})
    Application.objects.filter(pk=case.pk).update(state="rejected")  # decided: a new application may follow
    again = ApplicationFactory(actor=community_user, person__name="李斯", person__id_number=case.applicant.id_number)
    assert again.applicant_id == case.applicant_id
    assert found(county_user, "李斯") == {case.pk, again.pk} and found(county_user, "李四") == set()


def test_the_migration_copies_every_case(people):
    Application.objects.update(applicant_id_number="", applicant_name="")
    migration = importlib.import_module("applications.migrations.0011_search_columns")
    migration.copy_applicants(apps, None)
    for case in Application.objects.select_related("applicant"):
        assert (case.applicant_id_number, case.applicant_name) == (case.applicant.id_number, case.applicant.name)


def test_a_searched_page_takes_the_queries_of_any_page(client, people, county_user, django_assert_num_queries):
    client.force_login(county_user)
    client.get("/queue/?state=all")  # the session and the calendars loaded once
    with django_assert_num_queries(6):  # session, user, unit, rows, count, notifications
        body = client.get("/queue/?state=all").content.decode()
    assert "买买提江" in body
    for q, shown in (("买买提江·吐尔逊", 2), ("6501021967", 2), ("李", 2), ("王", 0)):
        location = client.post("/queue/", {"state": "all", "q": q})["Location"]
        with django_assert_num_queries(6):
            page = client.get(location)
        assert len(page.context["rows"]) == shown and page.context["pages"]["count"] == shown


def test_a_search_counts_to_its_own_small_cap_and_says_so(client, people, county_user, monkeypatch):
    """A name shared by thousands is not counted through on every page (issue 13): a search counts up
    to SEARCH_COUNT_CAP and asks for more of the name or number; a list without one keeps COUNT_CAP."""
    monkeypatch.setattr("config.pagination.SEARCH_COUNT_CAP", 1)
    client.force_login(county_user)
    namesakes = client.get(client.post("/queue/", {"state": "all", "q": "买买提江·吐尔逊"})["Location"])
    assert len(namesakes.context["rows"]) == 2 and namesakes.context["pages"]["capped"]
    assert "共 1 件以上（搜索只计前 1 件；请输入更完整的姓名或身份证号）" in namesakes.content.decode()
    one = client.get(client.post("/queue/", {"state": "all", "q": "李四"})["Location"])
    assert one.context["pages"]["count"] == 1 and "件以上" not in one.content.decode()
    listed = client.get("/queue/?state=all")
    assert listed.context["pages"]["count"] == 5 and "件以上" not in listed.content.decode()


def test_the_api_search_counts_to_the_same_small_cap(people, county_user, monkeypatch):
    """POST …/search/ counts as the queue page's search does (issue 13: it counted a common name up to
    10,000 on every page); the plain list keeps COUNT_CAP."""
    monkeypatch.setattr(ApplicationSearch, "count_cap", 1, raising=False)
    api = api_as(county_user)
    body = api.post("/api/v1/applications/search/", {"q": "买买提江·吐尔逊"}, format="json").json()
    assert (body["count"], body["count_capped"], len(body["results"])) == (2, True, 2)
    body = api.post("/api/v1/applications/search/", {"q": "李四"}, format="json").json()
    assert (body["count"], body["count_capped"]) == (1, False)
    assert api.get("/api/v1/applications/").json()["count_capped"] is False


@pytest.mark.parametrize("sort", ["due", "-due"])
def test_a_name_search_pages_its_bearers_and_the_longer_names_in_one_order(community_user, county_user, sort):
    """In deadline order the bearers of the very name are read apart from the longer names starting
    with it (PostgreSQL: each in its index order, stopping at a page, issue 13); the pages still run
    through all of them in the list's one order, undated cases at their end, both ways."""
    made = []
    for day, name, state in (
        (2, "王芳", "initial_review"),
        (3, "王芳芳", "initial_review"),
        (3, "王芳", "initial_review"),
        (4, "王芳", "approved"),
        (5, "王芳芳", "township_review"),
        (6, "王芳华", "rejected"),
        (6, "王方", "initial_review"),  # another name: never found
    ):
        with time_machine.travel(f"2026-03-0{day} 10:00 +0800", tick=False):
            made.append(ApplicationFactory(actor=community_user, state=state, person__name=name))
    filters = QueueFilters(q="王芳", sort=sort)
    queryset = application_queue(user=county_user, filters=filters)
    expected = list(queryset.values_list("pk", flat=True))
    assert len(expected) == 6 and made[-1].pk not in expected
    with CaptureQueriesContext(connection) as captured:
        page = queue_page(queryset, sort=sort, cursor=None, size=2, name=filters.name)
    split = connection.features.supports_slicing_ordering_in_compound
    assert ("UNION" in captured.captured_queries[0]["sql"]) == split
    seen = [row.pk for row in page]
    while page.next:
        page = queue_page(queryset, sort=sort, cursor=page.next, size=2, name=filters.name)
        seen += [row.pk for row in page]
    assert seen == expected
    back = queue_page(queryset, sort=sort, cursor=page.previous, size=2, name=filters.name)
    assert [row.pk for row in back] == expected[2:4]
