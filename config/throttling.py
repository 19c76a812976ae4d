"""Per-client rate limits for the public pages and endpoints (API.md: 429 when rate-limited).

The client is the address the server saw (REMOTE_ADDR). Behind our own reverse proxies,
`NUM_PROXIES` (settings, from the environment) says how many of them append to X-Forwarded-For,
and the address that many places from the right is taken; an address the client wrote into the
header itself is never trusted, so a new X-Forwarded-For per request cannot reset a limit.
DRF's own default (NUM_PROXIES None) would trust the whole header: settings pin it to a number.

One limiter serves DRF views (as a throttle class) and plain Django pages (`wait_seconds`),
so the progress API and the progress page share one budget per client."""

import math

from rest_framework.exceptions import Throttled
from rest_framework.throttling import SimpleRateThrottle


class ClientRateThrottle(SimpleRateThrottle):
    """Counts every request of one client for `scope`, whether or not it is logged in."""

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


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
