from django_fsm import TransitionNotAllowed
from rest_framework.test import APIRequestFactory
from rest_framework.throttling import ScopedRateThrottle

from accounts.demo import DEMO_PASSWORD
from config.api import exception_handler


def test_it_issues_a_token_that_authenticates(api, community_user):
    response = api.post("/api/v1/auth/token", {"username": "xj_community", "password": DEMO_PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/v1/me/").json()
    assert me == {
        "username": "xj_community",
        "full_name": community_user.full_name,
        "role": "community",
        "role_label": "社区（村）经办人员",
        "unit_code": "650102001001",
        "unit_name": community_user.unit.name,
    }


def test_it_refuses_a_wrong_password_with_a_chinese_400(api, demo):
    response = api.post("/api/v1/auth/token", {"username": "xj_community", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert "无法使用提供的认证信息登录" in response.json()["non_field_errors"][0]


def test_it_names_missing_fields(api, db):
    response = api.post("/api/v1/auth/token", {"username": "xj_community"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"password"}


def test_it_refuses_a_bad_token(api, demo):
    api.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert api.get("/api/v1/me/").status_code == 401


def test_it_rate_limits_password_guessing(api, demo, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "auth", "3/min")
    statuses = [
        api.post("/api/v1/auth/token", {"username": "xj_community", "password": "x"}, format="json").status_code
        for _ in range(4)
    ]
    assert statuses == [400, 400, 400, 429]
    assert "秒" in api.post("/api/v1/auth/token", {}, format="json").json()["detail"]


def test_it_serves_the_openapi_schema_and_docs_without_a_cdn(client, community_user):
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    document = schema.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/auth/token" in document["paths"]
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower()


def test_it_turns_a_forbidden_transition_into_409():
    request = APIRequestFactory().post("/")
    context = {"request": request, "view": None}
    generic = exception_handler(TransitionNotAllowed("Can't switch from state 'a' using method 'b'"), context)
    assert generic.status_code == 409 and "刷新" in generic.data["detail"]  # django-fsm's English stays hidden
    told = exception_handler(TransitionNotAllowed("公示期尚未结束，不能结束公示。"), context)
    assert told.status_code == 409 and told.data["detail"] == "公示期尚未结束，不能结束公示。"


def test_the_openapi_schema_has_no_warnings():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert "/api/v1/notices/{id}/publish/" in out.getvalue()
