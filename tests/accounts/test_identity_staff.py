"""Verification in person (DESIGN.md §10): staff of a community, township or county whose scope holds an
application of the person saw the ID card. A person whose number someone else registered takes that
account over there: their password and phone, the other sign-ins ended, the old details kept."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import IdentityVerification, User
from applications.models import Applicant
from tests.accounts.identity_helpers import PASSWORD, person, received, register, token_client
from tests.conftest import api_as

PERSON = person(31)
NEW_PASSWORD = "Nv8-ben-ren-2025"


@pytest.fixture
def case(community_user):
    return received(community_user, PERSON)


@pytest.fixture
def account(db):
    assert register("冒用者", PERSON["id_number"], "13988880031").status_code == 201
    return User.objects.get(username=PERSON["id_number"])


def verify(user, account_id, **body):
    return api_as(user).post(f"/api/v1/accounts/{account_id}/verify-identity/", body, format="json")


def test_staff_in_scope_tie_the_account_to_the_person(case, account, community_user):
    client = token_client(PERSON["id_number"])
    assert client.get(f"/api/v1/applications/{case}/").status_code == 404
    response = verify(community_user, account.pk, phone="13988880099")
    assert response.status_code == 200 and response.json() == {"id": account.pk, "identity_verified": True}
    assert client.get(f"/api/v1/applications/{case}/").status_code == 200
    assert Applicant.objects.get(id_number=PERSON["id_number"]).user_id == account.pk
    record = IdentityVerification.objects.get(account=account)
    assert (record.method, record.officer, record.unit_code, record.takeover) == (
        "in_person",
        community_user,
        "650102001001",
        False,
    )
    assert record.before["phone"] == "13988880031" and record.after["phone"] == "13988880099"


def test_a_county_officer_above_may_verify(case, account, county_user):
    assert verify(county_user, account.pk).status_code == 200


@pytest.mark.parametrize("who", ["other_community_user", "other_county_user"])
def test_staff_out_of_scope_find_nothing(request, case, account, who):
    assert verify(request.getfixturevalue(who), account.pk).status_code == 404
    assert not User.objects.get(pk=account.pk).identity_verified


@pytest.mark.parametrize("who", ["province_user", "admin_user"])
def test_oversight_and_admins_do_not_verify(request, case, account, who):
    assert verify(request.getfixturevalue(who), account.pk).status_code == 403


def test_the_answer_codes(case, account, community_user, applicant):
    assert APIClient().post(f"/api/v1/accounts/{account.pk}/verify-identity/", {}).status_code == 401
    assert verify(applicant, account.pk).status_code == 403
    assert verify(community_user, 999999).status_code == 404
    assert verify(community_user, community_user.pk).status_code == 404  # not an applicant account
    no_case = User.objects.create_user(username=person(32)["id_number"], role="applicant")
    no_case.id_number = no_case.username
    no_case.save(update_fields=["id_number"])
    assert verify(community_user, no_case.pk).status_code == 404  # no application in scope
    assert verify(community_user, account.pk, phone="12").status_code == 400


def test_the_person_takes_over_an_account_someone_else_registered(case, account, community_user):
    impostor_api = token_client(PERSON["id_number"])
    impostor_web = Client()
    assert impostor_web.login(username=PERSON["id_number"], password=PASSWORD)

    missing = verify(community_user, account.pk, takeover=True, phone="13955550031")
    assert missing.status_code == 400 and "新密码" in missing.json()["password"][0]
    done = verify(community_user, account.pk, takeover=True, phone="13955550031", password=NEW_PASSWORD)
    assert done.status_code == 200

    # the impostor is out: token deleted, session ended by the new password, old password refused
    assert impostor_api.get("/api/v1/me/").status_code == 401
    assert not Token.objects.filter(user=account).exists()
    assert impostor_web.get(f"/applications/{case}/").status_code == 302  # to the login page
    assert not Client().login(username=PERSON["id_number"], password=PASSWORD)

    # the person is in, with their own name and phone
    person_api = token_client(PERSON["id_number"], NEW_PASSWORD)
    assert person_api.get(f"/api/v1/applications/{case}/").status_code == 200
    account.refresh_from_db()
    assert (account.full_name, account.phone, account.email) == (PERSON["name"], "13955550031", "")
    # nothing silently lost: what the account held before is on the record
    record = IdentityVerification.objects.get(account=account)
    assert record.takeover and record.before["full_name"] == "冒用者" and record.before["phone"] == "13988880031"


def test_the_staff_page_finds_the_account_from_a_case_and_verifies(case, account, community_user):
    web = Client()
    web.force_login(community_user)
    page = web.get(f"/accounts/identity/?application={case}").content.decode()
    assert "冒用者" in page and "139****0031" in page and "未核验" in page
    done = web.post(f"/accounts/identity/?application={case}", {"action": "verify", "phone": ""}, follow=True)
    assert "已核验身份" in done.content.decode()
    assert User.objects.get(pk=account.pk).identity_method == "in_person"


def test_the_staff_page_hands_the_account_over(case, account, community_user):
    web = Client()
    web.force_login(community_user)
    url = "/accounts/identity/"
    found = web.post(url, {"action": "search", "id_number": PERSON["id_number"]}).content.decode()
    assert "冒用者" in found and "未核验" in found
    mismatch = {
        "action": "takeover",
        "id_number": PERSON["id_number"],
        "phone": "13955550031",
        "password1": NEW_PASSWORD,
        "password2": "x",
    }
    assert "不一致" in web.post(url, mismatch).content.decode()
    body = {**mismatch, "password2": NEW_PASSWORD}
    done = web.post(url, body, follow=True)
    assert "账号已由本人取回" in done.content.decode()
    # issue 12: the page's addresses (access logs keep them) never carry the ID number
    assert done.redirect_chain == [(f"/accounts/identity/?account={account.pk}", 302)]
    assert Client().login(username=PERSON["id_number"], password=NEW_PASSWORD)


def test_the_staff_page_shows_nothing_out_of_scope(case, account, other_community_user, applicant):
    web = Client()
    web.force_login(other_community_user)
    search = {"action": "search", "id_number": PERSON["id_number"]}
    page = web.post("/accounts/identity/", search).content.decode()
    assert "没有该身份证号的申请记录" in page and "冒用者" not in page
    assert web.get(f"/accounts/identity/?application={case}").status_code == 404
    assert web.get(f"/accounts/identity/?account={account.pk}").status_code == 404
    # a verify posted with the number still finds nothing out of scope
    assert web.post("/accounts/identity/", {**search, "action": "verify"}).status_code == 200
    assert not User.objects.get(pk=account.pk).identity_verified
    web.force_login(applicant)
    assert web.get("/accounts/identity/").status_code == 403


def test_the_id_number_is_never_read_from_the_address(case, account, community_user):
    """issue 12: full ID numbers never in URLs; an old ?id_number= link finds nothing."""
    web = Client()
    web.force_login(community_user)
    page = web.get(f"/accounts/identity/?id_number={PERSON['id_number']}").content.decode()
    assert "冒用者" not in page and "未核验" not in page
    assert 'method="post"' in page


def test_the_case_page_leads_staff_to_the_identity_check(case, community_user):
    web = Client()
    web.force_login(community_user)
    page = web.get(f"/applications/{case}/").content.decode()
    assert f"/accounts/identity/?application={case}" in page and "核验申请人身份" in page
