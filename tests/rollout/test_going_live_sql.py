"""Seats going live per month, summed by PostgreSQL (rollout.selectors._going_live_in_sql): the
same figures as reading every wave and applying rollout/schedule.py's rules in Python, for waves
inside, at the edges of and outside their contract's window; and the term's end in SQL
(contracts.selectors.TermEnd) is contracts.values.end_date, 29 February included."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db.models import F, Value

from contracts import values
from contracts.models import Contract
from contracts.selectors import TermEnd
from rollout import schedule, selectors
from rollout.models import Wave
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.mark.parametrize(
    "start",
    [dt.date(2024, 2, 29), dt.date(2024, 2, 28), dt.date(2023, 3, 1), dt.date(2026, 12, 31)],
)
def test_the_terms_end_in_sql_is_the_python_rule(start):
    contract = factories.ContractFactory(start_date=start)
    for years in range(1, 11):
        got = (
            Contract.objects.filter(pk=contract.pk)
            .annotate(end=TermEnd(F("start_date"), Value(years)))
            .values_list("end", flat=True)
            .get()
        )
        assert got == values.end_date(start, years), years


def _wave(rng: random.Random, plan, order: int, start: dt.date, end: dt.date) -> None:
    """A wave dated anywhere from a year before the window to a year after it, often right on
    its edges; done or not, with or without an actual end."""
    edges = [
        start - dt.timedelta(days=schedule.LEAD_IN_DAYS),
        start - dt.timedelta(days=schedule.LEAD_IN_DAYS + 1),
        end - dt.timedelta(days=1),
        end,
    ]
    day = rng.choice(edges) if rng.random() < 0.4 else start + dt.timedelta(rng.randint(-500, 2500))
    status = rng.choice(["planned", "in_progress", "done", "done"])
    # A done wave goes live on its actual end; any other on its planned end (even with an
    # actual end already written down).
    actual_end = day if status == "done" or rng.random() < 0.2 else None
    planned_end = day if status != "done" else day + dt.timedelta(rng.randint(-40, 40))
    Wave.objects.bulk_create(  # straight in, as rows stored before the services' checks
        [
            Wave(
                plan=plan,
                order=order,
                name=f"Wave {order}",
                seats=rng.randint(1, 900),
                status=status,
                planned_start=planned_end - dt.timedelta(days=10),
                planned_end=planned_end,
                actual_start=actual_end and actual_end - dt.timedelta(days=5),
                actual_end=actual_end,
            )
        ]
    )


def test_the_database_sums_the_same_seats_as_python():
    rng = random.Random(7)
    for start in [dt.date(2024, 2, 29), dt.date(2025, 6, 15), dt.date(2026, 1, 1)]:
        contract = factories.ContractFactory(start_date=start, term_years=rng.randint(1, 7))
        plan = factories.RolloutPlanFactory(contract=contract)
        end = values.end_date(start, contract.term_years)
        for order in range(1, 41):
            _wave(rng, plan, order, start, end)
    waves = Wave.objects.all()
    in_sql = selectors._going_live_in_sql(waves)
    in_python = selectors._going_live_in_python(waves)
    assert in_sql == in_python
    assert in_sql.seats_left_out > 0 and len(in_sql.totals) > 12
    assert sum(t.seats_live for t in in_sql.totals) > 0
    assert sum(t.seats_planned for t in in_sql.totals) > 0


def test_no_waves_no_months():
    empty = Wave.objects.none()
    assert selectors._going_live_in_sql(empty) == selectors.GoingLive([], 0)
