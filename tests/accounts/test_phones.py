"""Phone numbers people type (found by a reviewer: `1381234` was taken at intake, `abc` printed as a notice's
监督电话, and a push list's phone was checked for length only)."""

import pytest

from accounts.phones import is_contact_phone, is_supervision_phone
from tests.conftest import api_as
from tests.factories import ApplicationFactory, staff

GOOD = ["13812345678", "138 1234 5678", "0991-1234567", "09911234567", "0431-87654321", "010-62345678-123"]
BAD = ["1381234", "-------", "       ", "abc", "12812345678", "0991-123", "+86 138", "1234567890123"]


@pytest.mark.parametrize("value", GOOD)
def test_mobiles_and_landlines_with_their_area_code_are_contact_phones(value):
    assert is_contact_phone(value) and is_supervision_phone(value)


@pytest.mark.parametrize("value", BAD)
def test_anything_else_is_not(value):
    assert not is_contact_phone(value) and not is_supervision_phone(value)


def test_a_service_line_may_supervise_a_notice_but_reaches_no_person():
    assert is_supervision_phone("12333") and not is_contact_phone("12333")


def test_every_way_a_phone_comes_in_refuses_a_short_one(demo, community_user, client):
    case = ApplicationFactory(actor=community_user)
    api = api_as(community_user)
    edited = api.patch(f"/api/v1/applications/{case.pk}/", {"applicant": {"phone": "1381234"}}, format="json")
    assert edited.status_code == 400 and "11位手机号码" in str(edited.json())
    case.applicant.refresh_from_db()
    assert case.applicant.phone != "1381234"
    body = {
        "unit_code": "650102001001",
        "channel": "offline",
        "applicant": {"name": "张三", "id_number": "650102198001010019", "phone": "-------"},
        "facts": {"unemployment_registered_on": "2024-01-02", "able_to_work": True, "willing_to_work": True},
        "commitments": ["truthfulness"],
    }
    created = api.post("/api/v1/applications/", body, format="json")
    assert created.status_code == 400 and "11位手机号码" in str(created.json())
    notice = {
        "unit_code": "650102001001",
        "application_ids": [],
        "supervision_phone": "abc",
        "contact_person": "李娜",
        "agency_name": "东风社区劳动保障服务站",
    }
    response = api.post("/api/v1/notices/", notice, format="json")
    assert response.status_code == 400 and "supervision_phone" in response.json()
    assert staff("xj_community")  # the demo's officers are there
