"""Health of the portal's dependencies, for /healthz."""

from __future__ import annotations

import logging

from django.db import connection

logger = logging.getLogger(__name__)


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: database unreachable")
        return "unavailable"
    return "ok"


def broker_status() -> str:
    from celery import current_app as app

    if app.conf.task_always_eager:
        return "eager"

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        logger.exception("Health check: broker unreachable")
        return "unavailable"
    return "ok"
