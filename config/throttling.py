"""Per-client rate limits for the public pages and endpoints (API.md: 429 when rate-limited).

The client is the address the server saw (REMOTE_ADDR). Behind our own reverse proxies,
`NUM_PROXIES` (settings, from the environment) says how many of them append to X-Forwarded-For,
and the address that many places from the right is taken; an address the client wrote into the
header itself is never trusted, so a new X-Forwarded-For per request cannot reset a limit.
DRF's own default (NUM_PROXIES None) would trust the whole header: settings pin it to a number.

One limiter serves DRF views (as a throttle class) and plain Django pages (`wait_seconds`),
so the progress API and the progress page share one budget per client.

On Redis (config.cache) a limit is one Lua script: the client's requests of the last period as a
sorted set, checked and counted in one atomic round trip. DRF's own limiter (used with the local
memory cache, and while Redis is away) reads the whole list of timestamps, unpickles it, and writes
it back: two round trips, a list as long as the limit, and two concurrent requests can both pass
the last place (issue 13)."""

import math
import secrets

from rest_framework.exceptions import Throttled
from rest_framework.throttling import SimpleRateThrottle

# KEYS[1]: the client's window; ARGV: now, period (s), limit, a unique member. Returns {allowed, wait}
# with the wait as DRF computes it for a full window: until the oldest request leaves it.
SLIDING_WINDOW = """
local key, now, period, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - period)
if redis.call('ZCARD', key) < limit then
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('EXPIRE', key, math.ceil(period))
  return {1, '0'}
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return {0, tostring(period - (now - tonumber(oldest[2])))}
"""


class ClientRateThrottle(SimpleRateThrottle):
    """Counts every request of one client for `scope`, whether or not it is logged in."""

    window_wait: float | None = None

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        run_script = getattr(self.cache, "run_script", None)
        if run_script is not None:
            now = self.timer()
            key = f"{self.get_cache_key(request, view)}:window"  # not DRF's list, whose key may still exist
            args = [repr(now), self.duration, self.num_requests, f"{now!r}:{secrets.token_hex(4)}"]
            if (answer := run_script(SLIDING_WINDOW, [key], args)) is not None:
                allowed, wait = answer
                self.window_wait = float(wait)
                return bool(allowed)
        return super().allow_request(request, view)

    def wait(self) -> float | None:
        return self.window_wait if self.window_wait is not None else super().wait()


class ProgressThrottle(ClientRateThrottle):
    scope = "progress"


class SelfCheckThrottle(ClientRateThrottle):
    scope = "self_check"


def throttled_message(wait: int) -> str:
    return f"操作过于频繁，请 {wait} 秒后再试。"


def chinese_throttled(wait: float | None) -> Throttled:
    """DRF's 429 with the message in Chinese and the Retry-After header kept."""
    seconds = max(1, math.ceil(wait or 1))
    exc = Throttled(detail=throttled_message(seconds))
    exc.wait = seconds
    return exc


def wait_seconds(request, throttle_class: type[ClientRateThrottle]) -> int | None:
    """For a plain Django view: None when the request may go on (and is counted), else the
    whole seconds to wait."""
    throttle = throttle_class()
    if throttle.allow_request(request, None):
        return None
    return max(1, math.ceil(throttle.wait() or 1))


def client_ip(request) -> str | None:
    """The client address as the rate limits see it (module docstring): REMOTE_ADDR, or with
    NUM_PROXIES of our own proxies in front, the address that many places from the right of
    X-Forwarded-For. django-axes logs it (AXES_CLIENT_IP_CALLABLE) instead of trusting the header."""
    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = forwarded.split(",")
        return addresses[-min(proxies, len(addresses))].strip() or remote
    return remote
