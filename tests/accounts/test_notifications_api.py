"""A user's messages (API.md): GET /api/v1/notifications/ (own, paginated) and POST .../{id}/read/."""

import pytest
from django.test import Client

from accounts.models import Notification, NotificationKind
from accounts.notifications import notify
from applications.identity import identity_verify_in_person
from tests.accounts.identity_helpers import act, person, received, register
from tests.conftest import api_as

KEYS = {"id", "kind", "title", "body", "url", "created_at", "read"}


def message(user, n: int, **over) -> Notification:
    fields = {"kind": NotificationKind.OVERDUE, "title": f"提醒{n}", "body": f"第{n}条", "url": "/queue/", **over}
    return notify(user=user, key=f"test:{n}", **fields)


def test_it_lists_the_callers_own_messages_newest_first(community_user, other_community_user):
    first, second = message(community_user, 1), message(community_user, 2)
    message(other_community_user, 3)
    body = api_as(community_user).get("/api/v1/notifications/").json()
    assert body["count"] == 2 and [n["id"] for n in body["results"]] == [second.pk, first.pk]
    assert set(body["results"][0]) == KEYS
    assert body["results"][0] | {"created_at": None} == {
        "id": second.pk,
        "kind": "overdue",
        "title": "提醒2",
        "body": "第2条",
        "url": "/queue/",
        "created_at": None,
        "read": False,
    }


def test_it_pages_and_filters_unread(community_user):
    notes = [message(community_user, n) for n in range(25)]
    client = api_as(community_user)
    page = client.get("/api/v1/notifications/?page=2").json()
    assert page["count"] == 25 and len(page["results"]) == 5 and page["previous"]
    client.post(f"/api/v1/notifications/{notes[0].pk}/read/")
    assert client.get("/api/v1/notifications/?unread=true").json()["count"] == 24


@pytest.mark.parametrize("n", [1, 30])
def test_the_list_runs_a_fixed_number_of_queries(community_user, django_assert_num_queries, n):
    for i in range(n):
        message(community_user, i)
    client = api_as(community_user)
    with django_assert_num_queries(2):  # count + one page
        assert client.get("/api/v1/notifications/").status_code == 200


def test_it_marks_one_read_and_only_the_callers_own(community_user, other_community_user, api):
    note = message(community_user, 1)
    assert api.post(f"/api/v1/notifications/{note.pk}/read/").status_code == 401
    assert api.get("/api/v1/notifications/").status_code == 401
    assert api_as(other_community_user).post(f"/api/v1/notifications/{note.pk}/read/").status_code == 404
    assert api_as(community_user).post("/api/v1/notifications/999999999/read/").status_code == 404
    done = api_as(community_user).post(f"/api/v1/notifications/{note.pk}/read/")
    assert done.status_code == 200 and done.json()["read"] is True
    note.refresh_from_db()
    read_at = note.read_at
    assert read_at is not None
    api_as(community_user).post(f"/api/v1/notifications/{note.pk}/read/")
    note.refresh_from_db()
    assert note.read_at == read_at  # reading again keeps the first time


def test_the_person_gets_one_on_each_state_change_of_their_case(community_user):
    who = person(41)
    case = received(community_user, who)
    register(who["name"], who["id_number"], "13966660041")
    from accounts.models import User

    account = User.objects.get(username=who["id_number"])
    identity_verify_in_person(officer=community_user, account_id=account.pk)
    assert act(community_user, case, "withdraw", reason="本人要求撤回。").status_code == 200
    results = api_as(account).get("/api/v1/notifications/").json()["results"]
    assert [(n["kind"], n["title"]) for n in results] == [("application", "办理进度：撤回申请")]
    assert "已撤回" in results[0]["body"] and results[0]["url"] == f"/applications/{case}/"


def test_the_page_shows_title_and_body_and_the_badge_counts_unread(community_user):
    message(community_user, 1, title="办理超期提醒", body="某某申请已超过办理期限")
    web = Client()
    web.force_login(community_user)
    assert '<b class="badge">1</b>' in web.get("/queue/").content.decode()
    page = web.get("/accounts/notifications/").content.decode()
    assert "办理超期提醒" in page and "某某申请已超过办理期限" in page and "超期提醒" in page
    assert '<b class="badge">1</b>' not in web.get("/queue/").content.decode()
