"""Shared people and clients (STYLE.md §6): two communities' workers, a township and a
county officer of the first, another county, a province officer and an applicant."""

import os

import hypothesis
import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.demo import seed_demo
from accounts.models import IdentityMethod, Role, User

# live_server + sync Playwright run Django code from inside an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Property tests judge correctness, not speed: on a loaded 2-core CI machine Hypothesis's timing checks
# (per-example deadline, "input generation is slow") failed runs whose every example passed.
hypothesis.settings.register_profile("suite", deadline=None, suppress_health_check=[hypothesis.HealthCheck.too_slow])
hypothesis.settings.load_profile("suite")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo(db):
    return seed_demo()


def _user(username: str) -> User:
    return User.objects.select_related("unit").get(username=username)


@pytest.fixture
def community_user(demo):
    return _user("xj_community")


@pytest.fixture
def other_community_user(demo):
    return _user("xj_community2")


@pytest.fixture
def township_user(demo):
    return _user("xj_township")


@pytest.fixture
def county_user(demo):
    return _user("xj_county")


@pytest.fixture
def other_county_user(demo):
    return _user("ks_county")


@pytest.fixture
def province_user(demo):
    return _user("xj_province")


@pytest.fixture
def admin_user(demo):
    return _user("admin")


@pytest.fixture
def applicant(db):
    """An applicant whose identity staff have verified (DESIGN.md §10), so a case of theirs tied to the
    account is theirs; unverified accounts come from registering (tests/accounts/test_identity_*)."""
    user = User.objects.create_user(
        username="650102199001011239",
        password="applicant-pass-2025",
        role=Role.APPLICANT,
        full_name="测试申请人",
        identity_verified_at=timezone.now(),
        identity_method=IdentityMethod.IN_PERSON,
    )
    user.id_number = user.username
    user.save(update_fields=["id_number"])
    return user


@pytest.fixture
def api():
    return APIClient()


def api_as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def redis_server(tmp_path):
    """A real redis-server of the test's own on a free port (never the shared one of REDIS_URL), which the
    test may stop and start; stopped at the end."""
    from tests.redis_server import RedisServer, free_port

    server = RedisServer(port=free_port(), folder=tmp_path)
    server.start()
    yield server
    if server.answers():
        server.stop()
