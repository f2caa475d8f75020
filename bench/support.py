"""What the in-process benchmarks share: Django set up against a throwaway database, and a
rate measured over a few seconds."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))


def rate(call: Callable[[], object], seconds: float = SECONDS) -> tuple[float, int]:
    """Calls per second of `call`, repeated for about `seconds` after a short warm-up."""
    for _ in range(20):
        call()
    count = 0
    started = time.perf_counter()
    deadline = started + seconds
    while time.perf_counter() < deadline:
        for _ in range(50):
            call()
        count += 50
    return count / (time.perf_counter() - started), count


@contextmanager
def throwaway_django(name: str) -> Iterator[None]:
    """Django set up on a fresh, migrated database, dropped afterwards: a PostgreSQL database
    next to DATABASE_URL's when that is PostgreSQL, otherwise a temporary SQLite file. Never
    the developer's data. The request log is silenced; the rest of the stack still runs."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flexportal.settings.local")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    test = settings.DATABASES["default"].setdefault("TEST", {})
    directory = None
    if connection.vendor == "postgresql":
        test["NAME"] = f"flex_bench_{name}_{os.getpid()}"
    else:
        directory = tempfile.mkdtemp(prefix=f"flex-bench-{name}-")
        test["NAME"] = os.path.join(directory, "bench.sqlite3")
    setup_test_environment(debug=False)
    logging.disable(logging.INFO)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)
        logging.disable(logging.NOTSET)
        teardown_test_environment()
