"""Reference numbers such as `FLEX-2026-0007` and `CON-2026-0012`: one counter row per prefix
and year, taken under a row lock for the rest of the caller's transaction.

Why a counter row rather than "the highest reference so far, plus one": references compare as
text (`CON-2026-9999` sorts after `CON-2026-10000`), and locking the last row races when two
writers insert at once and has no row to lock for the first reference of a year. The counter is
raised in the caller's transaction, so a rolled-back insert gives its number back: numbers are
gap-free and never handed out twice.
"""

from __future__ import annotations

from django.db import models, transaction
from django.db.models.functions import Length

from .models import ReferenceCounter

MIN_DIGITS = 4


def reference_format(*, prefix: str, year: int, number: int) -> str:
    """`FLEX-2026-0007`; numbers past 9,999 simply grow (`CON-2026-10000`)."""
    return f"{prefix}-{year}-{number:0{MIN_DIGITS}d}"


def reference_next(
    *, prefix: str, year: int, model: type[models.Model], field: str = "reference"
) -> str:
    """The next reference for `prefix` in `year`, to be stored in `model.field`. Call inside the
    transaction that stores it. References written directly (data brought in from elsewhere)
    are skipped over, so the counter never hands out one that is taken."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reference_next must run inside the transaction that uses it")
    # Makes the year's row if it is the first reference of the year; a concurrent maker waits
    # for this transaction, then finds the row (ON CONFLICT DO NOTHING).
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(prefix=prefix, year=year)], ignore_conflicts=True
    )
    counter = ReferenceCounter.objects.select_for_update().get(prefix=prefix, year=year)
    counter.last_number = max(counter.last_number, _highest_written(prefix, year, model, field))
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return reference_format(prefix=prefix, year=year, number=counter.last_number)


def _highest_written(prefix: str, year: int, model: type[models.Model], field: str) -> int:
    """The highest number stored for `prefix` and `year`: longest first, then highest, so
    `...-10000` beats `...-9999` although it sorts lower as text. One indexed query."""
    start = f"{prefix}-{year}-"
    highest = (
        model._default_manager.filter(**{f"{field}__startswith": start})
        .order_by(Length(field).desc(), f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    if highest is None:
        return 0
    digits = highest.removeprefix(start)
    return int(digits) if digits.isdigit() else 0
