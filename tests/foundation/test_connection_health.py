"""The portal's PostgreSQL backend (core/postgresql), against the real server: the health check
of a reused connection (no round trip while the connection is idle and quiet, Django's own
`SELECT 1` otherwise, and a connection the server has ended is noticed and replaced before a
request uses it), and the prepared statements of the reads every request makes."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.db import connection, connections
from django.db.backends.postgresql.base import DatabaseWrapper as StockWrapper
from django.utils import timezone

from accounts import signed_in
from accounts.models import Session
from catalogue.caching import catalogue_version
from core.postgresql import prepared_cursor
from core.postgresql.base import DatabaseWrapper, idle_and_quiet
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def opened():
    """New connections to the test database, each with health checks on, as in production."""
    made = []

    def open_one():
        wrapper = connections.create_connection("default")
        wrapper.health_check_enabled = True
        wrapper.ensure_connection()
        made.append(wrapper)
        return wrapper

    yield open_one
    for wrapper in made:
        wrapper.close()


def _counting_is_usable(monkeypatch, wrapper) -> list[bool]:
    calls = []
    original = wrapper.is_usable

    def is_usable():
        calls.append(result := original())
        return result

    monkeypatch.setattr(wrapper, "is_usable", is_usable)
    return calls


def _last_query_of(wrapper, other) -> str:
    """What the server last ran for `wrapper`'s connection, asked over `other`."""
    with other.cursor() as cursor:
        cursor.execute(
            "SELECT query FROM pg_stat_activity WHERE pid = %s",
            [wrapper.connection.info.backend_pid],
        )
        return cursor.fetchone()[0]


def _new_request(wrapper) -> None:
    """What Django does between requests: the next use of the connection is checked again."""
    wrapper.close_if_unusable_or_obsolete()
    assert wrapper.health_check_done is False


def _wait_until_readable(wrapper) -> None:
    deadline = time.monotonic() + 5
    while idle_and_quiet(wrapper.connection):
        assert time.monotonic() < deadline, "the server's message never arrived"
        time.sleep(0.01)


def test_the_portal_uses_this_backend_on_postgresql():
    assert isinstance(connections["default"], DatabaseWrapper)


def test_a_quiet_idle_connection_is_reused_without_asking_the_server(opened, monkeypatch):
    wrapper, observer = opened(), opened()
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT 'the last request'")
    calls = _counting_is_usable(monkeypatch, wrapper)
    raw = wrapper.connection
    _new_request(wrapper)

    wrapper.close_if_health_check_failed()

    assert calls == []
    assert wrapper.connection is raw and wrapper.health_check_done is True
    # The server saw no SELECT 1: its last statement is still the last request's.
    assert _last_query_of(wrapper, observer) == "SELECT 'the last request'"


def test_django_own_backend_would_have_asked(opened, monkeypatch):
    """What the one above saves: the stock backend sends SELECT 1 on every request."""
    wrapper, observer = opened(), opened()
    wrapper.__class__ = StockWrapper
    _new_request(wrapper)

    wrapper.close_if_health_check_failed()

    assert _last_query_of(wrapper, observer) == "SELECT 1"


def test_a_connection_the_server_ended_is_replaced_before_use(opened):
    wrapper, killer = opened(), opened()
    old_pid = wrapper.connection.info.backend_pid
    with killer.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [old_pid])
    _wait_until_readable(wrapper)
    _new_request(wrapper)

    wrapper.close_if_health_check_failed()
    assert wrapper.connection is None  # closed, not used

    with wrapper.cursor() as cursor:  # the request's first query reconnects
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != old_pid


def test_something_to_read_gets_django_check_and_a_live_connection_is_kept(opened, monkeypatch):
    wrapper, notifier = opened(), opened()
    wrapper.connection.execute("LISTEN flex_health_check")
    with notifier.cursor() as cursor:
        cursor.execute("NOTIFY flex_health_check")
    _wait_until_readable(wrapper)
    calls = _counting_is_usable(monkeypatch, wrapper)
    raw = wrapper.connection
    _new_request(wrapper)

    wrapper.close_if_health_check_failed()

    assert calls == [True]
    assert wrapper.connection is raw


def test_a_connection_left_in_a_transaction_gets_django_check(opened, monkeypatch):
    wrapper = opened()
    wrapper.connection.execute("BEGIN")
    calls = _counting_is_usable(monkeypatch, wrapper)
    wrapper.health_check_done = False

    wrapper.close_if_health_check_failed()

    assert calls == [True]


def test_a_closed_connection_is_not_idle_and_quiet(opened):
    wrapper = opened()
    raw = wrapper.connection
    raw.close()
    assert idle_and_quiet(raw) is False


def _prepared_on(wrapper) -> list[str]:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_the_reads_of_every_request_are_prepared_and_still_counted(
    client, django_assert_num_queries
):
    client.force_login(factories.CIOFactory())
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    for _ in range(3):
        read = signed_in.session_with_user(Session, key, timezone.now())
        catalogue_version()
    assert read.user is not None and read.data

    prepared = _prepared_on(connection)
    assert any('FROM "accounts_session" s LEFT JOIN' in sql for sql in prepared)
    assert any("catalogue_catalogueversion" in sql for sql in prepared)
    with django_assert_num_queries(1) as captured:  # still logged and counted like any query
        signed_in.session_with_user(Session, key, timezone.now())
    logged = captured.captured_queries[0]["sql"]
    assert 'FROM "accounts_session" s LEFT JOIN' in logged and key in logged


def test_other_statements_are_not_prepared(opened):
    wrapper = opened()
    for _ in range(3):
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT %s::int + 1", [1])
    assert not any("+ 1" in sql for sql in _prepared_on(wrapper))


def test_prepared_statements_can_be_turned_off(opened):
    """DATABASE_PREPARED_STATEMENTS=false (behind a pooler that cannot keep them): the same
    cursor, nothing prepared."""
    wrapper = opened()
    wrapper.close()
    wrapper.settings_dict = {
        **wrapper.settings_dict,
        "OPTIONS": {**wrapper.settings_dict["OPTIONS"], "prepare_threshold": None},
    }
    for _ in range(3):
        with prepared_cursor(wrapper) as cursor:
            cursor.execute("SELECT %s::int + 2", [1])
            assert cursor.fetchone() == (2 + 1,)
    assert _prepared_on(wrapper) == []
