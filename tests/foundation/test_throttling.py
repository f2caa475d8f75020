"""The token endpoint's rate limit is one count however many workers serve it, and a client
cannot escape it by sending a different X-Forwarded-For with each request."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.test import RequestFactory, override_settings

from accounts.api.views import TokenThrottle

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "/api/v1/auth/token/"
LIMIT = 20  # TokenThrottle.rate, a minute


def sign_in_attempts(api_client, count: int, *, address: str = "192.0.2.10", forwarded=None):
    """Failed sign-ins, each as a different (unknown) username so that no lockout is reached;
    returns the status codes."""
    statuses = []
    for n in range(count):
        headers = {"REMOTE_ADDR": address}
        if forwarded is not None:
            headers["HTTP_X_FORWARDED_FOR"] = forwarded(n)
        response = api_client.post(
            TOKEN, {"username": f"nobody-{n}", "password": "x"}, format="json", **headers
        )
        statuses.append(response.status_code)
    return statuses


def _not_near_a_minute_boundary() -> None:
    """The limit counts in one-minute windows: start well inside one."""
    left = 60 - time.time() % 60
    if left < 15:
        time.sleep(left + 0.5)


@pytest.mark.django_db
def test_rotating_forwarded_for_does_not_escape_the_token_limit(api_client):
    _not_near_a_minute_boundary()
    statuses = sign_in_attempts(
        api_client, LIMIT + 5, forwarded=lambda n: f"203.0.113.{n}, 198.51.100.{n}"
    )
    assert statuses[:LIMIT] == [400] * LIMIT
    assert statuses[LIMIT:] == [429] * 5


@pytest.mark.django_db
def test_behind_one_proxy_the_address_it_saw_is_counted(api_client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    _not_near_a_minute_boundary()
    # The client forges the left part; the proxy appends the address it saw.
    forged = sign_in_attempts(
        api_client, LIMIT + 1, address="10.0.0.2", forwarded=lambda n: f"10.1.{n}.1, 203.0.113.7"
    )
    assert forged[-1] == 429
    # Another client behind the same proxy has a count of its own.
    other = sign_in_attempts(api_client, 1, address="10.0.0.2", forwarded=lambda n: "203.0.113.8")
    assert other == [400]


# --- two workers on the real Redis ------------------------------------------------------------

WORKER = """
import json, sys, time
import django
django.setup()
from django.test import RequestFactory
from django.contrib.auth.models import AnonymousUser
from accounts.api.views import TokenThrottle
address, start_at, count = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
requests = [
    RequestFactory().post("/api/v1/auth/token/", REMOTE_ADDR=address,
                          HTTP_X_FORWARDED_FOR=f"10.2.{n}.1") for n in range(count)
]
for r in requests:
    r.user = AnonymousUser()
from django.core.cache import caches
caches["throttle"].get("warm-up")  # connect (and import redis) before the start
time.sleep(max(start_at - time.time(), 0))
allowed = []
for r in requests:
    allowed.append(TokenThrottle().allow_request(r, None))
    time.sleep(0.01)
print(json.dumps(allowed))
"""


def _throttle_redis() -> str:
    broker = os.environ.get("CELERY_BROKER_URL") or os.environ["REDIS_URL"]
    return broker.rsplit("/", 1)[0] + "/12"  # a database of its own


@pytest.mark.redis
def test_two_workers_share_one_count_on_redis():
    location = _throttle_redis()
    address = f"198.18.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    per_worker = 15  # 30 requests in all, against a limit of 20
    _not_near_a_minute_boundary()
    start_at = time.time() + 4  # both workers start together, once the other has loaded Django
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "flexportal.settings.local",
        "CACHE_URL": location,
        "DJANGO_DEBUG": "false",
    }
    other = subprocess.Popen(
        [sys.executable, "-c", WORKER, address, str(start_at), str(per_worker)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    throttle_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": "flexportal-throttle",
    }
    with override_settings(CACHES={"default": throttle_cache, "throttle": throttle_cache}):
        requests = [
            RequestFactory().post(TOKEN, REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=f"10.3.{n}.1")
            for n in range(per_worker)
        ]
        for request in requests:
            request.user = AnonymousUser()
        caches["throttle"].get("warm-up")
        time.sleep(max(start_at - time.time(), 0))
        here = []
        for request in requests:  # a request every 10 ms in each worker: they interleave
            here.append(TokenThrottle().allow_request(request, None))
            time.sleep(0.01)
    out, err = other.communicate(timeout=60)
    assert other.returncode == 0, err
    there = json.loads(out.strip().splitlines()[-1])

    print(f"allowed: {sum(here)} here, {sum(there)} in the other worker")
    assert sum(here) + sum(there) == LIMIT
    assert here[0] and there[0]  # both workers really took part
