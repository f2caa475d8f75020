"""Money as Flex Portal reads and rounds it: pounds and pence in GBP, Decimal throughout.

`round_money` is the single rounding point for money; `parse_pounds` is the single reading of
an amount as people type it (forms and query strings alike).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")

# Pounds and pence as people type them, once commas, spaces and a leading "£" are gone:
# "2400", "2400.5", "2400.50". No sign, no exponent, at most two decimal places.
_POUNDS = re.compile(r"^\d+(\.\d{1,2})?$")
# A number that would be an amount but for its decimal places ("2400.505", or "2400.").
_POUNDS_LOOSE = re.compile(r"^\d+(\.\d*)?$")


def round_money(amount: Decimal) -> Decimal:
    """Round to the penny, half-up: the single rounding point for money in Flex Portal."""
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def _pounds_text(text: str) -> str:
    return text.strip().replace(",", "").replace(" ", "").removeprefix("£")


def parse_pounds(text: str, *, max_whole_digits: int | None = None) -> Decimal | None:
    """ "2400", "2,400.50" or "£2400.5" → `Decimal("2400.50")`; None when `text` is not an
    amount of money (or has more than `max_whole_digits` digits before the point)."""
    text = _pounds_text(text)
    if not _POUNDS.match(text):
        return None
    if max_whole_digits is not None and len(text.partition(".")[0]) > max_whole_digits:
        return None
    return Decimal(text).quantize(PENNY)


def has_too_many_decimal_places(text: str) -> bool:
    """Whether `text` is not an amount only because of its decimal places, so a form can say
    so rather than "enter an amount"."""
    text = _pounds_text(text)
    return not _POUNDS.match(text) and bool(_POUNDS_LOOSE.match(text))
