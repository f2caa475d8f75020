"""`make bench`: run every benchmark under bench/ and print one table of figures."""

from __future__ import annotations

import importlib
import os
import platform
import sys
import time

# The request log would drown the table.
os.environ.setdefault("LOG_LEVEL", "WARNING")

MODULES = [
    "bench.bench_quotes",
    "bench.bench_repricing",
    "bench.bench_downloads",
    "bench.bench_xlsx",
    "bench.bench_reads",
    "bench.bench_http",
    "bench.bench_scale",
]
# BENCH_MODULES=bench_scale,bench_http runs only those (quick checks).
if os.environ.get("BENCH_MODULES"):
    MODULES = [f"bench.{name}" for name in os.environ["BENCH_MODULES"].split(",")]


def machine() -> str:
    return f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · {platform.platform()}"


def main() -> int:
    rows: list[dict] = []
    started = time.perf_counter()
    for name in MODULES:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        rows += importlib.import_module(name).run()
    width = max(len(r["benchmark"]) for r in rows)
    fig_width = max(len(r["figure"]) for r in rows)
    print(f"\nMachine: {machine()}\n")
    print(f"| {'benchmark'.ljust(width)} | {'figure'.ljust(fig_width)} | target |")
    print(f"|{'-' * (width + 2)}|{'-' * (fig_width + 2)}|--------|")
    for row in rows:
        print(
            f"| {row['benchmark'].ljust(width)} | {row['figure'].ljust(fig_width)} | {row['target']} |"
        )
    print(f"\n(all benchmarks took {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
