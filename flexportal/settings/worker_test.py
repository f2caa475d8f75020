"""Settings for a real Celery worker (and beat) started by the test suite
(tests/repricing/test_worker.py): the test settings, with tasks consumed from the broker
instead of run eagerly. DATABASE_URL points the worker at the test database."""

from .test import *  # noqa: F403
from .test import CELERY_BROKER_TRANSPORT_OPTIONS, LOGGING, env

CELERY_TASK_ALWAYS_EAGER = False
LOGGING["root"]["level"] = "INFO"

# A test that kills a worker mid-task (tests/repricing/test_worker_kill.py) has the broker hand
# the unacknowledged task to the restarted worker after this many seconds, not an hour.
if _visibility := env.int("WORKER_TEST_VISIBILITY_TIMEOUT", default=0):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "visibility_timeout": _visibility,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
        "unacked_mutex_expire": _visibility,
    }

# A test that sends notifications through the worker (tests/notifications/test_worker.py)
# points it at that test's fake Notify on loopback; otherwise they are printed.
if _notify_url := env.str("WORKER_TEST_NOTIFY_BASE_URL", default=""):
    NOTIFY_BACKEND = "notify"
    NOTIFY_BASE_URL = _notify_url
    NOTIFY_API_KEY = env.str("WORKER_TEST_NOTIFY_API_KEY")
