"""Reads of the framework as a whole, for the /framework/ dashboard: totals, members grouped by
kind and size, the largest members, a page of members with their seats, seats per service, the
core price over time and savings.

Built for the whole public sector (tens of thousands of members): every figure is an aggregate
the database works out, and every list is a bounded page, so the page costs the same number of
queries, and about the same time, however many members there are."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Round

from catalogue import pricing
from catalogue.caching import cached
from catalogue.models import PriceSnapshot, Service, ServiceKind
from catalogue.selectors import latest_price_history
from contracts.models import ContractLine, ContractStatus
from organisations.models import MembershipStatus, Organisation, OrganisationKind

MEMBERS_PAGE_SIZE = 25
SAVINGS_PAGE_SIZE = 25
TOP_MEMBERS = 10

# Size bands by desktops (staff where desktops are not known): lower bound, label.
SIZE_BANDS = (
    (10_000, "10,000 or more"),
    (2_000, "2,000 to 9,999"),
    (500, "500 to 1,999"),
    (100, "100 to 499"),
    (0, "Fewer than 100"),
)


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
class MemberGroup:
    """Members of one kind, or of one size band, and their core seats."""

    label: str
    members: int
    core_seats: int


@dataclass(frozen=True)
class TopMember:
    name: str
    core_seats: int


@dataclass(frozen=True)
class FrameworkOverview:
    core: Service | None
    services: tuple[ServiceSeats, ...]
    members_page: Page
    members: tuple[MemberSeats, ...]  # the members on `members_page`
    by_kind: tuple[MemberGroup, ...]
    by_size: tuple[MemberGroup, ...]
    top_members: tuple[TopMember, ...]
    core_history: tuple[PriceSnapshot, ...]
    core_history_total: int
    savings: pricing.FrameworkSavings | None  # framework totals; `members` left empty

    @property
    def member_count(self) -> int:
        return self.members_page.paginator.count


@dataclass(frozen=True)
class _Aggregates:
    """The figures that sum every member's lines: built once per catalogue version."""

    members_per_service: dict[int, int]
    by_kind: tuple[MemberGroup, ...]
    by_size: tuple[MemberGroup, ...]
    top_members: tuple[TopMember, ...]
    savings: pricing.FrameworkSavings | None


def framework_overview(*, history_limit: int = 100, members_page: object = 1) -> FrameworkOverview:
    """Everything the /framework/ dashboard shows everyone, in a fixed number of queries
    however many members, contract lines and snapshots there are. Members' own savings are
    separate (`member_savings_page`, `organisation_savings`): not everyone sees them.

    The figures that add up every member's lines (members per service, the groups, the
    largest members, the savings totals) are worked out once per catalogue version
    (catalogue.caching): every change of seats is repriced, and the repricing raises the
    version, so they are the framework as of its latest repricing, as its prices are."""
    services = list(Service.objects.filter(Q(active=True) | Q(framework_seats__gt=0)))
    core = next((s for s in services if s.kind == ServiceKind.CORE), None)
    figures = cached("framework:aggregates", lambda: _aggregates(core))
    page = Paginator(_members(), MEMBERS_PAGE_SIZE).get_page(members_page)
    history: list[PriceSnapshot] = []
    history_total = 0
    if core is not None:
        history, history_total = latest_price_history(core, limit=history_limit)
    return FrameworkOverview(
        core=core,
        services=tuple(ServiceSeats(s, figures.members_per_service.get(s.pk, 0)) for s in services),
        members_page=page,
        members=_seats_of(list(page.object_list), core),
        by_kind=figures.by_kind,
        by_size=figures.by_size,
        top_members=figures.top_members,
        core_history=tuple(history),
        core_history_total=history_total,
        savings=figures.savings,
    )


def _aggregates(core: Service | None) -> _Aggregates:
    """Four queries, each one pass over the active lines (or the members)."""
    members_per_service = dict(
        _active_lines()
        .values("service_id")
        .annotate(members=Count("contract__organisation_id", distinct=True))
        .order_by()
        .values_list("service_id", "members")
    )
    by_kind, by_size = _groups(core)
    savings = None
    if core is not None and core.current_unit_price is not None:
        savings = _savings_totals(core)
    return _Aggregates(
        members_per_service=members_per_service,
        by_kind=by_kind,
        by_size=by_size,
        top_members=_top_members(core),
        savings=savings,
    )


def _active_lines() -> QuerySet[ContractLine]:
    return ContractLine.objects.filter(contract__status=ContractStatus.ACTIVE)


def _members() -> QuerySet[Organisation]:
    return Organisation.objects.filter(membership_status=MembershipStatus.ACTIVE).order_by(
        "name", "pk"
    )


def _seats_of(members: list[Organisation], core: Service | None) -> tuple[MemberSeats, ...]:
    """The seats of each of `members` (one page), per service, from their active contracts."""
    rows = (
        _active_lines()
        .filter(contract__organisation__in=[m.pk for m in members])
        .values("contract__organisation_id", "service_id", "service__name", "service__kind")
        .annotate(seats=Sum("seats"))
        .order_by("contract__organisation_id", "service__kind", "service__name")
    )
    core_seats: dict[int, int] = defaultdict(int)
    extras: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for row in rows:
        member = row["contract__organisation_id"]
        if core is not None and row["service_id"] == core.pk:
            core_seats[member] += row["seats"]
        else:
            extras[member].append((row["service__name"], row["seats"]))
    return tuple(
        MemberSeats(
            name=m.name,
            joined_on=m.joined_on,
            core_seats=core_seats[m.pk],
            extras=tuple(extras[m.pk]),
        )
        for m in members
    )


def _size_band() -> Case:
    """The band of the `size` annotation (desktops, or staff where desktops are unknown)."""
    return Case(
        *(When(Q(size__gte=bound), then=Value(n)) for n, (bound, _) in enumerate(SIZE_BANDS)),
        default=Value(len(SIZE_BANDS) - 1),
        output_field=IntegerField(),
    )


def _groups(core: Service | None) -> tuple[tuple[MemberGroup, ...], tuple[MemberGroup, ...]]:
    """Members and their core seats by kind of organisation and by size band: one query
    grouping the members by both, summed each way here (a few dozen rows)."""
    core_seats = (
        Sum(
            "contracts__lines__seats",
            filter=Q(contracts__status=ContractStatus.ACTIVE, contracts__lines__service_id=core.pk),
        )
        if core is not None
        else Value(0)
    )
    rows = (
        _members()
        .annotate(size=Coalesce("desktops", "staff"))
        .annotate(band=_size_band())
        .values("kind", "band")
        .annotate(members=Count("pk", distinct=True), seats=Coalesce(core_seats, 0))
        .order_by()
    )
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    bands: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        for totals in (kinds[row["kind"]], bands[row["band"]]):
            totals[0] += row["members"]
            totals[1] += row["seats"]
    by_kind = tuple(
        MemberGroup(label, *kinds[value])
        for value, label in OrganisationKind.choices
        if value in kinds
    )
    by_size = tuple(
        MemberGroup(label, *bands[n]) for n, (_, label) in enumerate(SIZE_BANDS) if n in bands
    )
    return by_kind, by_size


def _top_members(core: Service | None) -> tuple[TopMember, ...]:
    """The members with the most core seats: they bring the price down most."""
    if core is None:
        return ()
    rows = (
        _active_lines()
        .filter(service=core)
        .values("contract__organisation_id", "contract__organisation__name")
        .annotate(seats=Sum("seats"))
        .order_by("-seats", "contract__organisation__name")[:TOP_MEMBERS]
    )
    return tuple(TopMember(row["contract__organisation__name"], row["seats"]) for row in rows)


def _core_costs(core: Service) -> QuerySet[ContractLine]:
    """Core lines of active contracts whose organisation told us what it paid before."""
    return _active_lines().filter(contract__previous_cost_per_seat__isnull=False, service=core)


def _savings_totals(core: Service) -> pricing.FrameworkSavings:
    """What members with a previous cost paid a year before, against their core seats at
    today's price: one query. The database adds whole pence, so the sum is exact on SQLite too
    (which would add decimals as floats)."""
    pence = Cast(Round(F("contract__previous_cost_per_seat") * 100), BigIntegerField())
    sums = _core_costs(core).aggregate(
        previous=Sum(pence * F("seats"), output_field=BigIntegerField()), seats=Sum("seats")
    )
    previous = (Decimal(int(sums["previous"] or 0)) / 100).quantize(Decimal("0.01"))
    return pricing.framework_savings_totals(
        previous_annual_cost=previous,
        current_annual_cost=core.current_unit_price * (sums["seats"] or 0),
    )


def _member_costs(lines: QuerySet[ContractLine]) -> list[pricing.MemberCost]:
    rows = lines.values(
        "seats",
        "contract__reference",
        "contract__previous_cost_per_seat",
        "contract__organisation__name",
        "contract__organisation__short_name",
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


@dataclass(frozen=True)
class MemberSavingsPage:
    page: Page  # a page of numbers, for the pagination
    savings: tuple[pricing.MemberSaving, ...]


def member_savings_page(core: Service, *, page: object = 1) -> MemberSavingsPage:
    """One page of every member's saving (for Cabinet Office staff only: the caller checks
    `accounts.permissions.can_see_members_costs`), the largest first. Each page is worked out
    once per catalogue version, like the totals (`framework_overview`)."""
    count = cached("framework:member-savings:count", lambda: _core_costs(core).count())
    numbers = Paginator(range(count), SAVINGS_PAGE_SIZE).get_page(page)
    savings = cached(
        f"framework:member-savings:{numbers.number}",
        lambda: _member_savings(core, numbers.start_index() - 1 if count else 0),
    )
    return MemberSavingsPage(page=numbers, savings=savings)


def _member_savings(core: Service, start: int) -> tuple[pricing.MemberSaving, ...]:
    saving = (F("contract__previous_cost_per_seat") - Value(core.current_unit_price)) * F("seats")
    lines = (
        _core_costs(core)
        .annotate(saving_sort=saving)
        .order_by("-saving_sort", "contract__reference", "pk")[start : start + SAVINGS_PAGE_SIZE]
    )
    costs = _member_costs(lines)
    return pricing.framework_savings(costs, current_unit_price=core.current_unit_price).members


def organisation_savings(
    core: Service, *, organisation_id: int
) -> tuple[pricing.MemberSaving, ...]:
    """The savings of one organisation's own contracts (a CIO sees their own): one query."""
    lines = (
        _core_costs(core)
        .filter(contract__organisation_id=organisation_id)
        .order_by("contract__signed_on", "contract__reference")
    )
    costs = _member_costs(lines)
    return pricing.framework_savings(costs, current_unit_price=core.current_unit_price).members
