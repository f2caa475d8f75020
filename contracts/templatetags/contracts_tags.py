"""Formatting for contract pages and the summary PDF: money to the penny, never rounded here."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def money(value: Decimal | None) -> str:
    """£14,998,760.00; a negative amount with a true minus sign (U+2212), as GOV.UK style asks."""
    if value is None:
        return ""
    sign = "\N{MINUS SIGN}" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


@register.filter
def signed_money(value: Decimal | None) -> str:
    """A change: +£1.50, a minus sign and £1.50, or £0.00."""
    if value is None:
        return ""
    return f"+{money(value)}" if value > 0 else money(value)


@register.filter
def number(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


@register.filter
def percent(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.1f}%"
