"""Money, seats and pricing schemes in words, as the pages show them (no ORM, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from . import pricing


def money(value: Decimal | None) -> str:
    """`Decimal("2142.68")` → "£2,142.68"; amounts below zero get a leading minus sign."""
    if value is None:
        return ""
    pence = pricing.round_money(value)
    sign = "-" if pence < 0 else ""
    return f"{sign}£{abs(pence):,.2f}"


def seats(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


@dataclass(frozen=True)
class SchemeExplanation:
    """A pricing scheme in plain English: a summary sentence, then one item per rule."""

    summary: str
    items: tuple[str, ...]


def explain_scheme(scheme: pricing.Scheme) -> SchemeExplanation:
    if isinstance(scheme, pricing.VolumeScheme):
        return _explain_volume(scheme)
    if isinstance(scheme, pricing.CostShareScheme):
        return _explain_cost_share(scheme)
    return SchemeExplanation(
        summary=(
            f"Every member pays {money(scheme.unit_price_value)} per seat a year, however many "
            "seats the framework has."
        ),
        items=(),
    )


def _explain_volume(scheme: pricing.VolumeScheme) -> SchemeExplanation:
    items = []
    lower = 0
    for band in scheme.bands:
        price = money(band.unit_price)
        if band.up_to is None and lower == 0:
            items.append(f"every member pays {price} however many seats the framework has")
        elif band.up_to is None:
            items.append(
                f"every member pays {price} once the framework has more than {seats(lower)} seats"
            )
        elif lower == 0:
            items.append(
                f"every member pays {price} while the framework has {seats(band.up_to)} seats or fewer"
            )
        else:
            items.append(
                f"every member pays {price} while the framework has {seats(lower + 1)} to "
                f"{seats(band.up_to)} seats"
            )
        lower = band.up_to or lower
    return SchemeExplanation(
        summary=(
            "Volume bands: every member pays the same price per seat a year, set by the total "
            "number of seats on the framework. As the framework grows, everyone moves to a "
            "cheaper band."
        ),
        items=tuple(items),
    )


def _explain_cost_share(scheme: pricing.CostShareScheme) -> SchemeExplanation:
    items = [
        f"a fixed annual cost of {money(scheme.fixed_annual_cost)} is shared equally by every "
        "seat on the framework",
        f"each seat also pays a marginal cost of {money(scheme.marginal_cost)}",
        f"the price never falls below the floor of {money(scheme.floor)} per seat",
    ]
    reached = pricing.cost_share_floor_reached_at(scheme)
    if reached is not None:
        items.append(f"the floor is reached when the framework has {seats(reached)} seats")
    return SchemeExplanation(
        summary=(
            "Shared fixed cost: every member pays the same price per seat a year, which falls "
            "as more seats join because the fixed cost is shared by more people."
        ),
        items=tuple(items),
    )
