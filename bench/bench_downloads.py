"""Benchmark the contract downloads: one summary PDF, and the CSV (and XLSX) of 10,000 contracts.

Targets (issue 5): a summary PDF in under 0.5 s (median); the CSV of 10,000 contracts streamed
in under 5 s, with peak memory that does not grow with the number of contracts (measured at
2,000 and 10,000 contracts with tracemalloc, in a separate pass so tracing does not slow the
timed one).

Runs standalone (`.venv/bin/python -m bench.bench_downloads`) against a throwaway database
(bench.support.throwaway_django: a temporary SQLite file, or a PostgreSQL database next to
DATABASE_URL's), dropped afterwards; the developer's own data is never touched.
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from decimal import Decimal

from bench.support import throwaway_django

PDF_RUNS = 15
SIZES = (2_000, 10_000)
ORGANISATIONS = 200


def _client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username="procurement"))
    return client


def _grow_to(total: int) -> None:
    """Add platform contracts (desktop, email and wireless lines) until there are `total`."""
    from django.utils import timezone

    from catalogue.models import Service
    from contracts.models import Contract, ContractKind, ContractLine, ContractStatus
    from organisations.models import MembershipStatus, Organisation, OrganisationKind

    organisations = list(Organisation.objects.filter(slug__startswith="bench-"))
    if not organisations:
        Organisation.objects.bulk_create(
            Organisation(
                slug=f"bench-{n}",
                name=f"Bench organisation {n}",
                kind=OrganisationKind.OTHER,
                staff=1000,
                membership_status=MembershipStatus.ACTIVE,
                joined_on=timezone.localdate(),
            )
            for n in range(ORGANISATIONS)
        )
        organisations = list(Organisation.objects.filter(slug__startswith="bench-"))
    services = Service.objects.in_bulk(["desktop", "email", "wireless"], field_name="slug")
    existing = Contract.objects.count()
    start = timezone.localdate()
    for first in range(existing, total, 1000):
        contracts = Contract.objects.bulk_create(
            Contract(
                reference=f"CON-BENCH-{n:06d}",
                organisation=organisations[n % ORGANISATIONS],
                kind=ContractKind.PLATFORM,
                status=ContractStatus.ACTIVE,
                signed_on=start,
                start_date=start,
                term_years=1 + n % 7,
                previous_cost_per_seat=Decimal("2500.00"),
            )
            for n in range(first, min(first + 1000, total))
        )
        ContractLine.objects.bulk_create(
            ContractLine(
                contract=contract,
                service=services[slug],
                seats=seats,
                unit_price_at_signing=services[slug].current_unit_price,
                current_unit_price=services[slug].current_unit_price,
            )
            for contract in contracts
            for slug, seats in (("desktop", 500), ("email", 500), ("wireless", 120))
        )


def _stream(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)  # counted, never kept: as a server writing to a socket would
    return size


def _measure() -> list[dict]:
    from django.test import override_settings
    from django.urls import reverse

    from demo.loader import load_flex_demo

    load_flex_demo(with_users=True)
    client = _client()
    pdf_url = reverse("contracts:summary-pdf", args=["CON-2026-0004"])
    client.get(pdf_url)  # first use loads WeasyPrint and the fonts
    timings = []
    for _ in range(PDF_RUNS):
        started = time.perf_counter()
        response = client.get(pdf_url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    results = [
        {
            "benchmark": f"Contract summary PDF (median of {PDF_RUNS})",
            "figure": f"{statistics.median(timings):.3f} s",
            "target": "< 0.5 s",
        }
    ]

    csv_url = reverse("contracts:export-csv")
    peaks = {}
    # The streamed CSV itself, made in the request at every size measured here: over
    # EXPORT_SYNC_MAX_ROWS the portal hands it to an export job instead (bench_xlsx measures
    # the writers a job runs).
    sync_max = override_settings(EXPORT_SYNC_MAX_ROWS=max(SIZES))
    sync_max.enable()
    for size in SIZES:
        _grow_to(size)
        started = time.perf_counter()
        length = _stream(client, csv_url)
        elapsed = time.perf_counter() - started
        tracemalloc.start()
        _stream(client, csv_url)
        peaks[size] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        results.append(
            {
                "benchmark": f"CSV of {size:,} contracts, streamed ({length / 2**20:.1f} MiB)",
                "figure": f"{elapsed:.2f} s, peak {peaks[size] / 2**20:.1f} MiB",
                "target": "< 5 s" if size == SIZES[-1] else "(baseline for memory)",
            }
        )
    small, large = SIZES
    results.append(
        {
            "benchmark": f"CSV peak memory, {large:,} vs {small:,} contracts",
            "figure": f"x{peaks[large] / peaks[small]:.2f}",
            "target": "flat (x1.0, not x5)",
        }
    )

    page_timings = []
    for _ in range(5):
        started = time.perf_counter()
        response = client.get(reverse("contracts:list"), {"sort": "-annual_value"})
        page_timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    results.append(
        {
            "benchmark": f"Contract list page over {large:,} contracts, sorted by value (median of 5)",
            "figure": f"{statistics.median(page_timings):.3f} s",
            "target": "(no target)",
        }
    )

    started = time.perf_counter()
    response = client.get(reverse("contracts:export-xlsx"))
    size = sum(len(chunk) for chunk in response.streaming_content)
    results.append(
        {
            "benchmark": f"XLSX of {large:,} contracts ({size / 2**20:.1f} MiB)",
            "figure": f"{time.perf_counter() - started:.2f} s",
            "target": "(no target)",
        }
    )
    sync_max.disable()
    return results


def run() -> list[dict]:
    # DEBUG off inside: its query log would grow with the row count and spoil the memory figure.
    with throwaway_django("downloads"):
        return _measure()


def main() -> None:
    rows = run()
    width = max(len(row["benchmark"]) for row in rows)
    for row in rows:
        print(f"{row['benchmark']:<{width}}  {row['figure']:<26}  target {row['target']}")


if __name__ == "__main__":
    main()
