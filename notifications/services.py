"""Writes to the notification outbox, and sending what it holds.

How each message gets to Notify exactly once, whatever fails:

1. Outbox. `notification_enqueue` writes one row per recipient in the caller's transaction,
   so a change that rolls back tells nobody; the row's (key, recipient) is unique, so an event
   enqueued twice is one message.
2. Publish after commit. Once the transaction commits, the Celery task `send_notification`
   is published with the row's id. A broker that is down loses only the publish: the row stays
   queued and the beat sweeper (`notifications_send_due`) sends it a minute later.
3. Claim, then send. `notification_send` claims the row under a row lock (queued or failed
   becomes sending), then calls Notify outside any transaction, then records the outcome. A
   second task for the same row finds it sent, or being sent, and does nothing.
4. Failure. A Notify error marks the row failed with a back-off before its next attempt; the
   task retries itself a few times and the sweeper after that, for as long as Notify is down.
   Notify refusing the message as invalid (400) is final: the row stays failed, with the error,
   for Cabinet Office staff to see.
5. Lost outcomes. A worker that died mid-send leaves the row "sending"; after
   SENDING_STALE_SECONDS the sweeper takes it again. Any attempt after the first asks Notify
   for a message with the row's reference before sending, so a send whose answer was lost is
   recorded, not repeated.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils import timezone

from .backends import DeliveryError, backend
from .models import Notification, NotificationStatus, TemplateKey

logger = logging.getLogger(__name__)

# A queued row whose task has not taken it within this long probably lost its publish.
QUEUED_GRACE_SECONDS = 60
# A send that started this long ago and has not finished: its worker died.
SENDING_STALE_SECONDS = 300
# Back-off after the n-th failed attempt: 30 s, 1, 2, 4 ... minutes, at most an hour.
RETRY_FIRST_SECONDS = 30
RETRY_MAX_SECONDS = 3600
# The sweeper's batch: the rest wait for its next tick.
SWEEP_BATCH = 200


def retry_delay(attempts: int) -> int:
    return min(RETRY_FIRST_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS)


# --- enqueueing ---------------------------------------------------------------------------


def notification_enqueue(
    *,
    template: TemplateKey,
    recipients: Iterable[str],
    personalisation: dict[str, str],
    key: str,
    at: dt.datetime | None = None,
) -> list[Notification]:
    """One outbox row per recipient (blank addresses dropped, the same address once), written
    in the caller's transaction and sent once it commits. An event already enqueued for a
    recipient (the same `key`) is not enqueued again. Returns the rows created."""
    now = at or timezone.now()
    unique: dict[str, str] = {}
    for address in recipients:
        address = (address or "").strip()
        if address:
            unique.setdefault(address.lower(), address)
    if not unique:
        logger.info("No one to notify", extra={"template": template.value, "key": key})
    created = []
    for address in sorted(unique.values()):
        notification, was_created = Notification.objects.get_or_create(
            key=key[:200],
            recipient=address,
            defaults={
                "template": template,
                "personalisation": personalisation,
                "created_at": now,
                "next_attempt_at": now + dt.timedelta(seconds=QUEUED_GRACE_SECONDS),
            },
        )
        if was_created:
            created.append(notification)
            transaction.on_commit(partial(notification_publish, notification_id=notification.pk))
    return created


def notification_publish(*, notification_id: int) -> bool:
    """Publish the send task; never raises: the queued row (and the sweeper) make sure it is
    sent even when publishing fails."""
    from .tasks import send_notification

    try:
        send_notification.delay(notification_id)
    except Exception:
        logger.exception(
            "Could not publish a notification; the sweeper will send it",
            extra={"notification": notification_id},
        )
        return False
    return True


# --- sending ------------------------------------------------------------------------------


class Outcome(enum.Enum):
    SENT = "sent"
    ALREADY_SENT = "already sent"
    BUSY = "being sent elsewhere"
    FAILED = "failed"
    REFUSED = "refused"
    MISSING = "missing"


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    retry_in: int | None = None  # seconds, after a failure worth retrying


def notification_send(*, notification_id: int, now: dt.datetime | None = None) -> SendResult:
    """Send one outbox row to Notify if nobody has yet (see the module docstring)."""
    now = now or timezone.now()
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None:
            return SendResult(Outcome.MISSING)
        if notification.status == NotificationStatus.SENT:
            return SendResult(Outcome.ALREADY_SENT)
        if (
            notification.status == NotificationStatus.SENDING
            and notification.next_attempt_at is not None
            and notification.next_attempt_at > now
        ):
            return SendResult(Outcome.BUSY)
        tried_before = notification.attempts > 0
        notification.status = NotificationStatus.SENDING
        notification.attempts += 1
        notification.next_attempt_at = now + dt.timedelta(seconds=SENDING_STALE_SECONDS)
        notification.save(update_fields=["status", "attempts", "next_attempt_at"])

    # Outside any transaction: no row lock or connection is held while Notify answers.
    target = backend()
    try:
        notify_id = target.find(notification) if tried_before else None
        if notify_id is None:
            notify_id = target.send(notification)
    except DeliveryError as exc:
        return _failed(notification, exc, now=now)
    _finish(
        notification,
        status=NotificationStatus.SENT,
        notify_id=notify_id,
        sent_at=timezone.now(),
        next_attempt_at=None,
        last_error="",
    )
    logger.info(
        "notification sent",
        extra={"notification": notification.pk, "template": notification.template},
    )
    return SendResult(Outcome.SENT)


def _failed(notification: Notification, exc: DeliveryError, *, now: dt.datetime) -> SendResult:
    delay = None if exc.permanent else retry_delay(notification.attempts)
    _finish(
        notification,
        status=NotificationStatus.FAILED,
        last_error=str(exc)[:2000],
        next_attempt_at=None if delay is None else now + dt.timedelta(seconds=delay),
    )
    logger.warning(
        "notification not sent",
        extra={
            "notification": notification.pk,
            "attempts": notification.attempts,
            "error": str(exc),
            "retry_in": delay,
        },
    )
    return SendResult(Outcome.REFUSED if delay is None else Outcome.FAILED, retry_in=delay)


def _finish(notification: Notification, **fields) -> None:
    # Only if this attempt still holds the claim: a stale claim retaken by the sweeper belongs
    # to that attempt now.
    Notification.objects.filter(
        pk=notification.pk, status=NotificationStatus.SENDING, attempts=notification.attempts
    ).update(**fields)


def notifications_send_due(*, now: dt.datetime | None = None) -> int:
    """What the beat sweeper does: send the rows that are due (queued ones whose task was
    lost, failed ones whose back-off is over, sends whose worker died), oldest first. Stops at
    the first failure worth retrying, since Notify is then probably down: the rest wait for the
    next tick rather than each time out. Returns the number sent."""
    now = now or timezone.now()
    due = (
        Notification.objects.filter(next_attempt_at__lte=now)
        .exclude(status=NotificationStatus.SENT)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    sent = 0
    for notification_id in list(due):
        result = notification_send(notification_id=notification_id, now=now)
        if result.outcome == Outcome.SENT:
            sent += 1
        elif result.outcome == Outcome.FAILED:
            break
    if sent:
        logger.info("sweeper sent notifications", extra={"sent": sent})
    return sent
