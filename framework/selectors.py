"""Reads of the framework as a whole, for the /framework/ dashboard: members and their seats,
seats per service, the core price over time and members' savings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, Sum

from catalogue import pricing
from catalogue.models import PriceSnapshot, Service, ServiceKind
from catalogue.selectors import latest_price_history
from contracts.models import ContractLine, ContractStatus


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
