"""Celery tasks of accounts. They take no model instances and only call services."""

from celery import shared_task

from .services import sessions_clear_expired


@shared_task(acks_late=True, reject_on_worker_lost=True)
def clear_expired_sessions() -> int:
    """Run by Celery beat: delete expired sessions, which Django never deletes by itself.
    Idempotent."""
    return sessions_clear_expired()
