"""Settings for the HTTP benchmark: production-like (DEBUG off, no browsable API) plus a
minimal view to compare against, served by gunicorn on loopback."""

from flexportal.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "CRITICAL"}}
# No collectstatic for a benchmark: serve the source files as the static root (and so not
# also as a STATICFILES_DIRS entry, which the staticfiles checks refuse).
STATIC_ROOT = BASE_DIR / "static"  # noqa: F405
STATICFILES_DIRS = []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
