"""A real Celery worker for the tests that need one: a subprocess (solo pool) consuming from
CELERY_BROKER_URL and working on the test database, under flexportal.settings.worker_test.
The repricing, notification and export worker tests all start theirs through here."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

from flexportal.celery import app

BASE_DIR = Path(settings.BASE_DIR)
CELERY = BASE_DIR / ".venv" / "bin" / "celery"


def worker_database_url() -> str:
    """DATABASE_URL of the test database this process uses, for the worker to use too."""
    db = settings.DATABASES["default"]
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "flexportal.settings.worker_test",
        "DATABASE_URL": worker_database_url(),
        "CELERY_BROKER_URL": os.environ["CELERY_BROKER_URL"],
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_CONN_MAX_AGE": "0",
        **extra,
    }


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str, log: Path) -> float:
    """Seconds until `condition` holds; fails the test with the worker's log after `timeout`."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            pytest.fail(
                f"Timed out after {timeout} s waiting for {what}.\n{log.read_text()[-3000:]}"
            )
        time.sleep(0.05)
    return time.monotonic() - started


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def start_worker(
    name: str, log: Path, env: dict[str, str], *, timeout: float = 30
) -> subprocess.Popen:
    """A worker named `name`, answering pings, logging to `log`; stopped again if it fails."""
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                str(CELERY), "-A", "flexportal", "worker", "--pool=solo", "--concurrency=1",
                "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
                "-n", name,
            ],
            cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_for(
            lambda: (
                process.poll() is not None
                or bool(app.control.ping(destination=[name], timeout=0.5))
            ),
            timeout=timeout,
            what=f"worker {name} to start",
            log=log,
        )
        assert process.poll() is None, log.read_text()
    except BaseException:
        stop(process)
        raise
    return process


@contextmanager
def running_worker(
    name: str, log: Path, env: dict[str, str], *, timeout: float = 30
) -> Iterator[Path]:
    """A worker with an empty queue for the duration of the block; yields its log."""
    with app.connection_for_write() as connection:
        app.control.purge(connection=connection)
    process = start_worker(name, log, env, timeout=timeout)
    try:
        yield log
    finally:
        stop(process)
