"""Writes of the catalogue: adding services and changing their details or pricing scheme.

A scheme change is a price change for every member, so it goes through the same repricing as a
sign-up: the new scheme is saved, then `repricing_request` asks for a recomputation that writes
the price snapshots and brings every active contract line to the new price.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from . import pricing
from .caching import catalogue_changed
from .models import PriceBand, PricingScheme, Service
from .repricing import repricing_request

SCHEME_REASON = "Price scheme changed"
ADDED_REASON = "Service added"

_SCHEME_FIELDS = ("pricing_scheme", "fixed_annual_cost", "marginal_cost", "floor", "unit_price")


def _validate_scheme(scheme: pricing.Scheme) -> None:
    try:
        scheme.validate()
    except pricing.SchemeError as exc:
        raise ValidationError(exc.errors) from exc


def _scheme_values(scheme: pricing.Scheme) -> dict[str, object]:
    """The Service columns of a scheme; the other schemes' columns are cleared, as the
    database constraint requires."""
    values: dict[str, object] = dict.fromkeys(_SCHEME_FIELDS[1:])
    if isinstance(scheme, pricing.VolumeScheme):
        values["pricing_scheme"] = PricingScheme.VOLUME
    elif isinstance(scheme, pricing.CostShareScheme):
        values.update(
            pricing_scheme=PricingScheme.COST_SHARE,
            fixed_annual_cost=scheme.fixed_annual_cost,
            marginal_cost=scheme.marginal_cost,
            floor=scheme.floor,
        )
    else:
        values.update(pricing_scheme=PricingScheme.FLAT, unit_price=scheme.unit_price_value)
    return values


def _replace_bands(service: Service, scheme: pricing.Scheme) -> None:
    service.bands.all().delete()
    if isinstance(scheme, pricing.VolumeScheme):
        PriceBand.objects.bulk_create(
            PriceBand(service=service, up_to=band.up_to, unit_price=band.unit_price)
            for band in scheme.bands
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
        **_scheme_values(scheme),
    )
    service.full_clean()
    service.save()
    _replace_bands(service, scheme)
    catalogue_changed()
    repricing_request(reason=ADDED_REASON)
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
    """Replace a service's pricing scheme (and bands), then reprice the whole framework the
    way a sign-up does: snapshots of what changed, every active contract line at the new price.

    Raises ValidationError (field → messages) for a scheme that breaks the pricing rules;
    nothing is written then.
    """
    _validate_scheme(scheme)
    # Lock the row so two Cabinet Office staff saving at once cannot interleave their bands.
    locked = Service.objects.select_for_update().get(pk=service.pk)
    for field, value in _scheme_values(scheme).items():
        setattr(locked, field, value)
    locked.full_clean()
    locked.save(update_fields=list(_SCHEME_FIELDS))
    _replace_bands(locked, scheme)
    catalogue_changed()
    repricing_request(reason=SCHEME_REASON)
    for field in _SCHEME_FIELDS:
        setattr(service, field, getattr(locked, field))
    return locked
