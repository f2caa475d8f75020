"""Settings for the test suite.

The database comes from DATABASE_URL as everywhere else (SQLite when unset, PostgreSQL in CI).
Celery runs eagerly unless a test starts a real worker itself.
"""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-a-secret"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
# Notifications are printed unless a test points them at the fake Notify server
# (tests/notifications/fake_notify.py); never at the real one.
NOTIFY_BACKEND = "console"
NOTIFY_API_KEY = ""
NOTIFY_BASE_URL = "http://127.0.0.1:9"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# axe-core for the browser tests' accessibility checks (tests/e2e), straight from node_modules:
# served only under these settings, never built into production static (frontend/build.mjs).
STATICFILES_DIRS = [
    *STATICFILES_DIRS,  # noqa: F405
    ("test-only/axe-core", BASE_DIR / "node_modules" / "axe-core"),  # noqa: F405
]
# Each test run's own memory, never a Redis shared with other runs (tests clear it per test).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "throttle",
    },
}
# Whole-page caching (core/pagecache.py) off, so each test's queries and pages are the view's
# own; tests/core/test_pagecache.py turns it on. `PAGE_CACHE=true pytest tests/e2e` runs the
# browser journeys with it on, as production runs.
PAGE_CACHE = env.bool("PAGE_CACHE", default=False)  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
AXES_FAILURE_LIMIT = 5
