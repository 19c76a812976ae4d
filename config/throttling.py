"""Per-client rate limits for the public pages and endpoints (API.md: 429 when rate-limited).

The client is the address the server saw (REMOTE_ADDR). Behind our own reverse proxies,
`NUM_PROXIES` (settings, from the environment) says how many of them append to X-Forwarded-For,
and the address that many places from the right is taken; an address the client wrote into the
header itself is never trusted, so a new X-Forwarded-For per request cannot reset a limit.
DRF's own default (NUM_PROXIES None) would trust the whole header: settings pin it to a number.

One limiter serves DRF views (as a throttle class) and plain Django pages (`wait_seconds`),
so the progress API and the progress page share one budget per client.

On PostgreSQL a limit is one statement on an UNLOGGED table (accounts migration 0008): the client's
requests of the last period as an array of times, pruned, checked and counted atomically (the row is
locked for the statement, so two concurrent requests cannot both take the last place). The public
progress look-up runs it inside its own statement (applications.progress), so a look-up is one round
trip to one server: on Redis, a limit was a second round trip costing as much as the look-up itself
(issue 13). With SQLite, DRF's own limiter over the cache: a list of timestamps read and written back."""

import math
from typing import NamedTuple

from django.db import connection
from rest_framework.exceptions import Throttled
from rest_framework.throttling import SimpleRateThrottle

# {key}, {now}, {period}, {limit}: placeholders (named or positional) for the caller's statement. Keeps the
# hits of the last `period` seconds and adds `now` when fewer than `limit` remain; answers whether `now`
# was counted, and the wait as DRF computes it for a full window: until the oldest hit leaves it. The
# decision is made on the locked row (ON CONFLICT DO UPDATE reads its latest version) and kept in it.
RECORD_HIT = """
INSERT INTO accounts_ratewindow AS w (key, hits, counted) VALUES ({key}::text, ARRAY[{now}::float8], true)
ON CONFLICT (key) DO UPDATE SET (hits, counted) = (
    SELECT CASE WHEN count(*) < {limit}::int THEN coalesce(array_agg(h ORDER BY h), '{{}}') || {now}::float8
                ELSE coalesce(array_agg(h ORDER BY h), '{{}}') END,
           count(*) < {limit}::int
    FROM unnest(w.hits) h WHERE h > {now}::float8 - {period}::float8)
RETURNING counted AS allowed, {period}::float8 - ({now}::float8 - hits[1]) AS wait
"""
RECORD_HIT_NAMED = RECORD_HIT.format(key="%(key)s", now="%(now)s", period="%(period)s", limit="%(limit)s")


class Hit(NamedTuple):
    """One request to count against a client's limit."""

    key: str
    now: float
    period: float
    limit: int


class Refused(Exception):
    def __init__(self, wait: float):
        self.wait = wait


class ClientRateThrottle(SimpleRateThrottle):
    """Counts every request of one client for `scope`, whether or not it is logged in."""

    window_wait: float | None = None

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def hit(self, request) -> Hit | None:
        """This request as a hit to count in PostgreSQL; None where the cache keeps the limit (SQLite) or
        there is no limit."""
        if self.rate is None or connection.vendor != "postgresql":
            return None
        return Hit(self.get_cache_key(request, None), self.timer(), float(self.duration), self.num_requests)

    def allow_request(self, request, view) -> bool:
        if (hit := self.hit(request)) is None:
            return super().allow_request(request, view)
        with connection.cursor() as cursor:
            cursor.execute(RECORD_HIT_NAMED, hit._asdict())
            allowed, wait = cursor.fetchone()
        self.window_wait = self.duration if wait is None else wait  # None: a limit of 0, nothing to wait for
        return allowed

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
