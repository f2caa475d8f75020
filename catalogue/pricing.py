"""Flex pricing as plain Python: no ORM, no I/O, Decimal throughout.

Prices are per seat per year in GBP. Every unit price passes through `round_money`
(core/money.py), the one place where money is rounded (half-up to the penny, as HMRC does);
everything else is a product or sum of rounded unit prices and whole seats, so it is exact. See "Pricing rules" in
docs/interface.md for the rules themselves.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core.money import PENNY, round_money

MAX_SEATS = 1_000_000
MIN_TERM_YEARS = 1
MAX_TERM_YEARS = 10
# The government's aim for shared services: cut what members paid before by a fifth.
COST_REDUCTION_AIM_PERCENT = Decimal("20")


class SchemeError(ValueError):
    """A pricing scheme whose parameters break the rules; `errors` maps field to messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(m for msgs in errors.values() for m in msgs))
        self.errors = errors


@dataclass(frozen=True)
class Band:
    up_to: int | None
    unit_price: Decimal


@dataclass(frozen=True)
class VolumeScheme:
    """Every member pays the price of the first band whose `up_to` >= framework seats."""

    bands: tuple[Band, ...]
    name = "volume"

    def unit_price(self, framework_seats: int) -> Decimal:
        for band in self.bands:
            if band.up_to is None or band.up_to >= framework_seats:
                return round_money(band.unit_price)
        raise SchemeError({"bands": ["The last band must have no upper bound."]})

    def validate(self) -> None:
        errors: list[str] = []
        if not self.bands:
            errors.append("Add at least one band.")
        bounds = [b.up_to for b in self.bands]
        if self.bands and bounds[-1] is not None:
            errors.append("The last band must have no upper bound (leave 'up to' empty).")
        if any(b is None for b in bounds[:-1]):
            errors.append("Only the last band may have no upper bound.")
        finite = [b for b in bounds if b is not None]
        if any(b < 1 for b in finite):
            errors.append("Band bounds must be at least 1 seat.")
        if any(a >= b for a, b in itertools.pairwise(finite)):
            errors.append("Band bounds must rise from one band to the next.")
        prices = [b.unit_price for b in self.bands]
        if any(p < 0 for p in prices):
            errors.append("Band prices cannot be negative.")
        if any(a < b for a, b in itertools.pairwise(prices)):
            errors.append("A larger band cannot cost more per seat than a smaller one.")
        if errors:
            raise SchemeError({"bands": errors})


@dataclass(frozen=True)
class CostShareScheme:
    """Members share a fixed annual cost: max(floor, fixed / max(seats, 1) + marginal)."""

    fixed_annual_cost: Decimal
    marginal_cost: Decimal
    floor: Decimal
    name = "cost_share"

    def unit_price(self, framework_seats: int) -> Decimal:
        share = self.fixed_annual_cost / Decimal(max(framework_seats, 1))
        return round_money(max(self.floor, share + self.marginal_cost))

    def validate(self) -> None:
        errors: dict[str, list[str]] = {}
        for field in ("fixed_annual_cost", "marginal_cost", "floor"):
            if getattr(self, field) < 0:
                errors[field] = ["Enter an amount of £0 or more."]
        if not errors and self.floor > self.fixed_annual_cost + self.marginal_cost:
            errors["floor"] = [
                "The floor cannot be above the price at one seat (fixed cost plus marginal cost)."
            ]
        if errors:
            raise SchemeError(errors)


@dataclass(frozen=True)
class FlatScheme:
    unit_price_value: Decimal
    name = "flat"

    def unit_price(self, framework_seats: int) -> Decimal:
        return round_money(self.unit_price_value)

    def validate(self) -> None:
        if self.unit_price_value < 0:
            raise SchemeError({"unit_price": ["Enter a price of £0 or more."]})


Scheme = VolumeScheme | CostShareScheme | FlatScheme


def unit_price_if_joined(scheme: Scheme, *, framework_seats: int, seats: int) -> Decimal:
    """The price per seat an organisation pays once its `seats` join the framework's
    `framework_seats`: the price every member then pays (docs/interface.md, "Pricing rules")."""
    return scheme.unit_price(framework_seats + seats)


# --- quotes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PricedService:
    """What a quote needs to know of a service: its scheme and today's framework seats."""

    slug: str
    name: str
    scheme: Scheme
    framework_seats: int
    # The core (desktop) service: the one a member's previous cost per seat is compared with.
    is_core: bool = False


@dataclass(frozen=True)
class QuoteRequestLine:
    service: PricedService
    seats: int


@dataclass(frozen=True)
class QuoteLine:
    service: PricedService
    seats: int
    unit_price_now: Decimal
    unit_price_if_joined: Decimal
    annual_cost: Decimal
    term_cost: Decimal


@dataclass(frozen=True)
class Quote:
    lines: tuple[QuoteLine, ...]
    term_years: int
    annual_total: Decimal
    term_total: Decimal
    current_cost_per_seat: Decimal | None
    current_annual_cost: Decimal | None
    savings_per_year: Decimal | None
    savings_percent: Decimal | None

    @property
    def core_seats(self) -> int:
        return sum(line.seats for line in self.lines if line.service.is_core)


def quote(
    lines: Sequence[QuoteRequestLine],
    *,
    term_years: int,
    current_cost_per_seat: Decimal | None = None,
) -> Quote:
    """Price `lines` now and as if the organisation joined (its seats added to the framework's).

    The caller has validated the input (seats 1..MAX_SEATS, one line per service, term
    1..MAX_TERM_YEARS, cost >= 0); this function only computes.
    """
    priced = tuple(
        QuoteLine(
            service=line.service,
            seats=line.seats,
            unit_price_now=line.service.scheme.unit_price(line.service.framework_seats),
            unit_price_if_joined=(
                if_joined := unit_price_if_joined(
                    line.service.scheme,
                    framework_seats=line.service.framework_seats,
                    seats=line.seats,
                )
            ),
            annual_cost=if_joined * line.seats,
            term_cost=if_joined * line.seats * term_years,
        )
        for line in lines
    )
    annual_total = sum((line.annual_cost for line in priced), Decimal("0.00"))
    core = [line for line in priced if line.service.is_core]
    saving = core_saving(
        previous_cost_per_seat=current_cost_per_seat,
        core_seats=sum(line.seats for line in core),
        core_annual_cost=sum((line.annual_cost for line in core), Decimal("0.00")),
    )
    return Quote(
        lines=priced,
        term_years=term_years,
        annual_total=annual_total,
        term_total=annual_total * term_years,
        current_cost_per_seat=current_cost_per_seat,
        current_annual_cost=saving.previous_annual_cost if saving else None,
        savings_per_year=saving.per_year if saving else None,
        savings_percent=saving.percent if saving else None,
    )


# --- savings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Saving:
    """What an organisation saves a year on its desktops against what it paid before."""

    previous_annual_cost: Decimal
    per_year: Decimal  # negative when it now pays more
    percent: Decimal | None  # None when it paid nothing before


def core_saving(
    *, previous_cost_per_seat: Decimal | None, core_seats: int, core_annual_cost: Decimal
) -> Saving | None:
    """The one savings rule (README, "Pricing"), for quotes, contracts and the framework alike.

    An organisation's previous cost per seat is what it paid a year for each desktop before
    Flex. Its saving is that times its core (desktop) seats, less what it pays a year for those
    core seats on Flex. Optional extras are new services rather than replacements for anything
    it paid for before, so they are left out; with no previous cost, or no core seats, there is
    no saving to show (None).
    """
    if previous_cost_per_seat is None or core_seats <= 0:
        return None
    previous = previous_cost_per_seat * core_seats
    return Saving(
        previous_annual_cost=previous,
        per_year=previous - core_annual_cost,
        percent=percent_saving(previous, core_annual_cost),
    )


def percent_saving(previous: Decimal, now: Decimal) -> Decimal | None:
    """How far `now` is below `previous`, in percent to one decimal place."""
    if not previous:
        return None
    return ((previous - now) * 100 / previous).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def cost_share_floor_reached_at(scheme: CostShareScheme) -> int | None:
    """The fewest framework seats at which a cost-share price has fallen to its floor, or None
    when it never does (the marginal cost alone is at or above the floor, or nothing is shared).

    The price rounds half-up, so it shows the floor once the exact share is below
    floor + half a penny: fixed / N + marginal < floor + 0.005, i.e. N > fixed / (floor + 0.005
    - marginal).
    """
    if scheme.fixed_annual_cost <= 0 or scheme.floor <= scheme.marginal_cost:
        return None
    headroom = scheme.floor + PENNY / 2 - scheme.marginal_cost
    return max(1, math.floor(scheme.fixed_annual_cost / headroom) + 1)


# --- framework savings --------------------------------------------------------------------


@dataclass(frozen=True)
class MemberCost:
    """A member's core seats on one contract and what it paid per seat before joining."""

    member: str
    seats: int
    previous_cost_per_seat: Decimal
    reference: str = ""


@dataclass(frozen=True)
class MemberSaving:
    member: str
    reference: str
    seats: int
    previous_cost_per_seat: Decimal
    saving_per_year: Decimal
    saving_percent: Decimal | None


@dataclass(frozen=True)
class FrameworkSavings:
    members: tuple[MemberSaving, ...]
    previous_annual_cost: Decimal
    current_annual_cost: Decimal
    saving_per_year: Decimal
    saving_percent: Decimal | None
    aim_percent: Decimal
    aim_met: bool
    # How far along the way to the aim, 0-100, for a progress bar.
    progress_percent: Decimal


def framework_savings(
    costs: Sequence[MemberCost],
    *,
    current_unit_price: Decimal,
    aim_percent: Decimal = COST_REDUCTION_AIM_PERCENT,
) -> FrameworkSavings:
    """What members save a year against what they paid per seat before joining, at today's
    core price, and how that compares with the cost-reduction aim. Exact: whole seats times
    prices that are already in pence."""
    members = tuple(
        MemberSaving(
            member=cost.member,
            reference=cost.reference,
            seats=cost.seats,
            previous_cost_per_seat=cost.previous_cost_per_seat,
            saving_per_year=saving.per_year,
            saving_percent=saving.percent,
        )
        for cost in costs
        if (
            saving := core_saving(
                previous_cost_per_seat=cost.previous_cost_per_seat,
                core_seats=cost.seats,
                core_annual_cost=current_unit_price * cost.seats,
            )
        )
    )
    previous = sum((c.previous_cost_per_seat * c.seats for c in costs), Decimal("0.00"))
    current = sum((current_unit_price * c.seats for c in costs), Decimal("0.00"))
    return framework_savings_totals(
        previous_annual_cost=previous,
        current_annual_cost=current,
        aim_percent=aim_percent,
        members=members,
    )


def framework_savings_totals(
    *,
    previous_annual_cost: Decimal,
    current_annual_cost: Decimal,
    aim_percent: Decimal = COST_REDUCTION_AIM_PERCENT,
    members: tuple[MemberSaving, ...] = (),
) -> FrameworkSavings:
    """`framework_savings` from its two sums (what members paid a year before for their core
    seats, and what those seats cost now), when the database has added them up."""
    previous, current = previous_annual_cost, current_annual_cost
    percent = percent_saving(previous, current)
    progress = Decimal("0")
    if percent is not None and percent > 0 and aim_percent > 0:
        progress = min(Decimal("100"), percent * 100 / aim_percent).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    return FrameworkSavings(
        members=members,
        previous_annual_cost=previous,
        current_annual_cost=current,
        saving_per_year=previous - current,
        saving_percent=percent,
        aim_percent=aim_percent,
        aim_met=percent is not None and percent >= aim_percent,
        progress_percent=progress,
    )
