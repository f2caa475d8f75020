"""What "prices are right" means, for the repricing tests: an oracle independent of the code
under test.

The repricing computes framework seats with `contracts.selectors.framework_seats_by_service`
and prices with `catalogue.selectors.scheme_for` / `catalogue.pricing`. Recomputing with the
same functions would agree with it by construction, whatever they got wrong. So the oracle here
reads plain rows (`.values_list` of contracts, contract lines, services and price bands, no
selector, no scheme object) and applies the rules of docs/interface.md ("Pricing rules"),
written out again:

- framework seats of a service = the sum of seats on lines for that service of contracts
  whose status is `active`;
- `volume`: the price of the first band (ascending, the unbounded band last) whose `up_to` is
  at least the framework seats, or that has no bound;
- `cost_share`: max(floor, fixed_annual_cost / max(framework_seats, 1) + marginal_cost);
- `flat`: unit_price;
- every price rounded half-up to the penny.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F

from catalogue.models import PriceBand, Service
from contracts.models import Contract, ContractLine

PENNY = Decimal("0.01")
ACTIVE = "active"  # docs/interface.md: only contracts whose status is `active` count


def _penny(amount: Decimal) -> Decimal:
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def framework_seats_from_rows() -> dict[int, int]:
    """Service id -> seats on lines of active contracts, summed here from plain rows."""
    active = set(Contract.objects.filter(status=ACTIVE).values_list("pk", flat=True))
    seats: dict[int, int] = defaultdict(int)
    for contract_id, service_id, line_seats in ContractLine.objects.values_list(
        "contract_id", "service_id", "seats"
    ):
        if contract_id in active:
            seats[service_id] += line_seats
    return dict(seats)


def _price(row: dict, bands: list[tuple[int | None, Decimal]], seats: int) -> Decimal | None:
    scheme = row["pricing_scheme"]
    if scheme == "flat":
        return _penny(row["unit_price"])
    if scheme == "cost_share":
        share = row["fixed_annual_cost"] / Decimal(max(seats, 1)) + row["marginal_cost"]
        return _penny(max(row["floor"], share))
    if scheme == "volume":
        ordered = sorted(bands, key=lambda band: (band[0] is None, band[0] or 0))
        for up_to, unit_price in ordered:
            if up_to is None or up_to >= seats:
                return _penny(unit_price)
        return None
    raise AssertionError(f"docs/interface.md has no pricing scheme {scheme!r}")


def prices_from_scratch() -> dict[str, tuple[int, Decimal | None]]:
    """Framework seats and unit price of every service, from the rules over plain rows."""
    seats = framework_seats_from_rows()
    bands: dict[int, list[tuple[int | None, Decimal]]] = defaultdict(list)
    for service_id, up_to, unit_price in PriceBand.objects.values_list(
        "service_id", "up_to", "unit_price"
    ):
        bands[service_id].append((up_to, unit_price))
    rows = Service.objects.values(
        "pk", "slug", "pricing_scheme", "fixed_annual_cost", "marginal_cost", "floor", "unit_price"
    )
    return {
        row["slug"]: (
            seats.get(row["pk"], 0),
            _price(row, bands[row["pk"]], seats.get(row["pk"], 0)),
        )
        for row in rows
    }


def prices_cached() -> dict[str, tuple[int, Decimal]]:
    return {
        slug: (seats, price)
        for slug, seats, price in Service.objects.values_list(
            "slug", "framework_seats", "current_unit_price"
        )
    }


def lines_off_price() -> int:
    """Active contract lines whose current price is not their service's current price."""
    return (
        ContractLine.objects.filter(contract__status=ACTIVE)
        .exclude(current_unit_price=F("service__current_unit_price"))
        .count()
    )


def lines_off_the_rules() -> int:
    """Active contract lines whose current price is not their service's price by the rules."""
    prices = {slug: price for slug, (_, price) in prices_from_scratch().items()}
    return sum(
        1
        for slug, price in ContractLine.objects.filter(contract__status=ACTIVE).values_list(
            "service__slug", "current_unit_price"
        )
        if price != prices[slug]
    )


def assert_prices_match_a_recomputation_from_scratch() -> None:
    assert prices_cached() == prices_from_scratch()
    assert lines_off_price() == 0
    assert lines_off_the_rules() == 0
