"""Registration makes an unverified account that signs in with its ID number and tells nothing about
whether the system holds a record of that number (DESIGN.md §10, API.md)."""

import pytest
from django.test import Client
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from accounts import sms
from accounts.models import User
from applications.models import Applicant
from tests.accounts.identity_helpers import PASSWORD, make_id, person, received, register, submit, token_client


@pytest.fixture(autouse=True)
def _sms(settings):
    settings.SMS_BACKEND = "accounts.sms.LocmemBackend"
    sms.outbox.clear()


def test_it_answers_the_same_whether_or_not_a_record_exists(community_user):
    known = person(1)
    received(community_user, known)
    with_record = register("张三", known["id_number"], "13911110001")
    without = register("李四", make_id(seq=2), "13911110002")
    assert with_record.status_code == without.status_code == 201
    assert with_record.json().keys() == without.json().keys() == {"id", "identity_verified"}
    assert with_record.json()["identity_verified"] is without.json()["identity_verified"] is False
    account = User.objects.get(pk=with_record.json()["id"])
    assert (account.username, account.id_number, account.phone) == (known["id_number"],) * 2 + ("13911110001",)
    assert not account.identity_verified and account.role == "applicant" and account.unit_id is None
    assert Applicant.objects.get(id_number=known["id_number"]).user_id is None  # not tied by registering


def test_it_signs_in_with_the_id_number_even_with_a_lower_case_x(db):
    number = next(make_id(seq=s) for s in range(1, 99) if make_id(seq=s).endswith("X"))
    assert register("王五", number.lower(), "13911110003").status_code == 201
    client = token_client(number.lower())
    me = client.get("/api/v1/me/").json()
    assert me["username"] == number and me["role"] == "applicant" and me["identity_verified"] is False
    assert Client().login(username=number.lower(), password=PASSWORD)


def test_it_names_what_is_wrong(db):
    bad = APIClient().post(
        "/api/v1/accounts/register",
        {"name": "", "id_number": "650102197901011234", "phone": "123", "password": "x"},
        format="json",
    )
    assert bad.status_code == 400 and {"name", "phone"} <= bad.json().keys()
    checksum = register("赵六", "650102197901011234", "13911110004")
    assert checksum.status_code == 400 and "校验位" in checksum.json()["id_number"][0]
    far_future = register("赵六", make_id(birth="99370101", seq=4), "13911110004")
    assert far_future.status_code == 400 and far_future.json() == {"id_number": ["身份证号中的出生日期不存在。"]}
    weak = register("赵六", make_id(seq=4), "13911110004", password="12345678")
    assert weak.status_code == 400 and weak.json()["password"]
    assert not User.objects.filter(id_number=make_id(seq=4)).exists()


def test_a_second_account_for_one_number_is_told_how_to_take_it_back(db):
    number = make_id(seq=5)
    assert register("钱七", number, "13911110005").status_code == 201
    again = register("钱七", number, "13911110006")
    assert again.status_code == 400
    assert "核验身份" in again.json()["id_number"][0] and "社区" in again.json()["id_number"][0]


def test_registration_is_rate_limited(db, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "register", "2/min")
    codes = [register("孙八", make_id(seq=10 + i), f"1391111002{i}").status_code for i in range(3)]
    assert codes == [201, 201, 429]


def test_the_web_form_signs_in_and_asks_to_verify(db):
    client = Client()
    number = make_id(seq=6)
    response = client.post(
        "/accounts/register/",
        {
            "full_name": "周九",
            "id_number": number,
            "phone": "13911110007",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/accounts/verify/"
    page = response.content.decode()
    assert "身份验证" in page and "社区" in page and "获取短信验证码" in page
    assert User.objects.get(username=number).full_name == "周九"


def test_an_unverified_account_applies_where_no_record_exists_and_sees_it_once_verified(demo):
    mine = person(7)
    assert register(mine["name"], mine["id_number"], "13911110008").status_code == 201
    account = User.objects.get(username=mine["id_number"])
    client = token_client(mine["id_number"])

    created = submit(account, mine, channel="online")
    assert created.status_code == 201, created.json()
    case = created.json()["id"]
    record = Applicant.objects.get(id_number=mine["id_number"])
    assert (record.name, record.phone, record.address, record.user_id) == (
        mine["name"],
        mine["phone"],
        mine["address"],
        None,
    )
    assert client.get(f"/api/v1/applications/{case}/").status_code == 404  # not tied until verified
    # a second online application: the record now exists, so verify first (403 says how)
    again = submit(account, mine, channel="online")
    assert again.status_code == 403 and "验证码" in again.json()["detail"]

    assert client.post("/api/v1/me/verify-identity/", {}, format="json").status_code == 202
    assert sms.outbox[-1].to == mine["phone"]  # the phone the record holds (typed in the application)
    code = sms.outbox[-1].text.split("验证码 ")[1][:6]
    verified = client.post("/api/v1/me/verify-identity/", {"code": code}, format="json")
    assert verified.status_code == 200 and verified.json() == {"id": account.pk, "identity_verified": True}
    assert client.get(f"/api/v1/applications/{case}/").status_code == 200
    assert client.get("/api/v1/me/").json()["identity_verified"] is True


def test_the_web_form_names_every_wrong_field_at_once(db):
    """A review found the ID number's error shown only after the other fields were put right."""
    body = {"full_name": "周九", "id_number": "123", "phone": "139", "password1": "1234", "password2": "1234"}
    response = Client().post("/accounts/register/", body)
    errors = response.context["form"].errors
    assert set(errors) == {"id_number", "phone", "password1"}, errors
    assert not User.objects.exists()
