"""Verification by a one-time code to the phone the person's RECORD holds (DESIGN.md §10): 6 digits,
hashed at rest, 10 minutes, single use, a few attempts per code, a few sends per hour."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts import sms
from accounts.models import IdentityCode, IdentityVerification, User
from accounts.sms import BaseBackend
from applications.models import Applicant
from tests.accounts.identity_helpers import PASSWORD, act, person, received, register, token_client
from tests.conftest import api_as

PERSON = person(21)
REGISTRATION_PHONE = "13977770021"


class GatewayDown(BaseBackend):
    """An SMS gateway that refuses every message (an outside service, not ours)."""

    def send(self, message):
        raise ConnectionError("gateway unreachable")


@pytest.fixture(autouse=True)
def _sms(settings):
    settings.SMS_BACKEND = "accounts.sms.LocmemBackend"
    sms.outbox.clear()


@pytest.fixture
def case(community_user):
    return received(community_user, PERSON)


@pytest.fixture
def account(db):
    assert register(PERSON["name"], PERSON["id_number"], REGISTRATION_PHONE).status_code == 201
    return User.objects.get(username=PERSON["id_number"])


@pytest.fixture
def client(account):
    return token_client(PERSON["id_number"])


def send(client):
    return client.post("/api/v1/me/verify-identity/", {}, format="json")


def last_code() -> str:
    return sms.outbox[-1].text.split("验证码 ")[1][:6]


def confirm(client, code):
    return client.post("/api/v1/me/verify-identity/", {"code": code}, format="json")


def test_the_code_goes_to_the_phone_on_record_and_ties_the_account(case, account, client, community_user):
    response = send(client)
    assert response.status_code == 202 and "分钟内有效" in response.json()["detail"]
    assert [m.to for m in sms.outbox] == [PERSON["phone"]]  # never the phone typed at registration
    code = last_code()
    row = IdentityCode.objects.get(user=account)
    assert code not in (row.code_hash, row.phone) and len(row.code_hash) == 64  # hashed at rest

    assert confirm(client, code).json() == {"id": account.pk, "identity_verified": True}
    account.refresh_from_db()
    assert account.identity_method == "sms" and account.phone == PERSON["phone"]
    assert Applicant.objects.get(id_number=PERSON["id_number"]).user_id == account.pk
    assert IdentityVerification.objects.get(account=account).before["phone"] == REGISTRATION_PHONE
    assert client.get(f"/api/v1/applications/{case}/").status_code == 200
    # from now on the person hears of every step
    assert act(community_user, case, "withdraw", reason="本人要求撤回。").status_code == 200
    assert client.get("/api/v1/notifications/").json()["results"][0]["kind"] == "application"
    assert confirm(client, code).status_code == 400  # used once


def test_a_wrong_code_counts_and_the_fifth_kills_it(case, client):
    send(client)
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    first = confirm(client, wrong)
    assert first.status_code == 400 and "还可以再试4次" in first.json()["code"][0]
    for _ in range(3):
        assert confirm(client, wrong).status_code == 400
    fifth = confirm(client, wrong)
    assert fifth.status_code == 429 and "过多" in fifth.json()["detail"]
    assert confirm(client, code).status_code == 400  # the right code no longer works


def test_a_code_expires_after_ten_minutes_and_a_new_one_replaces_it(case, client):
    send(client)
    old = last_code()
    with time_machine.travel(timezone.now() + timedelta(minutes=10, seconds=1)):
        assert "过期" in confirm(client, old).json()["code"][0]
        send(client)
        new = last_code()
        if new != old:
            assert confirm(client, old).status_code == 400
        assert confirm(client, new).status_code == 200


def test_a_code_sent_before_the_record_changed_phone_is_refused(case, client, community_user):
    send(client)
    code = last_code()
    changed = api_as(community_user).patch(
        f"/api/v1/applications/{case}/", {"applicant": {"phone": "13600000000"}}, format="json"
    )
    assert changed.status_code == 200
    assert confirm(client, code).status_code == 400
    assert not User.objects.get(username=PERSON["id_number"]).identity_verified


def test_sends_are_limited_per_account_and_per_phone(case, client, community_user):
    for _ in range(5):
        assert send(client).status_code == 202
    limited = send(client)
    assert limited.status_code == 429 and "每小时最多5次" in limited.json()["detail"]
    # a relative whose record holds the same phone: that phone has had its five codes this hour
    relative = person(22, phone=PERSON["phone"])
    received(community_user, relative)
    register(relative["name"], relative["id_number"], "13977770022")
    assert send(token_client(relative["id_number"])).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(hours=1, seconds=1)):
        assert send(client).status_code == 202


def test_without_a_record_the_answer_is_the_same_and_nothing_is_sent(account, client):
    response = send(client)
    assert response.status_code == 202 and "如果系统中登记了您的手机号码" in response.json()["detail"]
    assert sms.outbox == []
    assert confirm(client, "123456").status_code == 400
    for _ in range(4):
        send(client)
    assert send(client).status_code == 429  # counted like any other request


def test_a_gateway_outage_is_a_503_and_withdraws_the_code(case, client, settings):
    settings.SMS_BACKEND = f"{__name__}.GatewayDown"
    response = send(client)
    assert response.status_code == 503 and "短信发送失败" in response.json()["detail"]
    assert not IdentityCode.objects.filter(expires_at__gt=timezone.now()).exists()


def test_only_applicants_verify_this_way(api, community_user):
    assert api.post("/api/v1/me/verify-identity/", {}, format="json").status_code == 401
    assert api_as(community_user).post("/api/v1/me/verify-identity/", {}, format="json").status_code == 403


def test_a_bad_code_is_named(client):
    response = confirm(client, "12ab")
    assert response.status_code == 400 and "6位数字" in response.json()["code"][0]


def test_the_web_page_sends_and_checks_the_code(case, account):
    web = Client()
    assert web.login(username=PERSON["id_number"], password=PASSWORD)
    page = web.post("/accounts/verify/", {"action": "send"}, follow=True).content.decode()
    assert "如果系统中登记了您的手机号码" in page and sms.outbox[-1].to == PERSON["phone"]
    wrong = web.post("/accounts/verify/", {"action": "code", "code": "99999"}).content.decode()
    assert "6位数字" in wrong
    done = web.post("/accounts/verify/", {"action": "code", "code": last_code()}, follow=True)
    assert "身份验证成功" in done.content.decode()
    assert web.get(f"/applications/{case}/").status_code == 200
    assert "已于" in web.get("/accounts/verify/").content.decode()
