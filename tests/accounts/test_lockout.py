"""Login brute force (issue 12 #2, API.md "Audit"): after 5 failures for one username within 15 minutes
that username is refused on every login path for 15 minutes, whatever address or X-Forwarded-For the
tries come from; each failure is in the audit trail."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "demo-pass-2025"  # accounts.demo


def web_login(path: str, username: str, password: str, n: int):
    """A new client (no cookies) from a new address each time, with a forged forwarded header."""
    client = Client(REMOTE_ADDR=f"10.0.{n // 250}.{n % 250 + 1}", HTTP_X_FORWARDED_FOR=f"203.0.113.{n % 250}")
    client.get(path)
    return client, client.post(path, {"username": username, "password": password, "next": "/"})


def token(username: str, password: str, n: int):
    client = APIClient(REMOTE_ADDR=f"10.1.{n // 250}.{n % 250 + 1}", HTTP_X_FORWARDED_FOR=f"198.51.100.{n % 250}")
    return client.post("/api/v1/auth/token", {"username": username, "password": password}, format="json")


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_30_wrong_passwords_lock_the_web_login(demo, path):
    username = "admin" if path.startswith("/admin") else "xj_community"
    for n in range(30):
        _, response = web_login(path, username, "wrong-password", n)
        assert response.status_code in (200, 429)
    client, response = web_login(path, username, PASSWORD, 99)
    assert response.status_code == 429 and "已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    later = timezone.now() + timedelta(minutes=15, seconds=5)
    with time_machine.travel(later, tick=False):
        client, response = web_login(path, username, PASSWORD, 100)
        assert response.status_code == 302 and "_auth_user_id" in client.session


def test_30_wrong_passwords_lock_the_token_whatever_the_address(demo):
    for n in range(30):
        assert token("xj_county", "wrong-password", n).status_code in (400, 429)
    refused = token("xj_county", PASSWORD, 99)
    assert refused.status_code == 429 and "已暂时锁定" in refused.json()["detail"]
    with time_machine.travel(timezone.now() + timedelta(minutes=15, seconds=5), tick=False):
        assert "token" in token("xj_county", PASSWORD, 100).json()


def test_the_fifth_failure_locks_and_other_usernames_are_untouched(demo):
    for n in range(4):
        assert token("xj_county", "wrong-password", n).status_code == 400
    assert token("xj_county", PASSWORD, 10).status_code == 200  # 4 failures: not yet (and the count resets)
    for n in range(5):
        token("xj_county", "wrong-password", n)
    assert token("xj_county", PASSWORD, 11).status_code == 429
    assert token("xj_township", PASSWORD, 12).status_code == 200


def test_an_id_number_typed_differently_is_the_same_username(applicant):
    number = applicant.username  # ends in a digit; the lower-case / spaced forms reach the same account
    for n, typed in enumerate([number, f" {number}", f"{number} ", f"  {number}", number]):
        token(typed, "wrong-password", n)
    assert token(number, "applicant-pass-2025", 9).status_code == 429


def test_failed_logins_are_in_the_audit_trail(demo):
    web_login("/accounts/login/", "xj_community", "wrong-password", 1)
    token("nobody", "x", 2)
    failures = AuditEvent.objects.filter(action="login_failed").order_by("id")
    assert [(e.actor_id, e.detail["username"], e.detail["path"], e.ip) for e in failures] == [
        (None, "xj_community", "/accounts/login/", "10.0.0.2"),
        (None, "nobody", "/api/v1/auth/token", "10.1.0.3"),
    ]
    assert all("password" not in str(e.detail) for e in failures)
