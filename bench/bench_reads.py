"""What each read on a signed-in catalogue request costs, in process: the figures that explain
the HTTP ratios (docs/performance.md). Each row is one read, repeated, on the demo data: a bare
`SELECT 1` round trip, then the session (as the portal reads it: with its user, their
organisation and roles, in one prepared statement; and through Django's own store as before),
the user with their organisation and roles on their own (in plain SQL, and through the ORM as
before), the catalogue
version (as the portal reads it, and through the ORM as it did before), a Redis
cache get (when CELERY_BROKER_URL or REDIS_URL names a Redis), and four whole requests through
Django's WSGI handler, as gunicorn calls it but without a socket: the minimal view, the same
signed in, the catalogue page's ceiling (bench/urls.py) and the catalogue page itself, signed
in.

    .venv/bin/python -m bench.bench_reads
"""

from __future__ import annotations

import os
from collections.abc import Callable
from wsgiref.util import setup_testing_defaults

from bench.support import rate, throwaway_django

USER = "cio-dius"


def run() -> list[dict]:
    from django.test.utils import override_settings

    with throwaway_django("reads"), override_settings(ROOT_URLCONF="bench.urls"):
        return [_row(label, call) for label, call in _reads()]


def _row(label: str, call: Callable[[], object]) -> dict:
    per_second, _ = rate(call)
    return {
        "benchmark": f"in-process: {label}",
        "figure": f"{1e6 / per_second:,.0f} us each ({per_second:,.0f}/s)",
        "target": "(explains the HTTP ratios)",
    }


def _reads() -> list[tuple[str, Callable[[], object]]]:
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore as OrmSessionStore
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    from accounts import permissions
    from accounts.backends import OrganisationModelBackend
    from accounts.sessions import SessionStore
    from catalogue.caching import catalogue_version
    from catalogue.models import CatalogueVersion
    from demo.loader import load_flex_demo

    load_flex_demo(with_users=True)
    user = get_user_model().objects.get(username=USER)
    session = SessionStore()
    session.create()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.OrganisationModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    backend = OrganisationModelBackend()
    handler = WSGIHandler()

    def select_one() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    def get(url: str, *, signed_in: bool = False) -> Callable[[], None]:
        environ = {"PATH_INFO": url, "SERVER_NAME": "127.0.0.1"}
        if signed_in:
            environ["HTTP_COOKIE"] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        setup_testing_defaults(environ)

        def call() -> None:
            statuses = []
            body = handler(dict(environ), lambda status, headers: statuses.append(status))
            b"".join(body)
            assert statuses == ["200 OK"], (url, statuses)

        return call

    reads = [
        ("SELECT 1 round trip (raw cursor)", select_one),
        (
            "the session, plain SQL (accounts.sessions)",
            lambda: SessionStore(session.session_key).load(),
        ),
        (
            "the session through Django's ORM store (before)",
            lambda: OrmSessionStore(session.session_key).load(),
        ),
        (
            "the user with organisation and roles, plain SQL (accounts.backends)",
            lambda: permissions.role_names(backend.get_user(user.pk)),
        ),
        (
            "the user with organisation, then roles, through the ORM (before)",
            lambda: permissions.role_names(
                get_user_model().objects.select_related("organisation").get(pk=user.pk)
            ),
        ),
        ("the catalogue version, plain SQL (catalogue.caching)", catalogue_version),
        (
            "the catalogue version through the ORM (before)",
            lambda: CatalogueVersion.objects.filter(pk=1).values_list("number", flat=True).first(),
        ),
    ]
    redis_get = _redis_get()
    if redis_get is not None:
        reads.append(("a Redis cache get (Django's RedisCache, small value)", redis_get))
    return [
        *reads,
        ("whole request: minimal view (WSGI)", get("/bench/minimal/")),
        (
            "whole request: signed-in minimal view (WSGI)",
            get("/bench/signed-in/", signed_in=True),
        ),
        ("whole request: catalogue page ceiling (WSGI)", get("/bench/ceiling/catalogue/")),
        ("whole request: GET /catalogue/ signed in (WSGI)", get("/catalogue/", signed_in=True)),
    ]


def _redis_get() -> Callable[[], object] | None:
    url = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or ""
    if not url.startswith("redis"):
        return None
    from django.core.cache.backends.redis import RedisCache

    # A database of its own next to the broker's, as tests/catalogue/test_caching.py uses.
    cache = RedisCache(url.rsplit("/", 1)[0] + "/14", {"KEY_PREFIX": "flexportal-bench"})
    cache.set("reads", {"version": 1}, 60)
    return lambda: cache.get("reads")


if __name__ == "__main__":
    for row in run():
        print(f"{row['benchmark']}: {row['figure']}")
