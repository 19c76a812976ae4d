import os

import pytest
from django.conf import settings

from config.celery import app


def test_it_uses_the_filesystem_broker_without_redis():
    if os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is set")
    assert app.conf.broker_url == "filesystem://"
    options = app.conf.broker_transport_options
    assert options["data_folder_in"] == options["data_folder_out"]


def test_it_delivers_a_message_through_the_configured_broker():
    """Round-trip a message through the real broker: the filesystem folder, or Redis in CI."""
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=2)
        queue = conn.SimpleQueue(f"probe-{os.getpid()}")
        try:
            queue.put({"ping": "就业"})
            message = queue.get(timeout=5)
            assert message.payload == {"ping": "就业"}
            message.ack()
        finally:
            queue.clear()
            queue.close()


@pytest.mark.redis
def test_it_uses_redis_when_configured():
    if not os.environ.get("REDIS_URL"):
        pytest.skip("no REDIS_URL")
    assert app.conf.broker_url == settings.REDIS_URL
    from django.core.cache import cache

    cache.set("probe", "就业", 5)
    assert cache.get("probe") == "就业"
