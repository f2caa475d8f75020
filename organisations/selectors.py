"""Reads of organisations, scoped to what the caller may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet, Value
from django.db.models.functions import Upper
from django.http import Http404

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


def organisation_list(*, user: AnyUser) -> QuerySet[Organisation]:
    """The organisations `user` may see, by name, each with the predecessors `user` may see
    (a prospective one is not revealed as a predecessor either): two queries for any number."""
    return organisations_visible(user=user).prefetch_related(
        Prefetch("predecessors", queryset=organisations_visible(user=user).order_by("name"))
    )


def organisation_get(*, user: AnyUser, slug: str) -> Organisation:
    """One organisation `user` may see; any other is a 404, as one that does not exist."""
    organisation = organisation_list(user=user).filter(slug=slug).first()
    if organisation is None:
        raise Http404("No such organisation")
    return organisation


def named(text: str) -> Q:
    """Organisations whose name or short name contains `text`, in any case: matched against
    the capitals the database keeps of both (Organisation.search_name), `text` upper-cased by
    the database as they were. Any run of whitespace in `text` is one space, as names are
    written, so no match spans the line break between the two names."""
    return Q(search_name__contains=Upper(Value(" ".join(text.split()))))


def organisations_named(text: str) -> QuerySet[Organisation]:
    """`named(text)` among all organisations (unscoped: a subquery of a list already scoped to
    the caller, as the contracts' keyword filter)."""
    return Organisation.objects.filter(named(text))
