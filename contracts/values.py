"""What a contract is worth, as plain Python over Decimal: no ORM, no I/O.

Every unit price is already rounded to the penny (by `catalogue.pricing.round_money` when it
was set), and every figure here is a product or sum of those prices and whole seats or years,
so the figures are exact and nothing here rounds money again.

Two "core value" figures exist and both are shown where useful:
- `core_value`: the core-service lines over the whole term at the price at signing. This is
  the contracted figure ("DIUS's platform contract is worth about £15m"), fixed at signing.
- `core_value_now`: the same lines and term at today's framework price, which falls as
  other organisations join.
Annual and total values are at current prices (what the organisation pays today); savings
compare the organisation's previous cost per seat with the annual core cost at current prices.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from catalogue.pricing import percent_saving

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LineInput:
    """One contract line as the calculation needs it."""

    seats: int
    unit_price_at_signing: Decimal
    current_unit_price: Decimal
    is_core: bool


@dataclass(frozen=True)
class LineFigures:
    seats: int
    unit_price_at_signing: Decimal
    current_unit_price: Decimal
    is_core: bool
    annual_at_signing: Decimal
    annual_now: Decimal

    @property
    def unit_price_change(self) -> Decimal:
        """Negative when the price has fallen since signing."""
        return self.current_unit_price - self.unit_price_at_signing


@dataclass(frozen=True)
class ContractFigures:
    lines: tuple[LineFigures, ...]
    term_years: int
    annual_value: Decimal
    total_value: Decimal
    annual_value_at_signing: Decimal
    total_value_at_signing: Decimal
    core_seats: int
    core_annual_at_signing: Decimal
    core_annual_now: Decimal
    core_value: Decimal
    core_value_now: Decimal
    previous_cost_per_seat: Decimal | None
    previous_annual_cost: Decimal | None
    savings_per_year: Decimal | None
    savings_over_term: Decimal | None
    savings_percent: Decimal | None


def end_date(start: dt.date, term_years: int) -> dt.date:
    """The day after the last day of a term of `term_years` from `start` (29 February moves to
    28 February in a year that has none)."""
    try:
        return start.replace(year=start.year + term_years)
    except ValueError:
        return start.replace(year=start.year + term_years, day=28)


def line_figures(line: LineInput) -> LineFigures:
    return LineFigures(
        seats=line.seats,
        unit_price_at_signing=line.unit_price_at_signing,
        current_unit_price=line.current_unit_price,
        is_core=line.is_core,
        annual_at_signing=line.unit_price_at_signing * line.seats,
        annual_now=line.current_unit_price * line.seats,
    )


def _total(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, ZERO)


def contract_figures(
    lines: Iterable[LineInput], *, term_years: int, previous_cost_per_seat: Decimal | None
) -> ContractFigures:
    """Annual, total and core values, and the savings against the previous cost per seat.

    Savings exist only when the organisation told us its previous cost per seat and the
    contract has core seats: extras go to the same people, so the previous cost is compared
    with the core (desktop) seats only.
    """
    figures = tuple(line_figures(line) for line in lines)
    core = [line for line in figures if line.is_core]
    annual = _total(line.annual_now for line in figures)
    annual_at_signing = _total(line.annual_at_signing for line in figures)
    core_seats = sum(line.seats for line in core)
    core_annual_at_signing = _total(line.annual_at_signing for line in core)
    core_annual_now = _total(line.annual_now for line in core)

    previous_annual = savings = savings_term = percent = None
    if previous_cost_per_seat is not None and core_seats:
        previous_annual = previous_cost_per_seat * core_seats
        savings = previous_annual - core_annual_now
        savings_term = savings * term_years
        percent = percent_saving(previous_annual, core_annual_now)

    return ContractFigures(
        lines=figures,
        term_years=term_years,
        annual_value=annual,
        total_value=annual * term_years,
        annual_value_at_signing=annual_at_signing,
        total_value_at_signing=annual_at_signing * term_years,
        core_seats=core_seats,
        core_annual_at_signing=core_annual_at_signing,
        core_annual_now=core_annual_now,
        core_value=core_annual_at_signing * term_years,
        core_value_now=core_annual_now * term_years,
        previous_cost_per_seat=previous_cost_per_seat,
        previous_annual_cost=previous_annual,
        savings_per_year=savings,
        savings_over_term=savings_term,
        savings_percent=percent,
    )
