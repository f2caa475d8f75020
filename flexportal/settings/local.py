"""Settings for a developer's machine and the embedded `make run` default."""

from .base import *  # noqa: F403
from .base import NOTIFY_API_KEY, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Only for local development: the production settings refuse to start without a real secret.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="local-development-only-not-a-secret")
# Without a Notify API key, notifications are printed in the terminal instead of sent.
NOTIFY_BACKEND = env.str("NOTIFY_BACKEND", default="notify" if NOTIFY_API_KEY else "console")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
