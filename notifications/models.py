"""The notification outbox: every email the portal sends through GOV.UK Notify is first a row
here, written in the transaction of the change it reports, so a rolled-back change sends
nothing and a Notify outage loses nothing (notifications/services.py)."""

import uuid

from django.db import models
from django.db.models import Q


class TemplateKey(models.TextChoices):
    """The Notify email templates the portal sends; each one's id is a setting
    (NOTIFY_TEMPLATE_<KEY>, e.g. NOTIFY_TEMPLATE_APPLICATION_RECEIVED)."""

    APPLICATION_RECEIVED = "application_received", "Application received"
    APPLICATION_WAITING = "application_waiting", "New application waiting"
    APPLICATION_DECISION = "application_decision", "Application decided"
    CHANGE_DECISION = "change_decision", "Change request decided"
    PRICE_CHANGED = "price_changed", "Price changed"
    CONTRACT_ENDING = "contract_ending", "Contract ending in 6 months"
    CONTRACT_ENDED = "contract_ended", "Contract ended"


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent to Notify"
    FAILED = "failed", "Failed"


class Notification(models.Model):
    """One email to one recipient. `key` names the event (one message per event and
    recipient, however often it is enqueued); `reference` is sent to Notify with the message,
    so a send whose outcome was lost can be looked up there instead of sent twice.

    `next_attempt_at` is when the beat sweeper may next try it: shortly after it was queued
    (in case its task was lost), after a back-off once it failed, a few minutes after a send
    started (in case the worker died mid-send), and never (null) once sent or refused by
    Notify as invalid."""

    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(max_length=200)
    template = models.CharField(max_length=40, choices=TemplateKey.choices)
    recipient = models.EmailField(max_length=254)
    personalisation = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    notify_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient"], name="notification_once_per_key"),
            models.CheckConstraint(
                condition=Q(status__in=NotificationStatus.values), name="notification_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="notification_sent_has_time",
            ),
        ]
        indexes = [
            # The sweeper's query: what is due, oldest first.
            models.Index(fields=["next_attempt_at"], name="notification_due_idx"),
            models.Index(fields=["created_at"], name="notification_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_template_display()} to {self.recipient}"
