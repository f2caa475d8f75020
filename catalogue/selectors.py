"""Reads of the catalogue: services with their schemes, and the figures pricing needs."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet, Sum

from contracts.models import ContractLine, ContractStatus

from . import pricing
from .models import PriceBand, PricingScheme, Service


def service_list(*, include_inactive: bool = False) -> QuerySet[Service]:
    """Services with their bands, in catalogue order (core first). Two queries however many."""
    services = Service.objects.prefetch_related(
        Prefetch("bands", queryset=PriceBand.objects.order_by("service_id", "up_to"))
    )
    return services if include_inactive else services.filter(active=True)


def scheme_for(service: Service) -> pricing.Scheme:
    """The pure pricing scheme of a service (its bands prefetched by `service_list`)."""
    if service.pricing_scheme == PricingScheme.VOLUME:
        bands = sorted(service.bands.all(), key=lambda b: (b.up_to is None, b.up_to or 0))
        return pricing.VolumeScheme(
            bands=tuple(pricing.Band(up_to=b.up_to, unit_price=b.unit_price) for b in bands)
        )
    if service.pricing_scheme == PricingScheme.COST_SHARE:
        return pricing.CostShareScheme(
            fixed_annual_cost=service.fixed_annual_cost,
            marginal_cost=service.marginal_cost,
            floor=service.floor,
        )
    return pricing.FlatScheme(unit_price_value=service.unit_price)


def priced_service(service: Service) -> pricing.PricedService:
    return pricing.PricedService(
        slug=service.slug,
        name=service.name,
        scheme=scheme_for(service),
        framework_seats=service.framework_seats,
    )


def framework_seats_by_service() -> dict[int, int]:
    """Seats on active contracts, per service id, recomputed from the contract lines."""
    rows = (
        ContractLine.objects.filter(contract__status=ContractStatus.ACTIVE)
        .values("service_id")
        .annotate(seats=Sum("seats"))
        .order_by()
    )
    return {row["service_id"]: row["seats"] for row in rows}
