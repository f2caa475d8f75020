"""Telling a member's CIO, in the portal, that their price changed since their last visit:
the home and contract pages show each change with its cause and the old and new price, once.
(E-mail notices of the same changes are sent by the repricing run: notifications.)"""

from __future__ import annotations

from django.utils import timezone

from accounts import permissions
from accounts.models import User
from accounts.services import user_prices_seen
from contracts.selectors import PriceChange, price_changes_since


def price_changes_to_show(user: User) -> list[PriceChange]:
    """The price changes on the CIO's organisation's contracts since they last saw them, and
    mark them seen. The first visit only sets the mark: there is no "last visit" to compare."""
    if not permissions.is_cio(user):
        return []
    now = timezone.now()
    since = user.prices_seen_at
    changes = (
        price_changes_since(organisation_id=user.organisation_id, since=since) if since else []
    )
    user_prices_seen(user=user, at=now)
    return changes
