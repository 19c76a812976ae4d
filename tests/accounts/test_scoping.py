"""A community sees only itself; a county sees its townships and communities; nobody sees
across the border of their unit; out of scope is 404, exactly as if absent."""

import pytest

from accounts.models import OrgUnit, User
from accounts.scoping import scope
from tests.conftest import api_as


def codes(response):
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def test_it_shows_a_community_only_its_own_unit(community_user):
    assert codes(api_as(community_user).get("/api/v1/units/")) == ["650102001001"]


def test_it_hides_another_community_as_if_absent(community_user):
    client = api_as(community_user)
    assert client.get("/api/v1/units/650102002001/").status_code == 404
    assert client.get("/api/v1/units/999999999999/").status_code == 404
    assert client.get("/api/v1/units/650102001001/").status_code == 200


def test_it_shows_a_county_its_townships_and_communities(county_user):
    assert codes(api_as(county_user).get("/api/v1/units/")) == [
        "650102000000",
        "650102001000",
        "650102001001",
        "650102002000",
        "650102002001",
    ]


def test_it_keeps_a_county_out_of_another_county(county_user, other_county_user):
    assert api_as(county_user).get("/api/v1/units/653101001001/").status_code == 404
    assert "650102001001" not in codes(api_as(other_county_user).get("/api/v1/units/"))


def test_it_shows_a_township_its_communities_but_not_its_neighbours(township_user):
    assert codes(api_as(township_user).get("/api/v1/units/")) == ["650102001000", "650102001001"]


def test_it_keeps_provinces_apart(province_user):
    got = codes(api_as(province_user).get("/api/v1/units/?page_size=100"))
    assert got and all(code.startswith("65") for code in got)


def test_it_gives_applicants_no_staff_view(applicant, demo):
    assert codes(api_as(applicant).get("/api/v1/units/")) == []


def test_it_gives_admins_everything(admin_user):
    assert api_as(admin_user).get("/api/v1/units/").json()["count"] == OrgUnit.objects.count()


def test_it_scopes_any_model_by_its_unit_foreign_key(county_user, other_county_user):
    visible = set(scope(User.objects.all(), county_user).values_list("username", flat=True))
    assert visible == {"xj_county", "xj_township", "xj_community", "xj_township2", "xj_community2"}
    assert "xj_community" not in set(scope(User.objects.all(), other_county_user).values_list("username", flat=True))


def test_it_sees_nothing_when_signed_out(demo):
    from django.contrib.auth.models import AnonymousUser

    assert not scope(OrgUnit.objects.all(), AnonymousUser(), code_field="code").exists()


def test_it_lists_units_in_a_fixed_number_of_queries(admin_user, django_assert_num_queries):
    client = api_as(admin_user)
    total = OrgUnit.objects.count()
    # count + page, whatever the page size
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/units/?page_size=1").json()["results"]) == 1
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/units/?page_size=50").json()["results"]) == total


@pytest.mark.parametrize("path", ["/api/v1/units/", "/api/v1/me/"])
def test_it_answers_401_without_credentials(api, path):
    response = api.get(path)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Token")
