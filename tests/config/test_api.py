import re
from datetime import date

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django_fsm import TransitionNotAllowed
from rest_framework.test import APIRequestFactory
from rest_framework.throttling import ScopedRateThrottle

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from config.api import exception_handler
from tests.conftest import api_as
from tests.factories import ApplicationFactory, make_id, provide_materials, staff

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


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


NOT_FOUND = {"detail": "未找到。"}


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("xj_county", "/api/v1/applications/999999/"),
        ("xj_county", "/api/v1/notices/999999/"),
        ("xj_county", "/api/v1/recognitions/999999/"),
        ("xj_county", "/api/v1/exits/999999/"),
        ("xj_county", "/api/v1/persons/999999/"),
        ("xj_county", "/api/v1/exports/999999/"),
        ("xj_province", "/api/v1/push-lists/999999/"),
    ],
)
def test_an_absent_object_is_a_404_in_chinese(demo, username, path):
    response = api_as(staff(username)).get(path)
    assert response.status_code == 404 and response.json() == NOT_FOUND


def test_an_object_out_of_scope_answers_exactly_like_an_absent_one(community_user, other_county_user):
    application = ApplicationFactory(actor=community_user)
    material = provide_materials(application)[0]
    outsider, insider = api_as(other_county_user), api_as(community_user)
    for client, path in [
        (outsider, f"/api/v1/applications/{application.pk}/"),
        (outsider, f"/api/v1/applications/{application.pk}/materials/{material.pk}/file"),
        (insider, f"/api/v1/applications/{application.pk}/materials/999999/file"),
        (insider, "/api/v1/applications/999999/"),
    ]:
        response = client.get(path)
        assert (response.status_code, response.json()) == (404, NOT_FOUND), path


def test_a_body_that_is_not_json_is_a_400_in_chinese(county_user):
    response = api_as(county_user).generic(
        "POST", "/api/v1/eligibility/evaluate", '{"policy": "xinjiang-2025",', content_type="application/json"
    )
    assert response.status_code == 400 and response.json() == {"detail": "请求内容不是有效的 JSON，无法读取。"}
    no_boundary = api_as(county_user).generic(
        "POST", "/api/v1/eligibility/evaluate", "x", content_type="multipart/form-data"
    )
    assert no_boundary.status_code == 400 and no_boundary.json() == {"detail": "请求内容的格式有误，无法读取。"}


def test_a_password_too_short_is_refused_in_chinese(api, db):
    body = {"name": "赵六", "id_number": make_id(date(1980, 1, 1)), "phone": "13911110004", "password": "short"}
    response = api.post("/api/v1/accounts/register", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"password": ["密码长度太短。密码必须包含至少 8 个字符。"]}


@pytest.mark.parametrize("password", ["1", "12345678", "password", "650102198001010016"])
def test_every_password_validator_speaks_chinese(password):
    user = User(username="650102198001010016", id_number="650102198001010016", full_name="赵六")
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    assert [m for m in refused.value.messages if not CJK.search(m) or LATIN.search(m)] == []
