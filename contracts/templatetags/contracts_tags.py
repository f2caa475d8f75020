"""Formatting for contract pages and the summary PDF: the catalogue's money and seat formats
(catalogue/formatting.py), so a price reads the same on every page."""

from __future__ import annotations

from decimal import Decimal

from django import template

from catalogue import formatting

register = template.Library()

register.filter("number", formatting.seats)


@register.filter
def money(value: Decimal | None) -> str:
    """`formatting.money`, with a true minus sign (U+2212) for a negative amount as GOV.UK
    style asks. A wrapper rather than the catalogue's own: the catalogue's pages (and tests)
    keep its hyphen-minus, so the sign is swapped here only."""
    text = formatting.money(value)
    return f"\N{MINUS SIGN}{text[1:]}" if text.startswith("-") else text


@register.filter
def signed_money(value: Decimal | None) -> str:
    """A change: +£1.50, a minus sign and £1.50, or £0.00."""
    if value is None:
        return ""
    return f"+{money(value)}" if value > 0 else money(value)


@register.filter
def percent(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.1f}%"
