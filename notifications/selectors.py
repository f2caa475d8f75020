"""Reads for notifications: who to tell, and the outbox for Cabinet Office staff."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet

from accounts import permissions
from accounts.models import Role, User

from .models import Notification


def cio_addresses(*, organisation_ids: Iterable[int]) -> dict[int, list[str]]:
    """The active CIOs' email addresses of each organisation, in one query."""
    found: dict[int, list[str]] = defaultdict(list)
    rows = (
        User.objects.filter(
            organisation_id__in=list(organisation_ids),
            groups__name=Role.CIO.value,
            is_active=True,
        )
        .exclude(email="")
        .order_by("email")
        .values_list("organisation_id", "email")
        .distinct()
    )
    for organisation_id, email in rows:
        found[organisation_id].append(email)
    return dict(found)


def approver_addresses() -> list[str]:
    """Every active Cabinet Office approver's email address."""
    return list(
        User.objects.filter(groups__name=Role.APPROVER.value, is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


def keys_enqueued(keys: Iterable[str]) -> set[str]:
    """Which of these event keys have been enqueued already (for anyone)."""
    return set(Notification.objects.filter(key__in=list(keys)).values_list("key", flat=True))


def can_see_notifications(user) -> bool:
    return permissions.is_cabinet_office(user)


def notification_list(*, status: str | None = None) -> QuerySet[Notification]:
    """The outbox, newest first; one query a page."""
    notifications = Notification.objects.order_by("-created_at", "-pk")
    if status:
        notifications = notifications.filter(status=status)
    return notifications
