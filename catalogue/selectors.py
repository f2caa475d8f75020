"""Reads of the catalogue: services with their schemes, and the figures pricing needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum

from contracts.models import ContractLine, ContractStatus

from . import pricing
from .models import PriceBand, PriceSnapshot, PricingScheme, Service, ServiceKind


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


# --- the framework dashboard ----------------------------------------------------------------


@dataclass(frozen=True)
class MemberSeats:
    """One member's seats on its active contracts, core first."""

    name: str
    joined_on: dt.date | None
    core_seats: int
    extras: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class ServiceSeats:
    service: Service
    members: int


@dataclass(frozen=True)
class FrameworkOverview:
    core: Service | None
    services: tuple[ServiceSeats, ...]
    members: tuple[MemberSeats, ...]
    core_history: tuple[PriceSnapshot, ...]
    core_history_total: int
    savings: pricing.FrameworkSavings | None


def framework_overview(*, history_limit: int = 100) -> FrameworkOverview:
    """Everything the /framework/ dashboard shows, in a fixed number of queries (five) however
    many members, contract lines and snapshots there are."""
    services = list(Service.objects.filter(Q(active=True) | Q(framework_seats__gt=0)))
    core = next((s for s in services if s.kind == ServiceKind.CORE), None)
    seat_rows = list(
        ContractLine.objects.filter(contract__status=ContractStatus.ACTIVE)
        .values(
            "contract__organisation_id",
            "contract__organisation__name",
            "contract__organisation__joined_on",
            "service_id",
            "service__name",
            "service__kind",
        )
        .annotate(seats=Sum("seats"))
        .order_by("contract__organisation__name", "service__kind", "service__name")
    )
    members: dict[int, dict] = {}
    members_per_service: dict[int, int] = {}
    for row in seat_rows:
        member = members.setdefault(
            row["contract__organisation_id"],
            {
                "name": row["contract__organisation__name"],
                "joined_on": row["contract__organisation__joined_on"],
                "core_seats": 0,
                "extras": [],
            },
        )
        if core is not None and row["service_id"] == core.pk:
            member["core_seats"] += row["seats"]
        else:
            member["extras"].append((row["service__name"], row["seats"]))
        members_per_service[row["service_id"]] = members_per_service.get(row["service_id"], 0) + 1

    history: list[PriceSnapshot] = []
    history_total = 0
    savings = None
    if core is not None:
        history, history_total = latest_price_history(core, limit=history_limit)
        if core.current_unit_price is not None:
            savings = pricing.framework_savings(
                _member_costs(core), current_unit_price=core.current_unit_price
            )
    return FrameworkOverview(
        core=core,
        services=tuple(ServiceSeats(s, members_per_service.get(s.pk, 0)) for s in services),
        members=tuple(MemberSeats(**{**m, "extras": tuple(m["extras"])}) for m in members.values()),
        core_history=tuple(history),
        core_history_total=history_total,
        savings=savings,
    )


def _member_costs(core: Service) -> list[pricing.MemberCost]:
    """Core seats of each active contract whose organisation told us what it paid before."""
    rows = (
        ContractLine.objects.filter(
            contract__status=ContractStatus.ACTIVE,
            contract__previous_cost_per_seat__isnull=False,
            service=core,
        )
        .values(
            "seats",
            "contract__reference",
            "contract__previous_cost_per_seat",
            "contract__organisation__name",
            "contract__organisation__short_name",
        )
        .order_by("contract__signed_on", "contract__reference")
    )
    return [
        pricing.MemberCost(
            member=row["contract__organisation__short_name"] or row["contract__organisation__name"],
            reference=row["contract__reference"],
            seats=row["seats"],
            previous_cost_per_seat=row["contract__previous_cost_per_seat"],
        )
        for row in rows
    ]
