"""What "prices are right" means, computed from scratch, for the repricing tests."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F

from catalogue.models import Service
from catalogue.selectors import scheme_for, service_list
from contracts.models import ContractLine, ContractStatus
from contracts.selectors import framework_seats_by_service


def prices_from_scratch() -> dict[str, tuple[int, Decimal]]:
    """Framework seats and unit price of every service, recomputed from the contract lines."""
    seats = framework_seats_by_service()
    return {
        service.slug: (
            seats.get(service.pk, 0),
            scheme_for(service).unit_price(seats.get(service.pk, 0)),
        )
        for service in service_list(include_inactive=True)
    }


def prices_cached() -> dict[str, tuple[int, Decimal]]:
    return {
        slug: (seats, price)
        for slug, seats, price in Service.objects.values_list(
            "slug", "framework_seats", "current_unit_price"
        )
    }


def lines_off_price() -> int:
    """Active contract lines whose current price is not their service's price."""
    return (
        ContractLine.objects.filter(contract__status=ContractStatus.ACTIVE)
        .exclude(current_unit_price=F("service__current_unit_price"))
        .count()
    )


def assert_prices_match_a_recomputation_from_scratch() -> None:
    assert prices_cached() == prices_from_scratch()
    assert lines_off_price() == 0
