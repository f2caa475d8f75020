"""Flex pricing as plain Python: no ORM, no I/O, Decimal throughout.

Prices are per seat per year in GBP. Every unit price passes through `round_money`, the one
place where money is rounded (half-up to the penny, as HMRC does); everything else is a
product or sum of rounded unit prices and whole seats, so it is exact. See "Pricing rules" in
INTERFACE.md for the rules themselves.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")
MAX_SEATS = 1_000_000
MIN_TERM_YEARS = 1
MAX_TERM_YEARS = 10
# The government's aim for shared services: cut what members paid before by a fifth.
COST_REDUCTION_AIM_PERCENT = Decimal("20")


def round_money(amount: Decimal) -> Decimal:
    """Round to the penny, half-up: the single rounding point for money in Flex Portal."""
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


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


# --- quotes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PricedService:
    """What a quote needs to know of a service: its scheme and today's framework seats."""

    slug: str
    name: str
    scheme: Scheme
    framework_seats: int


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
    def seats(self) -> int:
        return seats_covered(self.lines)


def seats_covered(lines: Sequence[QuoteRequestLine] | Sequence[QuoteLine]) -> int:
    """The number of people a quote serves: the largest line (normally the core desktop).
    Today's cost per seat is compared against this many seats, not the sum of all lines,
    since extras go to the same people."""
    return max((line.seats for line in lines), default=0)


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
                if_joined := line.service.scheme.unit_price(
                    line.service.framework_seats + line.seats
                )
            ),
            annual_cost=if_joined * line.seats,
            term_cost=if_joined * line.seats * term_years,
        )
        for line in lines
    )
    annual_total = sum((line.annual_cost for line in priced), Decimal("0.00"))
    current_annual = savings = percent = None
    if current_cost_per_seat is not None:
        current_annual = current_cost_per_seat * seats_covered(priced)
        savings = current_annual - annual_total
        percent = (
            (savings * 100 / current_annual).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if current_annual
            else None
        )
    return Quote(
        lines=priced,
        term_years=term_years,
        annual_total=annual_total,
        term_total=annual_total * term_years,
        current_cost_per_seat=current_cost_per_seat,
        current_annual_cost=current_annual,
        savings_per_year=savings,
        savings_percent=percent,
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
            saving_per_year=(cost.previous_cost_per_seat - current_unit_price) * cost.seats,
            saving_percent=percent_saving(cost.previous_cost_per_seat, current_unit_price),
        )
        for cost in costs
    )
    previous = sum((c.previous_cost_per_seat * c.seats for c in costs), Decimal("0.00"))
    current = sum((current_unit_price * c.seats for c in costs), Decimal("0.00"))
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
