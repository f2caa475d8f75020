"""What a refused catalogue write must leave as it was."""

from __future__ import annotations

from catalogue.models import PriceBand, PriceSnapshot, Service
from contracts.models import ContractLine
from repricing.models import RepricingRequest


def catalogue_state() -> tuple:
    """Services with their schemes and prices, bands, how many snapshots and repricing
    requests, and every contract line's current price."""
    return (
        list(
            Service.objects.values_list(
                "slug",
                "pricing_scheme",
                "fixed_annual_cost",
                "marginal_cost",
                "floor",
                "unit_price",
                "current_unit_price",
            ).order_by("slug")
        ),
        list(
            PriceBand.objects.values_list("service__slug", "up_to", "unit_price").order_by(
                "service__slug", "up_to"
            )
        ),
        PriceSnapshot.objects.count(),
        RepricingRequest.objects.count(),
        list(ContractLine.objects.values_list("pk", "current_unit_price").order_by("pk")),
    )
