"""Celery tasks of the notification outbox. They take ids and only call services; sending is
idempotent (notifications/services.py), so a message delivered twice sends one email."""

from celery import shared_task

from .services import notification_send, notifications_send_due

# The task's own retries cover a short Notify hiccup; the beat sweeper covers a long outage.
TASK_RETRIES = 4


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=TASK_RETRIES)
def send_notification(self, notification_id: int) -> str:
    result = notification_send(notification_id=notification_id)
    # Eager (no broker): no retry inside the request that committed; the sweeper retries.
    retry = result.retry_in is not None and not self.request.is_eager
    if retry and self.request.retries < self.max_retries:
        raise self.retry(countdown=result.retry_in)
    return result.outcome.value


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_due_notifications() -> int:
    """Run by Celery beat: send what is queued or failed and due again."""
    return notifications_send_due()
