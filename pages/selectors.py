"""Reads of feedback: only Cabinet Office staff see what people sent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet

from accounts import permissions

from .models import Feedback, Satisfaction

if TYPE_CHECKING:
    from accounts.permissions import AnyUser


def _check_may_read(user: AnyUser) -> None:
    if not permissions.is_cabinet_office(user):
        raise PermissionDenied("Only Cabinet Office staff read the feedback people send.")


def feedback_list(*, user: AnyUser) -> QuerySet[Feedback]:
    """Every answer, newest first, for Cabinet Office staff; anyone else is refused (403)."""
    _check_may_read(user)
    return Feedback.objects.order_by("-created_at", "-pk")


def feedback_satisfaction_counts(*, user: AnyUser) -> list[tuple[str, int]]:
    """How many answers gave each rating, best first, every rating listed (0 if none): one
    query."""
    _check_may_read(user)
    counts = dict(Feedback.objects.values_list("satisfaction").annotate(n=Count("pk")).order_by())
    return [(choice.label, counts.get(choice.value, 0)) for choice in Satisfaction]
