"""What a contract is worth, as plain Python over Decimal: no ORM, no I/O.

Every unit price is already rounded to the penny (by `core.money.round_money` when it
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

from catalogue.pricing import core_saving
from core.dates import add_years

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
    return add_years(start, term_years)


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

    Savings follow `catalogue.pricing.core_saving`, the rule quotes and the framework use too.
    """
    figures = tuple(line_figures(line) for line in lines)
    core = [line for line in figures if line.is_core]
    annual = _total(line.annual_now for line in figures)
    annual_at_signing = _total(line.annual_at_signing for line in figures)
    core_seats = sum(line.seats for line in core)
    core_annual_at_signing = _total(line.annual_at_signing for line in core)
    core_annual_now = _total(line.annual_now for line in core)

    saving = core_saving(
        previous_cost_per_seat=previous_cost_per_seat,
        core_seats=core_seats,
        core_annual_cost=core_annual_now,
    )

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
        previous_annual_cost=saving.previous_annual_cost if saving else None,
        savings_per_year=saving.per_year if saving else None,
        savings_over_term=saving.per_year * term_years if saving else None,
        savings_percent=saving.percent if saving else None,
    )
