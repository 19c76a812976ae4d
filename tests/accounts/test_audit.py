"""The audit trail's core (DESIGN.md §9, API.md "Audit"): accounts.audit.record appends, nothing
changes or deletes an event, and GET /api/v1/audit/ shows each reader the events of its scope."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory

from accounts import audit
from accounts.models import AuditEvent, User
from tests.conftest import api_as

KEYS = {"at", "actor", "role", "unit_code", "action", "object_type", "object_id", "detail"}


def test_record_keeps_the_actor_role_unit_and_remote_addr_only(community_user):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="6.6.6.6")
    event = audit.record(
        actor=community_user,
        action="download",
        object_type="application",
        object_id=7,
        detail={"f": 1},
        request=request,
    )
    event.refresh_from_db()
    assert (event.actor, event.role, event.unit_code, event.ip) == (
        community_user,
        "community",
        "650102001001",
        "10.1.2.3",
    )
    assert (event.object_type, event.object_id, event.detail) == ("application", "7", {"f": 1})


def test_record_refuses_an_unknown_action(community_user):
    with pytest.raises(ValueError):
        audit.record(actor=community_user, action="peek")


def test_events_cannot_be_changed_or_deleted(community_user):
    event = audit.record(actor=community_user, action="export")
    event.action = "download"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    with pytest.raises(ValidationError):
        AuditEvent.objects.filter(pk=event.pk).update(action="download")
    with pytest.raises(ValidationError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().action == "export"


def test_the_admin_page_is_read_only_and_searches_by_actor(admin_user, community_user, county_user):
    audit.record(actor=community_user, action="download", object_type="application", object_id=1)
    audit.record(actor=county_user, action="export")
    client = Client()
    client.force_login(admin_user)
    page = client.get("/admin/accounts/auditevent/?q=xj_community")
    assert page.status_code == 200
    assert "审计记录" in page.content.decode() and page.context["cl"].result_count == 1
    event = AuditEvent.objects.first()
    assert client.get(f"/admin/accounts/auditevent/{event.pk}/delete/").status_code == 403
    assert client.get("/admin/accounts/auditevent/add/").status_code == 403
    assert client.post(f"/admin/accounts/auditevent/{event.pk}/change/", {"action": "export"}).status_code == 403
    audit.record(actor=None, action="login_failed", detail={"username": "guess_me"})
    failed = client.get("/admin/accounts/auditevent/?q=guess_me")
    assert failed.context["cl"].result_count == 1 and "guess_me" in failed.content.decode()


def test_the_api_lists_events_in_the_readers_scope(
    community_user, county_user, other_county_user, province_user, admin_user, demo
):
    jilin = User.objects.get(username="jl_community")
    audit.record(actor=community_user, action="download", object_type="application", object_id=1)
    audit.record(actor=jilin, action="view_full_id", object_type="application", object_id=2)
    audit.record(actor=None, action="login_failed", detail={"username": "nobody"})

    def actors(user, query=""):
        response = api_as(user).get(f"/api/v1/audit/{query}")
        assert response.status_code == 200, response.content
        return [e["actor"] for e in response.json()["results"]]

    assert actors(admin_user) == [None, "jl_community", "xj_community"]
    assert actors(province_user) == ["xj_community"]
    assert actors(county_user) == ["xj_community"]
    assert actors(other_county_user) == []
    body = api_as(admin_user).get("/api/v1/audit/?object_type=application&object_id=2").json()
    assert body["count"] == 1 and set(body["results"][0]) == KEYS
    assert body["results"][0] | {"at": None} == {
        "at": None,
        "actor": "jl_community",
        "role": "community",
        "unit_code": "220102001001",
        "action": "view_full_id",
        "object_type": "application",
        "object_id": "2",
        "detail": {},
    }
    assert actors(admin_user, "?actor=xj_community") == ["xj_community"]
    assert actors(admin_user, "?action=login_failed") == [None]


def test_other_roles_are_refused(api, community_user, township_user, applicant):
    assert api.get("/api/v1/audit/").status_code == 401
    for user in (community_user, township_user, applicant):
        response = api_as(user).get("/api/v1/audit/")
        assert response.status_code == 403 and "审计" in response.json()["detail"]


def test_the_list_pages_with_a_fixed_query_count(admin_user, community_user, county_user, django_assert_num_queries):
    for n in range(30):
        audit.record(actor=community_user if n % 2 else county_user, action="download", object_id=n)
    client = api_as(admin_user)
    with django_assert_num_queries(2):  # count, one page with its actors
        body = client.get("/api/v1/audit/?page_size=25").json()
    assert body["count"] == 30 and len(body["results"]) == 25 and body["next"]
