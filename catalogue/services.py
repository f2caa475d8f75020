"""Writes of the catalogue: adding services, changing their details or pricing scheme, and
recording the prices a repricing run worked out.

A new service or scheme changes prices for every member, so callers that add one or change a
scheme also ask for a repricing (repricing.services.service_add / service_scheme_change): this
app knows services and prices, not the contracts whose seats set them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from . import pricing, schemes
from .caching import catalogue_changed
from .models import PriceBand, PriceSnapshot, Service

if TYPE_CHECKING:
    from organisations.models import Organisation


def _validate_scheme(scheme: pricing.Scheme) -> None:
    try:
        scheme.validate()
    except pricing.SchemeError as exc:
        raise ValidationError(exc.errors) from exc


def _replace_bands(service: Service, scheme: pricing.Scheme) -> None:
    service.bands.all().delete()
    if bands := schemes.scheme_bands(scheme):
        PriceBand.objects.bulk_create(
            PriceBand(service=service, up_to=band.up_to, unit_price=band.unit_price)
            for band in bands
        )


@transaction.atomic
def service_create(
    *,
    slug: str,
    name: str,
    kind: str,
    category: str,
    description: str,
    included: str = "",
    active: bool = True,
    scheme: pricing.Scheme,
) -> Service:
    """Add a service; repricing then gives it its first price and snapshot."""
    _validate_scheme(scheme)
    service = Service(
        slug=slug,
        name=name,
        kind=kind,
        category=category,
        description=description,
        included=included,
        active=active,
        **schemes.service_values(scheme),
    )
    service.full_clean()
    service.save()
    _replace_bands(service, scheme)
    catalogue_changed()
    return service


@transaction.atomic
def service_update_details(
    *,
    service: Service,
    name: str,
    kind: str,
    category: str,
    description: str,
    included: str,
    active: bool,
) -> Service:
    """Change what a service is called and says; its price is untouched."""
    service.name = name
    service.kind = kind
    service.category = category
    service.description = description
    service.included = included
    service.active = active
    service.full_clean()
    service.save(update_fields=["name", "kind", "category", "description", "included", "active"])
    catalogue_changed()
    return service


@transaction.atomic
def service_update_scheme(*, service: Service, scheme: pricing.Scheme) -> Service:
    """Replace a service's pricing scheme (and bands). Its price changes once the framework
    is repriced (repricing.services.service_scheme_change asks for that in the same
    transaction).

    Raises ValidationError (field → messages) for a scheme that breaks the pricing rules;
    nothing is written then.
    """
    _validate_scheme(scheme)
    # Lock the row so two Cabinet Office staff saving at once cannot interleave their bands.
    locked = Service.objects.select_for_update().get(pk=service.pk)
    for field, value in schemes.service_values(scheme).items():
        setattr(locked, field, value)
    locked.full_clean()
    locked.save(update_fields=list(schemes.SERVICE_FIELDS))
    _replace_bands(locked, scheme)
    catalogue_changed()
    for field in schemes.SERVICE_FIELDS:
        setattr(service, field, getattr(locked, field))
    return locked


@dataclass(frozen=True)
class ServicePrice:
    """A service's framework seats and price as a repricing run worked them out."""

    service: Service
    framework_seats: int
    unit_price: Decimal


FIRST_PRICE_REASON = "First price, before any member took this service"


def service_prices_record(
    *,
    changes: Sequence[ServicePrice],
    at: dt.datetime,
    reason: str,
    caused_by: Organisation | None,
) -> None:
    """Set each changed service's framework seats and price, and add a snapshot of each to
    its price history with the cause. A fixed number of queries however many services; the
    caller (the repricing run) holds the transaction."""
    if not changes:
        return
    # A service's first price, set while no member takes it, was not caused by the organisation
    # whose joining triggered the run ("Cabinet Office joined, 0 seats" read as if Cabinet
    # Office took it). A run with no such cause (a service added) keeps its own reason.
    first_prices = {
        change.service.pk
        for change in changes
        if caused_by is not None
        and change.service.current_unit_price is None
        and change.framework_seats == 0
    }
    for change in changes:
        change.service.framework_seats = change.framework_seats
        change.service.current_unit_price = change.unit_price
    Service.objects.bulk_update(
        [change.service for change in changes], ["framework_seats", "current_unit_price"]
    )
    PriceSnapshot.objects.bulk_create(
        PriceSnapshot(
            service=change.service,
            effective_at=at,
            framework_seats=change.framework_seats,
            unit_price=change.unit_price,
            reason=(
                FIRST_PRICE_REASON
                if change.service.pk in first_prices
                else reason[: PriceSnapshot._meta.get_field("reason").max_length]
            ),
            caused_by=None if change.service.pk in first_prices else caused_by,
        )
        for change in changes
    )
    catalogue_changed()
