"""The per-client limits on Redis (config.throttling): one atomic script, so clients racing for the last
places of a budget never get more than the budget, and Retry-After still says how long to wait."""

import shutil
import threading

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from config.throttling import ProgressThrottle
from tests.security.test_redis_down import redis_cache  # noqa: F401 (the fixture: the cache on our own Redis)

pytestmark = [pytest.mark.redis, pytest.mark.skipif(shutil.which("redis-server") is None, reason="no redis-server")]


def test_requests_racing_for_the_last_places_never_pass_the_budget(redis_cache, monkeypatch):  # noqa: F811
    monkeypatch.setitem(ProgressThrottle.THROTTLE_RATES, "progress", "5/min")
    request = RequestFactory().post("/api/v1/progress/", REMOTE_ADDR="10.1.2.3")
    start, answers = threading.Barrier(20), []

    def ask():
        start.wait()
        answers.append(ProgressThrottle().allow_request(request, None))

    threads = [threading.Thread(target=ask) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers.count(True) == 5
    refused = ProgressThrottle()
    assert refused.allow_request(request, None) is False
    assert 55 < refused.wait() <= 60  # until the oldest of the five leaves the minute
    assert ProgressThrottle().allow_request(RequestFactory().post("/", REMOTE_ADDR="10.1.2.4"), None)
    assert any(key.endswith(b":window") for key in cache._cache.get_client().keys("*"))  # counted in Redis
