"""Money and counts as every page shows them (GOV.UK style), for templates and Python alike."""

from __future__ import annotations

from decimal import Decimal

from .money import round_money


def money(value: Decimal | None) -> str:
    """`Decimal("2142.68")` → "£2,142.68"; an amount below zero gets a true minus sign
    (U+2212) before the pound sign, as GOV.UK style asks, rather than a hyphen."""
    if value is None:
        return ""
    pence = round_money(value)
    sign = "\N{MINUS SIGN}" if pence < 0 else ""
    return f"{sign}£{abs(pence):,.2f}"


def money_abs(value: Decimal | None) -> str:
    """The amount without its sign, for a sentence that words it ("… a year more")."""
    return "" if value is None else money(abs(value))


def signed_money(value: Decimal | None) -> str:
    """A change: "+£1.50" when it rose, `money`'s minus sign when it fell, or "£0.00"."""
    if value is None:
        return ""
    return f"+{money(value)}" if value > 0 else money(value)


def seats(value: int | None) -> str:
    """`4100` → "4,100"."""
    return "" if value is None else f"{value:,}"


def percent(value: Decimal | None) -> str:
    """`Decimal("14.6")` → "14.6%"."""
    return "" if value is None else f"{value:.1f}%"
