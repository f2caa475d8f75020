"""core.dates.add_months: the same day some months on, or the last day of a shorter month."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.dates import add_months


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 11, 22), 6, dt.date(2027, 5, 22)),
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),
        (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),  # a leap year
        (dt.date(2026, 12, 1), 1, dt.date(2027, 1, 1)),
        (dt.date(2026, 3, 31), -1, dt.date(2026, 2, 28)),
        (dt.date(2026, 1, 15), 0, dt.date(2026, 1, 15)),
    ],
)
def test_examples(day, months, expected):
    assert add_months(day, months) == expected


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2900, 12, 31)),
    st.integers(min_value=-1200, max_value=1200),
)
def test_lands_in_the_right_month_on_the_same_day_or_the_months_last(day, months):
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    last = calendar.monthrange(moved.year, moved.month)[1]
    assert moved.day == min(day.day, last)
