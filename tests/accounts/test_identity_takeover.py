"""The reported takeover: anyone who knew an ID number registered with it, applied online for it, and the
account was tied to the person's record, overwrote the name, phone and address, and got the person's
case, materials, approval form and the power to withdraw. Now an account is tied to a person only once
verified (DESIGN.md §10), so the same steps get nothing and change nothing.

This file runs on the main branch of before the fix too (web registration, token, applications API):
there the online application answers 201 and the first assertion fails."""

import pytest
from django.test import Client

from applications.models import Applicant, Application
from tests.accounts.identity_helpers import PASSWORD, act, person, received, token_client, upload
from tests.conftest import api_as

VICTIM = person(1)
ATTACKER_PHONE = "13999990000"


@pytest.fixture
def victims_old_case(community_user):
    """The victim applied at the window before: an ID card scan on file, then withdrawn."""
    case = received(community_user, VICTIM)
    assert upload(community_user, case).status_code == 201
    assert act(community_user, case, "withdraw", reason="本人要求撤回。").status_code == 200
    return case


def register_as_the_victim(client: Client) -> None:
    response = client.post(
        "/accounts/register/",
        {
            "full_name": "冒用者",
            "id_number": VICTIM["id_number"],
            "phone": ATTACKER_PHONE,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302


def online_application_by(client) -> dict:
    return {
        "unit_code": "650102001001",
        "channel": "online",
        "applicant": {"name": "冒用者", "id_number": VICTIM["id_number"], "phone": ATTACKER_PHONE, "address": "别处"},
        "facts": {
            "local_resident": True,
            "local_hukou": True,
            "urban": True,
            "able_to_work": True,
            "willing_to_work": True,
            "unemployment_registered_on": "2024-01-02",
            "receiving_dibao": True,
        },
        "commitments": ["truthfulness"],
    }


def test_it_takes_over_nothing_with_a_registered_id_number(community_user, victims_old_case):
    web = Client()
    register_as_the_victim(web)
    attacker = token_client(VICTIM["id_number"])
    staff = api_as(community_user)
    material = staff.get(f"/api/v1/applications/{victims_old_case}/").json()["materials"][0]["id"]

    online = attacker.post("/api/v1/applications/", online_application_by(attacker), format="json")
    assert online.status_code == 403
    assert "社区" in online.json()["detail"] and "验证码" in online.json()["detail"]  # how to verify

    record = Applicant.objects.get(id_number=VICTIM["id_number"])
    assert (record.name, record.phone, record.address, record.user_id) == (
        VICTIM["name"],
        VICTIM["phone"],
        VICTIM["address"],
        None,
    )
    assert Application.objects.filter(applicant=record).count() == 1

    old = f"/api/v1/applications/{victims_old_case}"
    assert attacker.get(f"{old}/").status_code == 404
    assert attacker.get(f"{old}/materials/{material}/file").status_code == 404
    assert attacker.get(f"{old}/approval-form.pdf").status_code == 404
    assert attacker.get("/api/v1/applications/").json()["count"] == 0

    # the victim's next case, entered at the window: nothing of it either, and no withdrawing it
    case = received(community_user, VICTIM)
    assert attacker.get(f"/api/v1/applications/{case}/").status_code == 404
    assert attacker.post(f"/api/v1/applications/{case}/transitions/withdraw/", {}, format="json").status_code == 404
    assert upload(attacker_user(), case).status_code == 404
    assert staff.get(f"/api/v1/applications/{case}/").json()["state"] == "submitted"
    assert web.get(f"/applications/{case}/").status_code == 404
    assert web.get(f"/applications/{victims_old_case}/").status_code == 404
    record.refresh_from_db()
    assert (record.name, record.phone, record.user_id) == (VICTIM["name"], VICTIM["phone"], None)


def test_trying_first_does_not_open_the_case_afterwards(community_user, victims_old_case):
    """Whatever the online application answered, the account sees nothing of the person."""
    register_as_the_victim(Client())
    attacker = token_client(VICTIM["id_number"])
    attacker.post("/api/v1/applications/", online_application_by(attacker), format="json")
    assert attacker.get(f"/api/v1/applications/{victims_old_case}/").status_code == 404
    assert attacker.get(f"/api/v1/applications/{victims_old_case}/approval-form.pdf").status_code == 404
    assert Applicant.objects.get(id_number=VICTIM["id_number"]).name == VICTIM["name"]


def attacker_user():
    from accounts.models import User

    return User.objects.get(username=VICTIM["id_number"])
