"""Reads of the catalogue: services with their schemes, and the figures pricing needs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from accounts import permissions
from organisations.models import MembershipStatus

from . import pricing, schemes
from .models import PriceBand, PriceSnapshot, Service, ServiceKind

if TYPE_CHECKING:
    from accounts.permissions import AnyUser


def service_list(*, include_inactive: bool = False) -> QuerySet[Service]:
    """Services with their bands, in catalogue order (core first). Two queries however many."""
    services = Service.objects.prefetch_related(
        Prefetch("bands", queryset=PriceBand.objects.order_by("service_id", "up_to"))
    )
    return services if include_inactive else services.filter(active=True)


def scheme_for(service: Service) -> pricing.Scheme:
    """The pure pricing scheme of a service (its bands prefetched by `service_list`)."""
    return schemes.scheme_for(service)


def priced_service(service: Service) -> pricing.PricedService:
    return pricing.PricedService(
        slug=service.slug,
        name=service.name,
        scheme=scheme_for(service),
        framework_seats=service.framework_seats,
        is_core=service.kind == ServiceKind.CORE,
    )


def service_by_slug(slug: str, *, include_inactive: bool = True) -> Service:
    """One service with its bands; raises Service.DoesNotExist."""
    return service_list(include_inactive=include_inactive).get(slug=slug)


def price_history(service: Service) -> QuerySet[PriceSnapshot]:
    """A service's snapshots, oldest first, with the organisation that caused each."""
    return (
        PriceSnapshot.objects.filter(service=service)
        .select_related("caused_by")
        .order_by("effective_at", "pk")
    )


def latest_price_history(service: Service, *, limit: int) -> tuple[list[PriceSnapshot], int]:
    """The newest `limit` snapshots (oldest first) and how many there are in all: a page shows
    a readable window, the CSV has everything. Two queries."""
    total = PriceSnapshot.objects.filter(service=service).count()
    newest = list(price_history(service).order_by("-effective_at", "-pk")[:limit])
    newest.reverse()
    return newest, total


def active_services_by_slug() -> dict[str, Service]:
    """Services a quote may include, by slug, with their bands. Two queries."""
    return {service.slug: service for service in service_list()}


def quote_for(
    *,
    lines: Sequence[tuple[Service, int]],
    term_years: int,
    current_cost_per_seat: Decimal | None = None,
) -> pricing.Quote:
    """Price validated quote lines (services with bands prefetched) at today's framework seats."""
    return pricing.quote(
        [pricing.QuoteRequestLine(service=priced_service(s), seats=n) for s, n in lines],
        term_years=term_years,
        current_cost_per_seat=current_cost_per_seat,
    )


# --- the catalogue list's own price for a CIO ------------------------------------------------


@dataclass(frozen=True)
class PriceForYou:
    """The second price the catalogue list shows a CIO beside today's: what every member
    (theirs included) would pay per seat once `seats` more join the framework."""

    heading: str
    seats: int

    @property
    def cache_key(self) -> str:
        # The list is the same for everyone shown the same heading and seats, so it is cached
        # per (heading, seats) rather than per person.
        return f"{'join' if self.heading == JOIN_HEADING else 'add'}:{self.seats}"


JOIN_HEADING = "Your price if you join"


def price_for_you(user: AnyUser) -> PriceForYou | None:
    """For a CIO of an organisation that is not a member: its price if it joins with a seat
    for each of its desktops; for a member's CIO: the price if it added that many seats. None
    for anyone else, or an organisation with no desktops recorded."""
    if not permissions.is_cio(user):
        return None
    organisation = user.organisation  # loaded with the user (accounts.backends)
    if not organisation.desktops:
        return None
    if organisation.membership_status == MembershipStatus.ACTIVE:
        return PriceForYou(
            heading=f"If you add {organisation.desktops:,} seats", seats=organisation.desktops
        )
    return PriceForYou(heading=JOIN_HEADING, seats=organisation.desktops)


def unit_prices_with(services: Sequence[Service], *, seats: int) -> dict[int, Decimal]:
    """Each service's price per seat once `seats` more join it (bands prefetched): the one
    rule, `pricing.unit_price_if_joined`."""
    return {
        service.pk: pricing.unit_price_if_joined(
            scheme_for(service), framework_seats=service.framework_seats, seats=seats
        )
        for service in services
    }
