"""Django's Redis cache that keeps the site up while Redis is away (issue 12, defect 5).

The cache holds nothing that must survive: rate-limit counters (DRF's throttles of sign-in and
registration; the per-client limits of config.throttling live in PostgreSQL), the calendar's version
key. When Redis does not answer, each call is served by a cache local to the process instead, with a
warning in the log, and Redis is not asked again for RETRY_AFTER seconds (so a dead server costs one
refused connection every few seconds, not one per call). During the outage a rate limit counts per
process, and a calendar change reaches other processes when Redis is back: degraded, never a 500."""

import logging
import time

import redis
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0
ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
# What BaseCache builds on (get_or_set, decr, incr_version… call these), so each call fails over once.
METHODS = ("add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many", "delete_many", "clear")


class FailoverRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self.local = LocMemCache(f"failover-{server}", params)
        self.down_until = 0.0

    def _call(self, name, *args, **kwargs):
        if time.monotonic() >= self.down_until:
            try:
                return getattr(super(), name)(*args, **kwargs)
            except ERRORS as exc:
                self.down_until = time.monotonic() + RETRY_AFTER
                logger.warning("cache: Redis unavailable (%s); using this process's memory for %ss", exc, RETRY_AFTER)
        return getattr(self.local, name)(*args, **kwargs)


def _failover(name):
    def method(self, *args, **kwargs):
        return self._call(name, *args, **kwargs)

    method.__name__ = name
    return method


for _name in METHODS:
    setattr(FailoverRedisCache, _name, _failover(_name))
