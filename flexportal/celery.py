"""The Celery application: `celery -A flexportal worker` / `celery -A flexportal beat`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flexportal.settings.local")

app = Celery("flexportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
