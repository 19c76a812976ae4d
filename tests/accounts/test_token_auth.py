"""The API's token authentication (accounts.authentication): the user and the unit every staff call
scopes by, in one query (issue 13); a wrong token or an inactive user is still refused."""

import pytest
from django.test import RequestFactory
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.test import APIClient

from accounts.authentication import TokenAuthentication
from tests.factories import staff


def authenticate(key: str):
    return TokenAuthentication().authenticate(RequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {key}"))


def test_the_user_and_the_unit_come_in_one_query(demo, django_assert_num_queries):
    token = Token.objects.create(user=staff("xj_county"))
    with django_assert_num_queries(1):
        user, _ = authenticate(token.key)
        assert user.unit.code == "650102000000"


def test_a_wrong_token_and_an_inactive_user_are_refused(demo):
    user = staff("xj_county")
    token = Token.objects.create(user=user)
    with pytest.raises(AuthenticationFailed):
        authenticate("0" * 40)
    user.is_active = False
    user.save(update_fields=["is_active"])
    with pytest.raises(AuthenticationFailed):
        authenticate(token.key)


def test_the_api_takes_the_token_and_refuses_a_bad_one_with_401(demo):
    client = APIClient(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff('jl_county')).key}")
    response = client.get("/api/v1/applications/")
    assert response.status_code == 200
    assert client.get("/api/v1/applications/", HTTP_AUTHORIZATION="Token nonsense").status_code == 401
