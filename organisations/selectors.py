"""Reads of organisations, scoped to what the caller may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from accounts import permissions

from .models import MembershipStatus, Organisation

if TYPE_CHECKING:
    from accounts.permissions import AnyUser


def scope_organisations(user: AnyUser, queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Organisations are public facts about the framework; prospective ones (still applying)
    are seen by Cabinet Office staff and procurement, and by their own CIO only."""
    if permissions.can_see_all_organisations_records(user):
        return queryset
    visible = queryset.exclude(membership_status=MembershipStatus.PROSPECTIVE)
    if permissions.is_cio(user):
        return visible | queryset.filter(pk=user.organisation_id)  # type: ignore[union-attr]
    return visible


def organisations_visible(*, user: AnyUser) -> QuerySet[Organisation]:
    return scope_organisations(user, Organisation.objects.all())
