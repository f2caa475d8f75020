"""Two repricing runs at once, for real, on PostgreSQL: the advisory lock makes one wait.

The seat aggregation inside `framework_reprice` is slowed (0.3 s) so that two runs started
together would overlap: without the lock both would read the same pending request and the
same stale prices, and both would write a price snapshot for every changed service.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from catalogue.models import PriceSnapshot
from repricing import services as repricing
from repricing.models import RepricingRequest, RepricingRun
from tests import factories

from .helpers import (
    assert_prices_match_a_recomputation_from_scratch,
    prices_cached,
    prices_from_scratch,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SLOW = 0.3  # seconds the seat aggregation takes, so that unserialised runs overlap


@dataclass
class Call:
    started: float = 0.0
    finished: float = 0.0
    result: object = None


def run_at_once(*calls: Callable[[], object]) -> list[Call]:
    """Run the calls in threads started together, timing each; a result is a value or an
    exception. Each thread closes its own database connection."""
    barrier = threading.Barrier(len(calls))
    outcomes = [Call() for _ in calls]

    def run(outcome: Call, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            outcome.started = time.monotonic()
            outcome.result = call()
        except Exception as exc:
            outcome.result = exc
        finally:
            outcome.finished = time.monotonic()
            connection.close()

    threads = [
        threading.Thread(target=run, args=pair) for pair in zip(outcomes, calls, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a run is stuck"
    return outcomes


@pytest.fixture
def slow_seat_count(monkeypatch) -> list[float]:
    """Slow the aggregation as `framework_reprice` calls it; returns when each call ended."""
    original = repricing.framework_seats_by_service
    finished: list[float] = []

    def slowly():
        seats = original()
        time.sleep(SLOW)
        finished.append(time.monotonic())
        return seats

    monkeypatch.setattr(repricing, "framework_seats_by_service", slowly)
    return finished


@pytest.fixture
def stale_framework() -> set[str]:
    """Services whose cached seats and prices predate the member contracts below, lines at
    stale prices, and one pending request. Returns the slugs repricing must change."""
    flat = factories.ServiceFactory(slug="flat", unit_price=Decimal("100.00"))
    volume = factories.VolumeServiceFactory(slug="volume")
    share = factories.CostShareServiceFactory(slug="share")
    factories.ServiceFactory(slug="unused", unit_price=Decimal("50.00"))  # no lines: unchanged
    for org, seats in (("alpha", (300, 200, 400)), ("beta", (900, 0, 500))):
        contract = factories.ContractFactory(organisation=factories.OrganisationFactory(slug=org))
        for service, count in zip((volume, flat, share), seats, strict=True):
            if count:
                factories.ContractLineFactory(
                    contract=contract,
                    service=service,
                    seats=count,
                    current_unit_price=Decimal("123.45"),
                )
    RepricingRequest.objects.create(requested_at=timezone.now(), reason="Beta joined")

    cached, expected = prices_cached(), prices_from_scratch()
    changed = {slug for slug in expected if cached[slug] != expected[slug]}
    # Volume: 1,200 seats at £80; share: 900 seats at 1,000,000 / 900 + 500.
    assert expected["volume"] == (1200, Decimal("80.00"))
    assert expected["share"] == (900, Decimal("1611.11"))
    assert changed == {"flat", "volume", "share"}
    return changed


def _snapshots_per_service() -> dict[str, int]:
    counts: dict[str, int] = {}
    for slug in PriceSnapshot.objects.values_list("service__slug", flat=True):
        counts[slug] = counts.get(slug, 0) + 1
    return counts


def _two_runs_at_once(changed: set[str], seat_counts_done: list[float]) -> None:
    """Both runs at once; then exactly the writes of one run, and right prices."""
    assert PriceSnapshot.objects.count() == 0
    calls = run_at_once(repricing.framework_reprice, repricing.framework_reprice)

    errors = [c.result for c in calls if isinstance(c.result, Exception)]
    assert not errors
    # One new snapshot per changed service, not two.
    assert _snapshots_per_service() == dict.fromkeys(changed, 1)
    # Exactly one run did the work; the other found nothing to do and wrote nothing.
    winners = [c for c in calls if c.result.wrote_anything]
    losers = [c for c in calls if not c.result.wrote_anything]
    assert len(winners) == 1 and len(losers) == 1
    winner, loser = winners[0], losers[0]
    assert winner.result == repricing.RepricingResult(
        requests_processed=1, services_changed=3, snapshots_written=3, lines_updated=5
    )
    assert loser.result == repricing.RepricingResult(0, 0, 0, 0)
    assert RepricingRun.objects.count() == 1
    assert not RepricingRequest.objects.filter(processed_at__isnull=True).exists()
    # The runs really overlapped: the loser started while the winner was still counting
    # seats, and returned only after (it waited on the lock, it did not run first).
    assert len(seat_counts_done) == 1
    assert loser.started < seat_counts_done[0] <= loser.finished
    assert_prices_match_a_recomputation_from_scratch()


def test_two_runs_at_once_reprice_once(stale_framework, slow_seat_count):
    _two_runs_at_once(stale_framework, slow_seat_count)


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="without the advisory lock both runs write a snapshot per changed service",
)
def test_without_the_lock_two_runs_at_once_write_duplicate_snapshots(
    stale_framework, slow_seat_count, monkeypatch
):
    monkeypatch.setattr(repricing, "_lock_repricing", lambda: None)
    _two_runs_at_once(stale_framework, slow_seat_count)
