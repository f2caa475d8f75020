"""Reads of the catalogue: services with their schemes, and the figures pricing needs."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from . import pricing, schemes
from .models import PriceBand, PriceSnapshot, Service, ServiceKind


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
