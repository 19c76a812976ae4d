"""A policy's validity period (DESIGN.md §3; xinjiang-2025 第二十一条: from 2025-10-10 for five years,
so to 2030-10-09): a warning from 90 days before its end for admins and that province's staff;
applications received while it was in force are decided under it after it ends; intake where no
policy is in force answers 400."""

from dataclasses import replace
from datetime import date

import pytest
import time_machine
from django.utils import timezone

from accounts.models import User
from applications.models import Application
from eligibility import policies
from tests.applications.helpers import act, submit
from tests.conftest import api_as
from tests.factories import ApplicationFactory, NoticeFactory

XJ = policies.get("xinjiang-2025")


def at(day: str):
    """Travel to 10:00 Beijing time that day (tick=False: dates computed once stay put)."""
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


@pytest.mark.parametrize(
    ("on", "warned"),
    [
        (date(2030, 7, 10), False),  # 91 days before 2030-10-09
        (date(2030, 7, 11), True),  # 90 days before
        (date(2030, 10, 9), True),  # its last day
        (date(2030, 10, 10), True),  # ended, and no successor in force
    ],
)
def test_xinjiang_is_flagged_from_90_days_before_its_end(on, warned):
    assert (XJ in policies.expiring(on)) is warned
    assert all(p.valid_until is not None for p in policies.expiring(on))  # jilin-2022 has no end


def test_a_registered_successor_ends_the_warning(monkeypatch):
    successor = replace(XJ, code="xinjiang-2030", valid_from=date(2030, 10, 10), valid_until=None)
    monkeypatch.setitem(policies.POLICIES, successor.code, successor)
    assert policies.expiring(date(2030, 9, 1)) == []


def page(client, user, path="/") -> str:
    client.force_login(user)
    return client.get(path, follow=True).content.decode()


WARNING = "2030年10月9日"


@pytest.mark.parametrize("path", ["/", "/admin/"])
def test_admins_see_the_warning_on_the_site_and_in_the_admin(client, admin_user, path):
    with at("2030-07-11"):
        body = page(client, admin_user, path)
    assert WARNING in body and "新人社规〔2025〕1号" in body and "新疆维吾尔自治区就业困难人员认定管理办法" in body
    with at("2030-07-10"):
        assert WARNING not in page(client, admin_user, path)


def test_the_province_sees_its_own_policys_end(client, province_user, demo):
    with at("2030-08-01"):
        assert WARNING in page(client, province_user)
        assert WARNING not in page(client, User.objects.get(username="jl_province"))


@pytest.mark.parametrize("username", ["xj_county", "xj_community"])
def test_other_staff_are_not_warned(client, demo, username):
    with at("2030-08-01"):
        assert WARNING not in page(client, User.objects.get(username=username))


def test_an_ended_policy_says_so(client, admin_user):
    with at("2030-10-10"):
        body = page(client, admin_user)
    assert WARNING in body and "已失效" in body


def test_an_application_received_in_force_is_decided_under_it_after_the_end(community_user, township_user, county_user):
    with at("2030-09-24"):
        app = ApplicationFactory(actor=community_user, materials=True).pk
        assert act(community_user, app, "accept").status_code == 200
    with at("2030-09-25"):
        assert act(community_user, app, "pass_initial_review").status_code == 200
        NoticeFactory(actor=community_user, applications=[app], state="closed")  # after its 3 working days
    with at("2030-10-14"):  # 第二十一条: ended on 2030-10-09
        assert not XJ.in_force(timezone.localdate())
        response = act(township_user, app, "township_approve", opinion="复核通过")
        assert response.status_code == 200, response.json()
        response = act(county_user, app, "county_approve", opinion="审批通过")
        assert response.status_code == 200, response.json()
    application = Application.objects.get(pk=app)
    assert (application.state, application.policy_code, application.received_on) == (
        "approved",
        "xinjiang-2025",
        date(2030, 9, 24),
    )
    body = api_as(county_user).get(f"/api/v1/applications/{app}/").json()
    assert body["policy"] == "xinjiang-2025" and body["recognition_id"]


def test_intake_where_no_policy_is_in_force_is_a_clear_400(community_user):
    with at("2030-10-10"):
        response = submit(community_user)
    assert response.status_code == 400
    assert "没有有效的就业困难人员认定政策" in str(response.json()["unit_code"])
    assert not Application.objects.exists()


def test_the_intake_page_where_no_policy_is_in_force_says_so(client, community_user):
    client.raise_request_exception = False
    with at("2030-10-10"):
        client.force_login(community_user)
        response = client.get("/applications/new/")
    assert response.status_code in (200, 400) and "没有有效的就业困难人员认定政策" in response.content.decode()
