"""Shared fixtures, and the rule for tests that need a real service.

Tests marked `postgres` need DATABASE_URL to point at PostgreSQL; tests marked `redis` need a
reachable Redis at CELERY_BROKER_URL. Outside CI such a test skips, saying why; in CI
(CI=true) a missing service fails it, so a green CI run really exercised both services.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from tests import factories

IN_CI = os.environ.get("CI", "").lower() == "true"


def _postgres_missing() -> str | None:
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        return "needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/flexportal"
    return None


def _redis_missing() -> str | None:
    url = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL")
    if not url or not url.startswith("redis"):
        return "needs Redis: set CELERY_BROKER_URL=redis://127.0.0.1:6379/15"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return f"needs Redis at {url}: {exc}"
    return None


def pytest_collection_modifyitems(config, items) -> None:
    reasons = {"postgres": _postgres_missing(), "redis": None}
    if any(item.get_closest_marker("redis") for item in items):
        reasons["redis"] = _redis_missing()
    for item in items:
        for marker, reason in reasons.items():
            if reason and item.get_closest_marker(marker):
                if IN_CI:
                    item.add_marker(pytest.mark.usefixtures("_fail_missing_service"))
                    item.user_properties.append(("missing_service", reason))
                else:
                    item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def _fail_missing_service(request) -> None:
    reason = dict(request.node.user_properties).get("missing_service", "a service is missing")
    pytest.fail(f"CI=true and {reason}")


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Cached catalogue responses are keyed on a version kept in the database, which every test
    rolls back: each test starts with an empty cache, as a fresh deployment would. Rate-limit
    counts (the `throttle` alias, process memory in tests) start from nothing too."""
    from django.core.cache import cache, caches

    cache.clear()
    caches["throttle"].clear()


@pytest.fixture(scope="session")
def _demo_data(django_db_setup, django_db_blocker):
    from tests.demo_snapshot import DemoData

    with django_db_blocker.unblock():
        return DemoData()


@pytest.fixture
def demo(_demo_data, db):
    """The INTERFACE.md demo data, loaded as `make run` loads it (on PostgreSQL once a session,
    then copied into each test: tests/demo_snapshot.py)."""
    _demo_data.load()


@pytest.fixture
def cio(db):
    return factories.CIOFactory()


@pytest.fixture
def approver(db):
    return factories.ApproverFactory()


@pytest.fixture
def procurement(db):
    return factories.ProcurementOfficerFactory()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()
