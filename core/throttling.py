"""DRF rate limits counted in one store that every web worker shares.

DRF's own throttles keep their history in the default cache, which here is each process's own
memory unless CACHE_URL is set: with three gunicorn workers a limit of 20 a minute was 60. These
count in the `throttle` cache alias instead (flexportal/settings/base.py: Redis whenever the
deployment has one, process memory only in the embedded `make run` default), with one atomic
increment per request in a fixed window, so two workers never both read the same count and
both let a request through.

Who is counted is DRF's `get_ident`: REMOTE_ADDR, or the address NUM_PROXIES trusted proxies put
in X-Forwarded-For (0 by default: a forwarded header the client wrote itself counts for nothing).

If the store cannot be reached the request is let through and a warning logged: a throttle
slows abuse down (django-axes locks out password guessing), it should not take the API down.
"""

from __future__ import annotations

import logging

from django.core.cache import BaseCache, caches
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

logger = logging.getLogger(__name__)

THROTTLE_CACHE = "throttle"


def window_count(cache: BaseCache, key: str, *, timeout: int) -> int:
    """Add one to the counter `key` (made with `timeout` seconds to live if missing) and return
    the new count, atomically in Redis (INCR) and under the cache's lock in process memory."""
    for _ in range(2):
        cache.add(key, 0, timeout)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr: make it again
            continue
    return cache.incr(key)


class SharedRateThrottle(SimpleRateThrottle):
    """A SimpleRateThrottle counted in the shared `throttle` cache, `rate` requests a window."""

    cache_alias = THROTTLE_CACHE

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        cache = caches[self.cache_alias]
        try:
            count = window_count(cache, f"{self.key}:{window}", timeout=int(self.duration) + 1)
        except Exception:
            logger.warning("throttle cache unreachable: request let through", exc_info=True)
            return True
        return count <= self.num_requests or self.throttle_failure()

    def wait(self) -> float:
        return max(self.window_ends - self.now, 0.0)


class SharedAnonRateThrottle(SharedRateThrottle, AnonRateThrottle):
    """Anonymous requests, per client address."""
