from __future__ import annotations

import pytest

from flexportal.celery import app


@pytest.fixture
def celery_not_eager():
    """Celery as in production: tasks are published, not run in the caller."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield app
    finally:
        app.conf.task_always_eager = previous
