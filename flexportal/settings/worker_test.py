"""Settings for a real Celery worker (and beat) started by the test suite
(tests/repricing/test_worker.py): the test settings, with tasks consumed from the broker
instead of run eagerly. DATABASE_URL points the worker at the test database."""

from .test import *  # noqa: F403
from .test import LOGGING

CELERY_TASK_ALWAYS_EAGER = False
LOGGING["root"]["level"] = "INFO"
