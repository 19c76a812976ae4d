"""Redis down (issue 12, defect 5), with a real redis-server of the test's own that it stops and starts:
the token endpoint's throttle falls back to process memory with a warning (config.cache), and a long
notice's PDF is reported failed with a Chinese message and a retry, queued again by a click or by the
sweep, rendered once Redis is back; never a 500, never stuck in "rendering"."""

import logging
import shutil
import time

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.demo import DEMO_PASSWORD
from config import cache as failover
from config.celery import app
from publicity import pdf
from publicity.models import Notice
from publicity.tasks import retry_notice_pdfs
from tests.conftest import api_as
from tests.factories import NoticeFactory
from tests.redis_server import celery_broker, forget_broker_connections

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="no redis-server"),
]


@pytest.fixture
def redis_cache(redis_server, settings, monkeypatch):
    """The Django cache on our own Redis, as settings configure it with REDIS_URL."""
    monkeypatch.setattr(failover, "RETRY_AFTER", 0.2)
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.FailoverRedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    yield redis_server
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def broker(redis_server, settings):
    """The Celery app sends to our own Redis for this test only."""
    with celery_broker(redis_server.url):
        yield redis_server


def token(client, password=DEMO_PASSWORD, username="xj_county"):
    return client.post("/api/v1/auth/token", {"username": username, "password": password}, format="json")


def test_the_token_endpoint_works_with_redis_down_and_still_limits(redis_cache, demo, caplog):
    client = APIClient()
    assert token(client).status_code == 200
    assert any(key.startswith(b":1:throttle_auth") for key in cache._cache.get_client().keys("*"))  # Redis counted

    redis_cache.stop()
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        # a new unknown name each time: the per-client budget, not a username's lockout (accounts.lockout)
        answers = [token(client, "wrong", f"nobody{n}").status_code for n in range(11)]
    assert answers == [400] * 10 + [429]  # the 10/min budget, counted in this process's memory meanwhile
    assert "Redis unavailable" in caplog.text

    redis_cache.start()
    time.sleep(0.3)  # failover.RETRY_AFTER: Redis is asked again
    cache.clear()
    assert token(client).status_code == 200
    assert cache._cache.get_client().keys("*")


def long_notice(user, monkeypatch) -> Notice:
    monkeypatch.setattr(pdf, "BACKGROUND_FROM_LINES", 1)
    return NoticeFactory(actor=user, state="published")


def test_a_long_notice_pdf_with_the_broker_down_fails_visibly_and_a_click_retries(
    broker, community_user, monkeypatch, client
):
    from celery.contrib.testing.worker import start_worker

    notice = long_notice(community_user, monkeypatch)
    api = api_as(community_user)
    broker.stop()
    started = time.monotonic()
    down = api.get(f"/api/v1/notices/{notice.pk}/pdf")
    assert time.monotonic() - started < 10
    assert down.status_code == 503 and down.json()["status"] == "failed" and "重新生成" in down.json()["detail"]
    client.force_login(community_user)
    page = client.get(f"/staff/notices/{notice.pk}/pdf", follow=True).content.decode()
    assert "后台任务暂时不可用" in page and "重新生成" in page and 'http-equiv="refresh"' not in page

    broker.start()
    forget_broker_connections()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20, loglevel="WARNING"):
        assert api.get(f"/api/v1/notices/{notice.pk}/pdf").status_code == 202  # the click that retries
        wait_for(lambda: Notice.objects.get(pk=notice.pk).pdf_status == "ready")
    assert api.get(f"/api/v1/notices/{notice.pk}/pdf").content.startswith(b"%PDF")
    assert Notice.objects.get(pk=notice.pk).pdf_attempts == 3  # two clicks while down… then the one after


def test_a_render_lost_with_its_worker_is_queued_again_by_the_sweep(broker, community_user, monkeypatch):
    from celery.contrib.testing.worker import start_worker

    notice = long_notice(community_user, monkeypatch)
    api = api_as(community_user)
    assert api.get(f"/api/v1/notices/{notice.pk}/pdf").status_code == 202  # queued; no worker ever takes it
    broker.stop()  # …and the queue is lost with the server (--save '')
    broker.start()
    forget_broker_connections()
    assert retry_notice_pdfs() == {"requeued": [], "gave_up": 0}  # under way for less than STALE_AFTER
    Notice.objects.filter(pk=notice.pk).update(pdf_requested_at=timezone.now() - pdf.STALE_AFTER)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20, loglevel="WARNING"):
        assert retry_notice_pdfs()["requeued"] == [notice.pk]
        wait_for(lambda: Notice.objects.get(pk=notice.pk).pdf_status == "ready")
    assert retry_notice_pdfs() == {"requeued": [], "gave_up": 0}


def wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
