"""Benchmark: one framework repricing over 10,000 member organisations holding 50,000 active
contract lines across the catalogue, in a throwaway database (PostgreSQL when DATABASE_URL
points at it). Every line starts off-price, so the run rewrites all of them: the worst case.

The same run is measured at 1,000 organisations / 5,000 lines first, to show that the query
count does not grow with the number of organisations.

    .venv/bin/python -m bench.bench_repricing
"""

from __future__ import annotations

import datetime as dt
import os
import time
from contextlib import contextmanager
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flexportal.settings.local")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from catalogue.models import Service  # noqa: E402
from contracts.models import Contract, ContractKind, ContractLine, ContractStatus  # noqa: E402
from demo.loader import load_services  # noqa: E402
from organisations.models import MembershipStatus, Organisation, OrganisationKind  # noqa: E402
from repricing.models import RepricingRequest  # noqa: E402
from repricing.services import framework_reprice  # noqa: E402

SIZES = ((1_000, 5), (10_000, 5))  # organisations, lines each
TARGET_SECONDS = 2.0
BATCH = 5_000


@contextmanager
def throwaway_database():
    """A fresh, migrated database next to the configured one, dropped afterwards."""
    test_settings = connection.settings_dict.setdefault("TEST", {})
    test_settings["NAME"] = "flex_bench_repricing"
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)


def add_members(start: int, count: int, lines_each: int, services: list[Service]) -> None:
    """`count` active members from number `start` on, each with one active contract of
    `lines_each` lines over different services."""
    joined = dt.date(2026, 1, 1)
    Organisation.objects.bulk_create(
        (
            Organisation(
                slug=f"bench-{n}",
                name=f"Bench organisation {n}",
                kind=OrganisationKind.AGENCY,
                staff=100 + n % 2000,
                desktops=100 + n % 2000,
                membership_status=MembershipStatus.ACTIVE,
                joined_on=joined,
            )
            for n in range(start, start + count)
        ),
        batch_size=BATCH,
    )
    organisations = dict(
        Organisation.objects.filter(slug__startswith="bench-").values_list("slug", "pk")
    )
    Contract.objects.bulk_create(
        (
            Contract(
                reference=f"BENCH-{n:06d}",
                organisation_id=organisations[f"bench-{n}"],
                kind=ContractKind.PLATFORM,
                status=ContractStatus.ACTIVE,
                signed_on=joined,
                start_date=joined,
                term_years=5,
            )
            for n in range(start, start + count)
        ),
        batch_size=BATCH,
    )
    contracts = dict(
        Contract.objects.filter(reference__startswith="BENCH-").values_list("reference", "pk")
    )
    ContractLine.objects.bulk_create(
        (
            ContractLine(
                contract_id=contracts[f"BENCH-{n:06d}"],
                service=services[(n + k) % len(services)],
                seats=10 + (n * 7 + k * 13) % 1990,
                unit_price_at_signing=Decimal("0.00"),
                current_unit_price=Decimal("0.00"),
            )
            for n in range(start, start + count)
            for k in range(lines_each)
        ),
        batch_size=BATCH,
    )


def measure_one_run() -> tuple[float, int, int]:
    """Seconds and queries of one repricing that must rewrite every line; lines updated."""
    ContractLine.objects.update(current_unit_price=Decimal("0.00"))
    RepricingRequest.objects.create(requested_at=timezone.now(), reason="Benchmark")
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = framework_reprice()
        seconds = time.perf_counter() - started
    return seconds, len(queries), result.lines_updated


def measure_idle_run() -> tuple[float, int, bool]:
    """A second run with nothing pending: its cost, and whether it wrote anything."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = framework_reprice()
        seconds = time.perf_counter() - started
    return seconds, len(queries), result.wrote_anything


def run() -> list[dict]:
    rows: list[dict] = []
    vendor = "PostgreSQL" if connection.vendor == "postgresql" else connection.vendor
    with throwaway_database():
        services = list(load_services().values())
        members = 0
        for organisations, lines_each in SIZES:
            add_members(members, organisations - members, lines_each, services)
            members = organisations
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give
            seconds, queries, lines = measure_one_run()
            is_target = organisations == SIZES[-1][0]
            rows.append(
                {
                    "benchmark": f"repricing {organisations:,} organisations, {lines:,} active "
                    f"lines ({vendor})",
                    "figure": f"{seconds:.2f} s, {queries} queries",
                    "target": f"< {TARGET_SECONDS:g} s" if is_target else "same query count",
                }
            )
        seconds, queries, wrote = measure_idle_run()
        rows.append(
            {
                "benchmark": "repricing again with nothing pending (idempotent)",
                "figure": f"{seconds * 1000:.1f} ms, {queries} queries, "
                f"{'wrote rows' if wrote else 'writes nothing'}",
                "target": "writes nothing",
            }
        )
    return rows


if __name__ == "__main__":
    for row in run():
        print(f"{row['benchmark']}: {row['figure']} (target {row['target']})")
