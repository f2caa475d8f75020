"""Money and counts as every page shows them (GOV.UK style), for templates and Python alike."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

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


def signed_seats(value: int | None) -> str:
    """A change in seats: "+600", "\u2212200" (a true minus sign, as `money` writes it), "0"."""
    if value is None:
        return ""
    if value < 0:
        return f"\u2212{-value:,}"
    return f"+{value:,}" if value > 0 else "0"


def time_of_day(value: dt.datetime | dt.time | None) -> str:
    """GOV.UK style, in the portal's time zone: "7:53am", "5pm", "midday", "midnight" (never
    Django's "7:53 a.m." nor "17:00")."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    hour, minute = value.hour, value.minute
    if minute == 0 and hour in (0, 12):
        return "midnight" if hour == 0 else "midday"
    clock = f"{(hour - 1) % 12 + 1}" + (f":{minute:02d}" if minute else "")
    return f"{clock}{'am' if hour < 12 else 'pm'}"


def date_time(value: dt.datetime | None, style: str = "long") -> str:
    """ "1 December 2026, 7:53am" (`style` "short": "1 Dec 2026, 7:53am"), local time."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    month = f"{local:%b}" if style == "short" else f"{local:%B}"
    return f"{local.day} {month} {local.year}, {time_of_day(local)}"


def compared_with(percent_lower: Decimal | None, then: str = "you pay today") -> str:
    """How a cost compares with what was paid `then`, from the percent it is lower (negative
    when it is higher): "23.5% less than you pay today", "12.0% more than you pay today", and
    from twice as much on "about 17 times what you pay today", since "1,604.8% more" reads as
    a mistake. "" without a percent."""
    if percent_lower is None:
        return ""
    if percent_lower >= 0:
        return f"{percent_lower:,.1f}% less than {then}"
    times = 1 - percent_lower / 100
    if times < 2:
        return f"{-percent_lower:,.1f}% more than {then}"
    places = Decimal("1") if times >= 10 else Decimal("0.1")
    count = f"{times.quantize(places, rounding=ROUND_HALF_UP):,}".removesuffix(".0")
    return f"about {count} times what {then}"


def percent(value: Decimal | None) -> str:
    """`Decimal("14.6")` → "14.6%"."""
    return "" if value is None else f"{value:.1f}%"
