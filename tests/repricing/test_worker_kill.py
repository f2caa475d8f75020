"""A Celery worker killed (SIGKILL) in the middle of a repricing run, on PostgreSQL and Redis:
nothing of the run is left behind, and the restarted worker does the work again, in full.

The run is made slow on purpose inside the database: a test-only trigger sleeps in the
statement that brings contract lines to the new prices, which framework_reprice issues after it
has written the new service prices and their snapshots, in the same transaction. So when the
worker is killed, the run's transaction is open with snapshots written in it. The worker's
connection asks PostgreSQL to notice a vanished client (client_connection_check_interval), as
it would on a machine that died, and roll back. The restarted worker gets the same task again:
it was never acknowledged (acks_late), and the test worker's broker hands unacknowledged tasks
back after seconds (WORKER_TEST_VISIBILITY_TIMEOUT, read only by worker_test settings).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from applications import services
from applications.models import SignUpApplication
from catalogue.models import PriceSnapshot, Service
from flexportal.celery import app
from repricing.models import RepricingRequest, RepricingRun
from tests.celery_worker import start_worker, stop, wait_for, worker_database_url

from .helpers import assert_prices_match_a_recomputation_from_scratch, prices_cached
from .test_worker import WINDOW, _env

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

VISIBILITY_SECONDS = 2
SLOW_SQL = """
CREATE FUNCTION flex_test_slow_reprice() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_sleep(120); RETURN NULL; END $$;
CREATE TRIGGER flex_test_slow_reprice BEFORE UPDATE ON contracts_contractline
FOR EACH STATEMENT EXECUTE FUNCTION flex_test_slow_reprice();
"""
FAST_SQL = """
DROP TRIGGER IF EXISTS flex_test_slow_reprice ON contracts_contractline;
DROP FUNCTION IF EXISTS flex_test_slow_reprice();
"""
# A worker's log lines for a task: "Task repricing.tasks.reprice_framework[<id>] received" and
# "... succeeded in ...".
TASK = re.compile(r"Task repricing\.tasks\.reprice_framework\[([0-9a-f-]+)\] (received|succeeded)")


def _sql(statements: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statements)


@pytest.fixture
def slow_reprice():
    _sql(SLOW_SQL)
    try:
        yield
    finally:
        _sql(FAST_SQL)


def _start_worker(name: str, log: Path, **env: str) -> subprocess.Popen:
    return start_worker(
        name, log, _env(WORKER_TEST_VISIBILITY_TIMEOUT=str(VISIBILITY_SECONDS), **env)
    )


def _run_in_progress() -> dict | None:
    """The worker's repricing, asleep in the trigger inside its open transaction, and whether
    that transaction has written price snapshots (holds the lock an insert takes)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT a.pid, a.xact_start IS NOT NULL,
                   EXISTS (SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                           WHERE l.pid = a.pid AND c.relname = 'catalogue_pricesnapshot'
                             AND l.mode = 'RowExclusiveLock')
            FROM pg_stat_activity a
            WHERE a.wait_event = 'PgSleep' AND a.query LIKE '%%UPDATE "contracts_contractline"%%'
            """
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return {"pid": row[0], "in_transaction": row[1], "wrote_snapshots": row[2]}


def _backend_gone(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is None


def _tasks(log: Path, what: str) -> set[str]:
    return {task for task, event in TASK.findall(log.read_text()) if event == what}


def _all_processed() -> bool:
    return not RepricingRequest.objects.filter(processed_at__isnull=True).exists()


def test_a_worker_killed_mid_run_leaves_nothing_and_the_restarted_worker_redoes_it(
    demo, celery_not_eager, settings, tmp_path, slow_reprice
):
    settings.CELERY_REPRICING_COALESCE_SECONDS = WINDOW
    with app.connection_for_write() as broker:
        app.control.purge(connection=broker)
    prices_before = prices_cached()
    snapshots_before = PriceSnapshot.objects.count()
    runs_before = RepricingRun.objects.count()
    approver = get_user_model().objects.get(username="approver")
    application = SignUpApplication.objects.get(reference="FLEX-2026-0001")
    pid = os.getpid()
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    # PostgreSQL checks every half second whether the worker is still there.
    gone_client_check = "?options=-c%20client_connection_check_interval%3D500"
    first = _start_worker(
        f"flex-kill-first-{pid}@{socket.gethostname()}",
        first_log,
        DATABASE_URL=worker_database_url() + gone_client_check,
    )
    second = None
    try:
        services.application_approve(application=application, actor=approver)
        wait_for(
            lambda: _run_in_progress() is not None,
            timeout=30,
            what="the repricing to be under way",
            log=first_log,
        )
        run = _run_in_progress()
        assert run["in_transaction"] and run["wrote_snapshots"]
        # The task under way: taken, not finished (a stale message may have come and gone).
        [task_id] = _tasks(first_log, "received") - _tasks(first_log, "succeeded")

        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        killed_at = time.monotonic()
        wait_for(
            lambda: _backend_gone(run["pid"]),
            timeout=15,
            what="PostgreSQL to end the dead worker's session",
            log=first_log,
        )
        print(f"the dead worker's transaction ended {time.monotonic() - killed_at:.2f} s on")

        # Nothing of the run was kept: prices, snapshots and the request are as before.
        assert prices_cached() == prices_before
        assert PriceSnapshot.objects.count() == snapshots_before
        assert RepricingRun.objects.count() == runs_before
        pending = RepricingRequest.objects.get(processed_at__isnull=True)
        assert pending.reason == "GSA joined"

        _sql(FAST_SQL)
        started = time.monotonic()
        second = _start_worker(f"flex-kill-second-{pid}@{socket.gethostname()}", second_log)
        wait_for(_all_processed, timeout=60, what="the restarted worker", log=second_log)
        print(f"the restarted worker repriced within {time.monotonic() - started:.2f} s")
    finally:
        stop(first)
        if second is not None:
            stop(second)

    # The same task, never acknowledged by the dead worker, was done by the new one.
    assert task_id in _tasks(second_log, "succeeded")
    assert_prices_match_a_recomputation_from_scratch()
    assert RepricingRun.objects.count() == runs_before + 1
    run = RepricingRun.objects.latest("finished_at")
    assert run.requests_processed == 1
    changed = [slug for slug, price in prices_cached().items() if price != prices_before[slug]]
    assert changed  # the agency joining changed prices
    new_snapshots = PriceSnapshot.objects.order_by("pk")[snapshots_before:]
    assert sorted(s.service.slug for s in new_snapshots) == sorted(changed)  # each once
    assert Service.objects.get(slug="desktop").current_unit_price < prices_before["desktop"][1]
