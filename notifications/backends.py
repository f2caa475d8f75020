"""Where a notification goes: GOV.UK Notify (`notify`, through notifications-python-client), or
the console (`console`, for `make run` and the test suite's default), chosen by the
NOTIFY_BACKEND setting."""

from __future__ import annotations

import sys
from typing import Protocol, TextIO

from django.conf import settings
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from .models import Notification

# Notify answers 400 for a message it will never accept (an invalid address, a missing
# placeholder): trying again cannot help. Anything else (5xx, 429, a network error, a key
# or template not set up yet) may pass later.
PERMANENT_STATUSES = frozenset({400})


class DeliveryError(Exception):
    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Backend(Protocol):
    def send(self, notification: Notification) -> str:
        """Send it; return Notify's id for it. Raises DeliveryError."""

    def find(self, notification: Notification) -> str | None:
        """Notify's id for a message already sent with this notification's reference, if any.
        Raises DeliveryError."""


def backend() -> Backend:
    name = settings.NOTIFY_BACKEND
    if name == "console":
        return ConsoleBackend()
    if name == "notify":
        return NotifyBackend(
            api_key=settings.NOTIFY_API_KEY,
            base_url=settings.NOTIFY_BASE_URL,
            timeout=settings.NOTIFY_TIMEOUT,
            templates=settings.NOTIFY_TEMPLATES,
        )
    raise ValueError(f"NOTIFY_BACKEND must be 'notify' or 'console', not {name!r}")


class NotifyBackend:
    def __init__(
        self, *, api_key: str, base_url: str, timeout: float, templates: dict[str, str]
    ) -> None:
        self.api_key = api_key
        self.base_url = base_url
        self.timeout = timeout
        self.templates = templates

    def _client(self) -> NotificationsAPIClient:
        if len(self.api_key) < 74:  # name-{service id}-{secret}: two UUIDs at its end
            raise DeliveryError("NOTIFY_API_KEY is not set, or is not a Notify API key")
        return NotificationsAPIClient(self.api_key, base_url=self.base_url, timeout=self.timeout)

    def send(self, notification: Notification) -> str:
        template_id = self.templates.get(notification.template, "")
        if not template_id:
            raise DeliveryError(
                f"No Notify template id: set NOTIFY_TEMPLATE_{notification.template.upper()}"
            )
        client = self._client()
        try:
            response = client.send_email_notification(
                email_address=notification.recipient,
                template_id=template_id,
                personalisation=notification.personalisation,
                reference=str(notification.reference),
            )
        except APIError as exc:
            raise DeliveryError(
                f"Notify answered {exc}", permanent=exc.status_code in PERMANENT_STATUSES
            ) from exc
        return str(response["id"])

    def find(self, notification: Notification) -> str | None:
        try:
            found = self._client().get_all_notifications(reference=str(notification.reference))
        except APIError as exc:
            raise DeliveryError(f"Notify answered {exc} to a look-up") from exc
        notifications = found.get("notifications") or []
        return str(notifications[0]["id"]) if notifications else None


class ConsoleBackend:
    """Prints each message instead of sending it: what `make run` shows in its terminal."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def send(self, notification: Notification) -> str:
        lines = [
            f"--- GOV.UK Notify (console): {notification.get_template_display()}"
            f" ({notification.template}) to {notification.recipient}",
            f"reference: {notification.reference}",
            *(f"(({name})): {value}" for name, value in notification.personalisation.items()),
            "---",
        ]
        self.stream.write("\n".join(lines) + "\n")
        self.stream.flush()
        return f"console-{notification.reference}"

    def find(self, notification: Notification) -> str | None:
        return None
